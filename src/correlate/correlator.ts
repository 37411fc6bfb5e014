import { randomUUID } from 'node:crypto';
import type { Bus, BusEvents } from '../events/bus.js';
import type { AlertRepository, IncidentCorrelation } from '../store/alert-repository.js';
import type { Clock } from '../time/clock.js';
import { confirmedByCheck, correlateIncident, strongerCorrelation, type Correlation, type ErrorClassCount } from './correlation.js';
import { locationStates, type ProbeSample } from './location-states.js';

/** The probe reads the correlator needs; `Store.probes` provides them. */
export interface ProbeReader {
  getCheck(id: string): Promise<{ service?: string; name: string } | undefined>;
  listChecks(filter: { service: string }): Promise<{ id: string; name: string }[]>;
  /** Results of a check in [from, to), oldest first. */
  resultsBetween(checkId: string, from: number, to: number, limit?: number): Promise<ProbeSample[]>;
}

/** Where an incident's window starts, and what a probe incident found; `Store.incidents.get` provides it. */
export type IncidentStart = (id: string) => Promise<{ openedAt: number; kind?: 'crowd' | 'probe'; cause?: string; probe?: { failingLocations: number; totalLocations: number; errorClasses: ErrorClassCount[] } } | undefined>;

/** A check of the service failing from its quorum of locations (src/status), as the status sees it. */
export interface FailingCheck {
  checkName: string;
  status: string;
  failing: number;
  total: number;
  classes: ErrorClassCount[];
}

export interface CorrelatorSettings {
  minLocations: number;
  lookbackMs: number;
  freshnessMs: number;
}

/** Called after each save, so alerts carry the cause they were computed with. */
export interface CorrelationListener {
  incident(n: { kind: 'opened' | 'phase' | 'updated' | 'closed'; incidentId: string; service: string; at: number; correlation: Correlation; mergedInto?: string }): void;
  probes(n: { service: string; at: number; failingLocations: number; totalLocations: number; cause: string; probeEventId?: string }): void;
  /** A probe saw a certificate (for `cert_expiry` rules). */
  certificate?(n: { service: string; checkId: string; checkName: string; location: string; expiresAt: number; at: number }): void;
}

interface Samples {
  results: ProbeSample[];
  names: Map<string, string>;
  failing: FailingCheck[];
}

const CHECK_CACHE_MS = 60_000;
/** Per check and recomputation; far above what a 5-minute window holds for 100 locations. */
const SAMPLE_LIMIT = 50_000;

/**
 * Keeps each open incident's correlation with the probes up to date (on `incident.changed`
 * and on `probe.results`), records probe-only events when probes fail from enough
 * locations with no incident, and publishes `incident.changed` kind `updated` when an
 * incident's confidence or cause changes. Work is coalesced per service and serialised.
 */
export class Correlator {
  readonly name = 'correlator';
  private readonly unsubscribe: (() => void)[] = [];
  private readonly dirty = new Map<string, { incident?: BusEvents['incident.changed'] }[]>();
  private readonly checkService = new Map<string, { service?: string; name?: string; at: number }>();
  private running: Promise<void> | undefined;
  private readonly reading = new Set<Promise<void>>();

  constructor(
    private readonly deps: {
      bus: Bus;
      clock: Clock;
      repo: AlertRepository;
      probes: ProbeReader;
      incidentStart?: IncidentStart;
      /** The service's checks failing from their quorum (the status's view); none when absent. */
      failingChecks?: (service: string) => Promise<FailingCheck[]>;
      settings: CorrelatorSettings;
      listener?: CorrelationListener;
      log?: (line: string) => void;
    },
  ) {}

  async start(): Promise<void> {
    const { bus } = this.deps;
    // Consumed as the `alerts` group: in cluster mode exactly one node (the holder of the
    // alerts lease) works on each event, and a successor resumes where it stopped.
    this.unsubscribe.push(
      // `updated` is what this class publishes itself; reacting to it would loop.
      bus.consume('alerts', 'incident.changed', async (e) => {
        // Probe incidents are explained by their checks already (src/status).
        if (e.source === 'probe') return this.track(this.onProbeIncident(e));
        if (e.kind !== 'updated') await this.enqueue(e.service, { incident: e });
      }),
      // A check reached (or left) its quorum: open incidents may now be confirmed.
      bus.consume('alerts', 'probe.state', async (rows) => {
        await Promise.all([...new Set(rows.map((r) => r.service))].filter((s): s is string => s !== undefined).map((s) => this.enqueue(s, {})));
      }),
      bus.consume('alerts', 'probe.results', async (results) => {
        const p = this.track(this.onResults(results));
        this.reading.add(p);
        void p.finally(() => this.reading.delete(p));
        await p;
      }),
    );
  }

