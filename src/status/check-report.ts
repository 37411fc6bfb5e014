import { intervalMs, timeoutMs, type Check } from '../probes/check.js';
import { checkVerdict, staleAfterMs, type LocationState, type QuorumSettings } from './check-verdict.js';
import type { CheckSignal } from './model.js';
import { quorumFor } from './quorum-settings.js';
import { checkReasonText } from './reason-text.js';
import type { LocationReport } from './location-report.js';

/** A check as its pages show it: the quorum verdict the service status uses, and each location. */
export interface CheckReport {
  signal: CheckSignal;
  /** "3 of 3 locations: connection refused on x-tcp" while the check fails its quorum. */
  reason?: string;
  locations: LocationReport[];
  /** The newest result of any location. */
  lastAt?: number;
  /** The soonest certificate expiry any location saw (HTTPS and TLS checks). */
  certExpiresAt?: number;
}

/** The same verdict as the service status (src/status/sources.ts), with each location's standing. Pure. */
export function checkReport(check: Check, states: readonly LocationState[], defaults: QuorumSettings, now: number): CheckReport {
  const staleMs = staleAfterMs(intervalMs(check), timeoutMs(check));
  const signal = checkVerdict(check, states, quorumFor(check, defaults), now, staleMs);
  const locations = [...states]
    .sort((a, b) => a.location.localeCompare(b.location))
    .map((s): LocationReport => ({
      location: s.location,
      standing: s.lastAt < now - staleMs ? 'stale' : !s.settled ? 'pending' : s.down ? 'down' : 'up',
      lastAt: s.lastAt,
      lastOk: s.lastOk,
      lastErrorClass: s.lastErrorClass,
      lastLatencyMs: s.lastLatencyMs,
      ...(s.failClass !== undefined ? { failClass: s.failClass } : {}),
      ...(s.certExpiresAt !== undefined ? { certExpiresAt: s.certExpiresAt } : {}),
    }));
  const lastAt = states.length > 0 ? Math.max(...states.map((s) => s.lastAt)) : undefined;
  const certs = states.map((s) => s.certExpiresAt).filter((c): c is number => c !== undefined);
  return {
    signal,
    ...(signal.status !== 'operational' ? { reason: checkReasonText(signal) } : {}),
    locations,
    ...(lastAt !== undefined ? { lastAt } : {}),
    ...(certs.length > 0 ? { certExpiresAt: Math.min(...certs) } : {}),
  };
}

/** Whole days until a certificate expires (negative once it has), as the `cert_expiry_days` rule counts. */
export function certDaysLeft(expiresAt: number, now: number): number {
  return Math.floor((expiresAt - now) / 86_400_000);
}
