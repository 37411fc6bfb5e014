import type { Bus } from '../events/bus.js';
import type { Incident } from '../incidents/incident.js';
import type { IncidentRepository } from '../store/incident-repository.js';
import type { StatusRepository } from '../store/status-repository.js';
import type { Clock } from '../time/clock.js';
import type { StatusReason } from './model.js';
import { closeIncident, openOrUpdate, probeIncidentChanged } from './probe-incident.js';
import type { StatusService } from './status-service.js';

export interface StatusWatcherOptions {
  bus: Bus;
  clock: Clock;
  status: StatusService;
  published: StatusRepository;
  incidents: Pick<IncidentRepository, 'upsert' | 'openProbeIncident'>;
  /** Every service slug. */
  services: () => Promise<string[]>;
  /** How often every service is looked at again (stale locations, windows that begin or end). */
  tickMs?: number;
  log?: (line: string) => void;
}

/**
 * Follows each service's derived status and acts on its changes: announces them
 * (`status.changed` on the bus, the row in `service_status`), opens a probe incident when
 * checks fail with no crowd incident, keeps it up to date, closes it when they recover, and
 * folds it into the crowd incident when one opens meanwhile (one incident, confirmed).
 * Everything it knows is in the store, so a restart or another node picks up where it was;
 * it is a once-per-cluster runner.
 */
export class StatusWatcher {
  readonly name = 'status-watcher';
  private readonly dirty = new Set<string>();
  private running: Promise<void> | undefined;
  private readonly unsubscribe: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;

  constructor(private readonly o: StatusWatcherOptions) {}

  async start(): Promise<void> {
    this.stopped = false;
    const { bus } = this.o;
    this.unsubscribe.push(
      bus.subscribe('probe.state', (rows) => {
        for (const r of rows) if (r.service) this.enqueue(r.service);
      }),
      // Probe incidents are this class's own doing: reacting to them would loop.
      bus.subscribe('incident.changed', (e) => {
        if (e.source !== 'probe') this.enqueue(e.service);
      }),
      bus.subscribe('service.changed', (e) => this.enqueue(e.slug)),
      // A window that starts or ends changes the status of its services at once.
      bus.subscribe('maintenance.changed', (e) => {
        for (const s of e.services) this.enqueue(s);
      }),
    );
    await this.everything();
    const every = this.o.tickMs ?? 10_000;
    if (every > 0) {
      this.timer = setInterval(() => void this.everything(), every);
      this.timer.unref();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const u of this.unsubscribe.splice(0)) u();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.idle();
  }

  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Looks at every service again. */
  async everything(): Promise<void> {
    try {
      for (const s of await this.o.services()) this.enqueue(s);
    } catch (err) {
      this.o.log?.(`status: cannot list services: ${(err as Error).message}`);
    }
    await this.idle();
  }

  enqueue(service: string): void {
    if (this.stopped) return;
    this.dirty.add(service);
    this.running ??= this.drain().finally(() => (this.running = undefined));
  }

  private async drain(): Promise<void> {
    while (this.dirty.size > 0) {
      const service = this.dirty.values().next().value as string;
      this.dirty.delete(service);
      try {
        await this.evaluate(service);
      } catch (err) {
        this.o.log?.(`status: ${service}: ${(err as Error).message}`);
      }
    }
  }

  private async evaluate(service: string): Promise<void> {
    const now = this.o.clock.now();
    const known = new Set(await this.o.services());
    if (!known.has(service)) {
      await this.o.published.delete(service);
      return;
    }
    const view = await this.o.status.of(service, now);
    await this.probeIncident(service, view.reasons, view.status === 'under_maintenance', now);

    const previous = await this.o.published.get(service);
    const texts = view.reasons.map((r) => r.text);
    const sameReasons = previous !== undefined && JSON.stringify(previous.reasons.map((r) => r.text)) === JSON.stringify(texts);
    if (previous && previous.status === view.status && sameReasons) return;
    const since = previous && previous.status === view.status ? previous.since : now;
    // A service deleted since this evaluation began keeps no status and announces none.
    if (!(await this.o.published.save({ service, status: view.status, reasons: view.reasons, since, updatedAt: now }))) return;
    // A service nobody has announced yet that is fine says nothing new.
    if (!previous && view.status === 'operational' && texts.length === 0) return;
    this.o.bus.publish('status.changed', { service, status: view.status, ...(previous ? { previous: previous.status } : {}), reasons: texts, at: now });
  }

  private async probeIncident(service: string, reasons: readonly StatusReason[], maintenance: boolean, now: number): Promise<void> {
    const probe = reasons.filter((r) => r.source === 'probe');
    const crowd = reasons.find((r) => r.source === 'crowd');
    const open = await this.o.incidents.openProbeIncident(service);
    if (open && crowd?.incidentId) {
      // The crowd saw it too: one incident, the crowd's, confirmed by the probes.
      await this.save(closeIncident(open, now, crowd.incidentId), 'closed', crowd.incidentId);
      return;
    }
    if (probe.length === 0 || crowd || maintenance) {
      if (open) await this.save(closeIncident(open, now), 'closed');
      return;
    }
    const next = openOrUpdate(service, probe, open, now);
    if (!open) await this.save(next, 'opened');
    else if (probeIncidentChanged(open, next)) await this.save(next, 'updated');
  }

  private async save(inc: Incident, kind: 'opened' | 'updated' | 'closed', mergedInto?: string): Promise<void> {
    // A service deleted since this evaluation began keeps no incident and announces none.
    if (!(await this.o.incidents.upsert(inc))) return;
    this.o.bus.publish('incident.changed', { kind, incidentId: inc.id, service: inc.service, at: inc.updatedAt, source: 'probe', ...(mergedInto ? { mergedInto } : {}) });
  }
}