  async stop(): Promise<void> {
    for (const u of this.unsubscribe.splice(0)) u();
    await this.idle();
  }

  /** Resolves once every queued recomputation has finished. */
  async idle(): Promise<void> {
    while (this.running || this.reading.size > 0) {
      await Promise.all([...this.reading]);
      if (this.running) await this.running;
    }
  }

  private async onResults(results: BusEvents['probe.results']): Promise<void> {
    const now = this.deps.clock.now();
    const services = new Set<string>();
    for (const checkId of new Set(results.map((r) => r.checkId))) {
      let cached = this.checkService.get(checkId);
      if (!cached || now - cached.at > CHECK_CACHE_MS) {
        const check = await this.deps.probes.getCheck(checkId);
        cached = { service: check?.service, name: check?.name, at: now };
        this.checkService.set(checkId, cached);
      }
      if (cached.service) services.add(cached.service);
    }
    // The newest certificate each check saw from each location, for `cert_expiry` rules.
    const certs = new Map<string, BusEvents['probe.results'][number]>();
    for (const r of results) if (r.certExpiresAt !== undefined) certs.set(`${r.checkId}\u0000${r.location}`, r);
    for (const r of certs.values()) {
      const c = this.checkService.get(r.checkId);
      if (!c?.name) continue;
      this.deps.listener?.certificate?.({ service: c.service ?? c.name, checkId: r.checkId, checkName: c.name, location: r.location, expiresAt: r.certExpiresAt!, at: r.at });
    }
    await Promise.all([...services].map((s) => this.enqueue(s, {})));
  }

  /** Resolves once the recomputation that covers `item` has finished. */
  private enqueue(service: string, item: { incident?: BusEvents['incident.changed'] }): Promise<void> {
    const list = this.dirty.get(service) ?? [];
    // Probe-driven recomputations coalesce; incident events are each kept.
    if (item.incident || list.length === 0 || list.every((i) => i.incident)) list.push(item);
    this.dirty.set(service, list);
    if (!this.running) this.running = this.track(this.drain()).finally(() => (this.running = undefined));
    return this.running;
  }

  private async drain(): Promise<void> {
    while (this.dirty.size > 0) {
      const [service, items] = this.dirty.entries().next().value as [string, { incident?: BusEvents['incident.changed'] }[]];
      this.dirty.delete(service);
      try {
        await this.recompute(service, items);
      } catch (err) {
        this.deps.log?.(`correlator: ${service}: ${(err as Error).message ?? String(err)}`);
      }
    }
  }

  /**
   * The service's recent results: only the freshness window is read (an index range, however
   * long the history), since the verdict is about the probes' current state and each
   * incident keeps the strongest verdict it reached.
   */
  private async samples(service: string, now: number): Promise<Samples> {
    const out: ProbeSample[] = [];
    const names = new Map<string, string>();
    for (const check of await this.deps.probes.listChecks({ service })) {
      names.set(check.id, check.name);
      out.push(...(await this.deps.probes.resultsBetween(check.id, now - this.deps.settings.freshnessMs, now + 1, SAMPLE_LIMIT)));
    }
    const failing = (await this.deps.failingChecks?.(service)) ?? [];
    return { results: out, names, failing };
  }

  /** Probe incidents are explained by their checks already: their verdict goes to the alerts as is. */
  private async onProbeIncident(e: BusEvents['incident.changed']): Promise<void> {
    const inc = await this.deps.incidentStart?.(e.incidentId);
    const facts = inc?.probe;
    const correlation: Correlation = {
      confidence: 'probe-only', cause: `probe-only: ${inc?.cause ?? 'checks failing'}`,
      failingLocations: facts?.failingLocations ?? 0, totalLocations: facts?.totalLocations ?? 0, errorClasses: facts?.errorClasses ?? [],
    };
    this.deps.listener?.incident({ kind: e.kind, incidentId: e.incidentId, service: e.service, at: e.at, correlation, ...(e.mergedInto ? { mergedInto: e.mergedInto } : {}) });
  }

