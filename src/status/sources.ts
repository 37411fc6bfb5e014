import { intervalMs, timeoutMs, type Check } from '../probes/check.js';
import type { Incident, ServiceStatus } from '../incidents/incident.js';
import type { LocationState, QuorumSettings } from './check-verdict.js';
import { checkVerdict, staleAfterMs } from './check-verdict.js';
import type { CheckSignal, CrowdSignal, StatusInputs } from './model.js';
import { quorumFor } from './quorum-settings.js';

/**
 * Where a kind of input comes from. Each source fills its own fields of `StatusInputs` for
 * the services asked about; the `StatusService` merges them. Operator overrides and
 * maintenance windows arrive as one more source (issue 12), without changing the others.
 */
export interface StatusSource {
  readonly name: string;
  read(services: readonly string[], now: number): Promise<Map<string, Partial<StatusInputs>>>;
}

/** The incident reads the crowd source needs; `Store.incidents` provides them. */
export interface CrowdReader {
  statuses(): Promise<Map<string, ServiceStatus>>;
  list(q: { status: 'open'; limit: number }): Promise<Incident[]>;
}

const OPEN_LIMIT = 1000;

/**
 * Open crowd incidents, with how bad each service is now (a wave in progress or not).
 * `closedByOperators` names those an operator dismissed or resolved (src/incidents): they no
 * longer count, although the detection may still follow them.
 */
export function crowdSource(repo: CrowdReader, closedByOperators: (open: readonly Incident[]) => Promise<ReadonlySet<string>> = async () => new Set()): StatusSource {
  return {
    name: 'crowd',
    async read(services) {
      const wanted = new Set(services);
      const [levels, open] = await Promise.all([repo.statuses(), repo.list({ status: 'open', limit: OPEN_LIMIT })]);
      const closed = await closedByOperators(open);
      const out = new Map<string, Partial<StatusInputs>>();
      for (const inc of open) {
        if ((inc.kind ?? 'crowd') !== 'crowd' || !wanted.has(inc.service) || closed.has(inc.id)) continue;
        const level = levels.get(inc.service) === 'major_outage' ? 'major_outage' : 'degraded';
        const signal: CrowdSignal = { incidentId: inc.id, title: inc.title, level, openedAt: inc.openedAt };
        const entry = out.get(inc.service) ?? { crowd: [] };
        entry.crowd?.push(signal);
        out.set(inc.service, entry);
      }
      return out;
    },
  };
}

/** The probe reads the probe source needs; `Store.probes` and `Store.probeStates` provide them. */
export interface CheckStateReader {
  listChecks(): Promise<Check[]>;
  states(checkIds: readonly string[]): Promise<LocationState[]>;
}

/** Every enabled check of the service with its quorum verdict from the persisted streaks. */
export function probeSource(reader: CheckStateReader, defaults: QuorumSettings): StatusSource {
  return {
    name: 'probes',
    async read(services, now) {
      const wanted = new Set(services);
      const checks = (await reader.listChecks()).filter((c) => c.enabled && c.service !== undefined && wanted.has(c.service));
      const byCheck = new Map<string, LocationState[]>();
      for (const s of await reader.states(checks.map((c) => c.id))) {
        const list = byCheck.get(s.checkId) ?? [];
        list.push(s);
        byCheck.set(s.checkId, list);
      }
      const out = new Map<string, Partial<StatusInputs>>();
      for (const check of checks) {
        const signal = checkSignal(check, byCheck.get(check.id) ?? [], defaults, now);
        const entry = out.get(check.service!) ?? { checks: [] };
        entry.checks?.push(signal);
        out.set(check.service!, entry);
      }
      return out;
    },
  };
}

export function checkSignal(check: Check, states: readonly LocationState[], defaults: QuorumSettings, now: number): CheckSignal {
  return checkVerdict(check, states, quorumFor(check, defaults), now, staleAfterMs(intervalMs(check), timeoutMs(check)));
}
