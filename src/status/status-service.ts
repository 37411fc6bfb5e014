import type { Check } from '../probes/check.js';
import type { StatusRepository } from '../store/status-repository.js';
import type { Clock } from '../time/clock.js';
import { checkReport, type CheckReport } from './check-report.js';
import { DEFAULT_QUORUM, type LocationState, type QuorumSettings } from './check-verdict.js';
import { deriveServiceStatus } from './derive.js';
import { emptyInputs, type DerivedStatus, type StatusInputs } from './model.js';
import type { StatusSource } from './sources.js';
import { dailyUptime, type DayUptime, type StatusPeriod } from './uptime.js';

/** A service's status as every surface shows it. */
export interface ServiceStatusView extends DerivedStatus {
  service: string;
  /** Since when this status holds, when it was announced before (ms since the epoch). */
  since?: number;
}

export interface StatusServiceOptions {
  clock: Clock;
  /** Slugs of every service (the services repository). */
  services: () => Promise<string[]>;
  sources: StatusSource[];
  /** The last announced status of each service, for `since`. */
  published?: Pick<StatusRepository, 'list' | 'get'>;
  /** Non-operational stretches of a service overlapping [from, to) (its incidents, crowd and probe). */
  history?: (service: string, from: number, to: number) => Promise<StatusPeriod[]>;
  /** When a service was created: uptime counts from then (or from its first incident, if earlier). */
  createdAt?: (service: string) => Promise<number | undefined>;
  /** Per-location streaks of checks and the quorum defaults, for the check pages. */
  checks?: { states: (checkIds: readonly string[]) => Promise<LocationState[]>; defaults: QuorumSettings };
}

/**
 * The one place a service's status is read: home, service and status pages, `/api/v1/status`,
 * `/api/v1/services`, Statuspage v2, SSE and alerts all call this. Stateless: every call reads
 * the current inputs from the store and derives the answer, so every node agrees.
 */
export class StatusService {
  private readonly sources: StatusSource[];

  constructor(private readonly o: StatusServiceOptions) {
    this.sources = [...o.sources];
  }

  /** Adds a kind of input (operator overrides, maintenance windows). */
  addSource(source: StatusSource): void {
    this.sources.push(source);
  }

  /** Every service's status, by slug. */
  async all(now = this.o.clock.now()): Promise<Map<string, ServiceStatusView>> {
    const services = await this.o.services();
    const inputs = await this.inputs(services, now);
    const published = new Map((await this.o.published?.list())?.map((p) => [p.service, p]) ?? []);
    const out = new Map<string, ServiceStatusView>();
    for (const service of services) {
      const derived = deriveServiceStatus(inputs.get(service) ?? emptyInputs(), now);
      const p = published.get(service);
      out.set(service, { service, ...derived, ...(p && p.status === derived.status ? { since: p.since } : {}) });
    }
    return out;
  }

  /** One service's status; operational with no reasons for a service nobody knows about. */
  async of(service: string, now = this.o.clock.now()): Promise<ServiceStatusView> {
    const inputs = (await this.inputs([service], now)).get(service) ?? emptyInputs();
    const derived = deriveServiceStatus(inputs, now);
    const p = await this.o.published?.get(service);
    return { service, ...derived, ...(p && p.status === derived.status ? { since: p.since } : {}) };
  }

  /** Daily uptime over the last `days` days (the status page's bars). */
  uptime(service: string, days: number, now = this.o.clock.now()): Promise<{ days: DayUptime[]; percent?: number }> {
    return this.uptimeOf([service], days, now);
  }

  /**
   * Daily uptime of several services as one (a category's status page): a minute is down
   * when any of them is. Counting starts at the earliest creation or first incident.
   */
  async uptimeOf(services: readonly string[], days: number, now = this.o.clock.now()): Promise<{ days: DayUptime[]; percent?: number }> {
    const from = Math.floor(now / 86_400_000) * 86_400_000 - (days - 1) * 86_400_000;
    const periods = (await Promise.all(services.map((s) => this.o.history?.(s, from, now + 1) ?? Promise.resolve([])))).flat();
    const created = await Promise.all(services.map((s) => this.o.createdAt?.(s) ?? Promise.resolve(undefined)));
    const starts = [...created.filter((c): c is number => c !== undefined), ...periods.map((p) => p.start)];
    // Without a creation time (an app built without the services), everything counts.
    const countFrom = created.some((c) => c !== undefined) ? Math.min(...starts) : Number.NEGATIVE_INFINITY;
    return dailyUptime(periods, now, days, countFrom);
  }

  /** Each check's quorum verdict (the one its service's status uses) and its locations' standing. */
  async checks(checks: readonly Check[], now = this.o.clock.now()): Promise<Map<string, CheckReport>> {
    const source = this.o.checks;
    const states = source ? await source.states(checks.map((c) => c.id)) : [];
    const byCheck = new Map<string, LocationState[]>();
    for (const s of states) byCheck.set(s.checkId, [...(byCheck.get(s.checkId) ?? []), s]);
    const defaults = source?.defaults ?? DEFAULT_QUORUM;
    return new Map(checks.map((c) => [c.id, checkReport(c, byCheck.get(c.id) ?? [], defaults, now)]));
  }

  /** The merged inputs of these services, as the derivation sees them (for tests and the docs). */
  async inputs(services: readonly string[], now: number): Promise<Map<string, StatusInputs>> {
    const parts = await Promise.all(this.sources.map((s) => s.read(services, now)));
    const out = new Map<string, StatusInputs>();
    for (const service of services) {
      const merged = emptyInputs();
      for (const part of parts) {
        const p = part.get(service);
        if (!p) continue;
        if (p.crowd) merged.crowd.push(...p.crowd);
        if (p.checks) merged.checks.push(...p.checks);
        if (p.overrides) merged.overrides.push(...p.overrides);
        if (p.maintenance) merged.maintenance.push(...p.maintenance);
      }
      out.set(service, merged);
    }
    return out;
  }
}