  private async recompute(service: string, items: { incident?: BusEvents['incident.changed'] }[]): Promise<void> {
    const { repo, settings, clock } = this.deps;
    const now = clock.now();
    const samples = await this.samples(service, now);

    const current = locationStates(samples.results, now - settings.freshnessMs, Infinity, samples.names);
    const probeView = correlateIncident({ crowdSpike: false, locations: current, minFailingLocations: settings.minLocations });

    for (const { incident: e } of items) if (e) await this.applyIncidentEvent(e, samples);
    const open = (await repo.listOpenCorrelations()).filter((c) => c.service === service);
    for (const c of open) await this.refresh(c, samples, now);

    let probeEventId: string | undefined;
    if (open.length === 0) probeEventId = await this.probeOnly(service, probeView, now);
    this.deps.listener?.probes({
      service, at: now, failingLocations: probeView.failingLocations, totalLocations: probeView.totalLocations, cause: probeView.cause,
      ...(probeEventId ? { probeEventId } : {}),
    });
  }

  private async applyIncidentEvent(e: BusEvents['incident.changed'], samples: Samples): Promise<void> {
    const { repo, settings } = this.deps;
    const stored = await repo.getCorrelation(e.incidentId);
    const openedAt = stored?.openedAt ?? (await this.deps.incidentStart?.(e.incidentId))?.openedAt ?? e.at;
    const next = this.correlate(samples, openedAt - settings.lookbackMs, e.kind === 'closed' ? e.at : Infinity);
    const merged = strongerCorrelation(stored, next);
    const record: IncidentCorrelation = {
      ...merged, incidentId: e.incidentId, service: e.service, open: e.kind !== 'closed', openedAt,
      ...(e.kind === 'closed' ? { closedAt: e.at } : {}), updatedAt: this.deps.clock.now(),
    };
    // Not stored when the service is gone (deleted meanwhile, or never one): the alerts still
    // hear of the event, as they did before the service had to exist.
    await repo.saveCorrelation(record);
    // A crowd incident explains the probe failures: the probe-only event ends here.
    if (e.kind !== 'closed') await this.endProbeEvent(e.service, e.at);
    this.deps.listener?.incident({ kind: e.kind, incidentId: e.incidentId, service: e.service, at: e.at, correlation: record });
  }

  private async refresh(c: IncidentCorrelation, samples: Samples, now: number): Promise<void> {
    const merged = strongerCorrelation(c, this.correlate(samples, c.openedAt - this.deps.settings.lookbackMs, Infinity));
    if (merged.confidence === c.confidence && merged.cause === c.cause) return;
    const record: IncidentCorrelation = { ...c, ...merged, updatedAt: now };
    // The service was deleted meanwhile, and its incidents with it: nothing to announce.
    if (!(await this.deps.repo.saveCorrelation(record))) return;
    this.deps.bus.publish('incident.changed', { kind: 'updated', incidentId: c.incidentId, service: c.service, at: now });
    this.deps.listener?.incident({ kind: 'updated', incidentId: c.incidentId, service: c.service, at: now, correlation: record });
  }

  private correlate(samples: Samples, from: number, to: number): Correlation {
    const raw = correlateIncident({ crowdSpike: true, locations: locationStates(samples.results, from, to, samples.names), minFailingLocations: this.deps.settings.minLocations });
    // The status's own rule (quorum, streaks) confirms too, so a service shown as down by its
    // checks never has an unconfirmed crowd incident.
    const worst = [...samples.failing].sort((a, b) => b.failing - a.failing || a.checkName.localeCompare(b.checkName))[0];
    return worst ? strongerCorrelation(raw, confirmedByCheck(worst)) : raw;
  }

  /** Opens, updates or ends the service's probe-only event; returns the open event's id. */
  private async probeOnly(service: string, view: Correlation, now: number): Promise<string | undefined> {
    const { repo } = this.deps;
    const existing = await repo.openProbeEvent(service);
    if (view.confidence !== 'probe-only') {
      if (existing) await this.endProbeEvent(service, now);
      return undefined;
    }
    const event = {
      id: existing?.id ?? randomUUID(), service, startedAt: existing?.startedAt ?? now, failingLocations: view.failingLocations,
      totalLocations: view.totalLocations, errorClasses: view.errorClasses, cause: view.cause, updatedAt: now,
    };
    // None for a slug that is not (or no longer) a service: the notice goes without an event id.
    return (await repo.saveProbeEvent(event)) ? event.id : undefined;
  }

  private async endProbeEvent(service: string, at: number): Promise<void> {
    const existing = await this.deps.repo.openProbeEvent(service);
    if (existing) await this.deps.repo.saveProbeEvent({ ...existing, endedAt: at, updatedAt: at });
  }

  private track<T>(p: Promise<T>): Promise<T> {
    return p.catch((err: unknown) => {
      this.deps.log?.(`correlator: ${(err as Error).message ?? String(err)}`);
      return undefined as T;
    });
  }
}
