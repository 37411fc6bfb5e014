import { createDetector, type Detector, type DetectorOptions, type DetectorState } from '../detect/detector.js';
import type { Bus, BusEvents } from '../events/bus.js';
import { LeaseLostError } from '../cluster/lease-table.js';
import type { IncidentRepository } from '../store/incident-repository.js';
import type { Clock } from '../time/clock.js';
import { initialEngineState, type EngineOptions, type EngineState, type MinuteCounts } from './engine.js';
import { processMinutes } from './process-minutes.js';
import { feedWithout, sameUnlearned, spansToUnlearn, type DismissedSpan } from './unlearn.js';

/** Where the runner reads a service's minute rollups (the reports repository, adapted). */
export interface MinuteSource {
  /** Rollup rows of `service` (slug) with `from <= minute < to`, any order. */
  minuteCounts(service: string, from: number, to: number): Promise<{ minute: number; problem: string; region: string; count: number; sources?: number }[]>;
  /** The service's first minute with reports, for a service this node saw no commit of. */
  firstMinute?(service: string): Promise<number | undefined>;
}

/**
 * Which services this node processes (cluster mode: the services whose lease it holds).
 * Without one, the runner processes every service.
 */
export interface RunnerOwnership {
  owns(service: string): boolean;
  /** Where the service's state and incidents are written while owned (fenced by its lease). */
  repo(service: string): IncidentRepository | undefined;
  /** A `lost` listener's promise resolves once the runner wrote its last for the service. */
  onChange(listener: (change: { gained: readonly string[]; lost: readonly string[] }) => void | Promise<void>): () => void;
}

export interface IncidentRunnerOptions {
  bus: Bus;
  clock: Clock;
  repo: IncidentRepository;
  source: MinuteSource;
  /** How often the wall-clock rule is checked. */
  tickMs?: number;
  /** A service's ingest must have been quiet this long before wall clock may complete its minutes. */
  settleMs?: number;
  /** A stretch without any report longer than this is skipped but for its last part. */
  maxCatchUpMs?: number;
  detector?: Partial<DetectorOptions>;
  engine?: EngineOptions;
  onError?: (err: unknown, service: string) => void;
  ownership?: RunnerOwnership;
  /** The service's announced maintenance windows overlapping [from, to): no incident opens in them. */
  maintenance?: (service: string, from: number, to: number) => Promise<readonly { startsAt: number; endsAt: number }[]>;
  /** The service's incidents an operator dismissed: the detector is rebuilt without their minutes. */
  dismissed?: (service: string) => Promise<readonly DismissedSpan[]>;
}

const MINUTE_MS = 60_000;
/** Minutes read, processed and saved at a time. */
const CHUNK_MINUTES = 1440;

interface Live {
  lastMinute: number;
  detector: Detector;
  engine: EngineState;
}

interface Tracking {
  /** First minute seen committed, for a service without saved state. */
  firstMinute?: number;
  /** The latest event-time minute committed. */
  latestMinute?: number;
  /** Wall-clock time of the last commit. */
  lastCommitAt: number;
  live?: Live;
  chain: Promise<void>;
}

/**
 * The live incident engine: a server Component. A service's minute is processed once it is
 * complete, in event-time order: when a later minute has been committed (event time moved
 * past it), or when wall clock has moved past it and the service's ingest has been quiet for
 * `settleMs` (so that a backfill posted in several batches is not cut in the middle of a
 * minute). Backfilled history therefore goes through exactly the steps live traffic does.
 * Reports arriving for a minute already processed count in the rollups but not for detection.
 */
export class IncidentRunner {
  readonly name = 'incidents';
  private readonly services = new Map<string, Tracking>();
  private unsubscribe?: () => void;
  private timer?: ReturnType<typeof setInterval>;
  private unsubscribeOwnership?: () => void;
  private unsubscribeDismissed?: () => void;
  private unsubscribeDeleted?: () => void;
  private readonly o: Required<Omit<IncidentRunnerOptions, 'detector' | 'engine' | 'ownership' | 'maintenance' | 'dismissed'>> &
    Pick<IncidentRunnerOptions, 'detector' | 'engine' | 'ownership' | 'maintenance' | 'dismissed'>;

  constructor(options: IncidentRunnerOptions) {
    this.o = { tickMs: 5_000, settleMs: 5_000, maxCatchUpMs: 2 * 86_400_000, onError: () => undefined, ...options };
  }

  private owns(service: string): boolean {
    return this.o.ownership?.owns(service) ?? true;
  }

  private repoFor(service: string): IncidentRepository | undefined {
    return this.o.ownership ? this.o.ownership.repo(service) : this.o.repo;
  }

  async start(): Promise<void> {
    for (const s of await this.o.repo.listStates()) this.track(s.service);
    this.unsubscribe = this.o.bus.subscribe('reports.committed', (rows) => this.onCommitted(rows));
    this.unsubscribeDismissed = this.o.bus.subscribe('incident.dismissed', (e) => {
      if (this.owns(e.service)) this.enqueue(e.service, (t, repo) => this.reconcile(e.service, t, repo));
    });
    // A deleted service's saved state went with it (one transaction); the copy in memory must
    // go too, after whatever was queued for it, or a service made again under the same slug
    // would go on with the old detector and incidents.
    this.unsubscribeDeleted = this.o.bus.subscribe('service.changed', (e) => {
      if (e.kind !== 'deleted') return;
      const t = this.services.get(e.slug);
      if (!t) return;
      t.chain = t.chain.then(() => {
        if (this.services.get(e.slug) === t) this.services.delete(e.slug);
      });
    });
    this.unsubscribeOwnership = this.o.ownership?.onChange(async ({ gained, lost }) => {
      for (const service of lost) {
        const t = this.track(service);
        await t.chain;
        t.live = undefined;
      }
      for (const service of gained) {
        const t = this.track(service);
        // Whatever the last holder saved is the starting point.
        t.live = undefined;
        if (t.latestMinute !== undefined) this.schedule(service, t.latestMinute);
      }
    });
    if (this.o.tickMs > 0) {
      this.timer = setInterval(() => this.tick(), this.o.tickMs);
      this.timer.unref();
    }
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribeDismissed?.();
    this.unsubscribeDeleted?.();
    this.unsubscribeOwnership?.();
    if (this.timer) clearInterval(this.timer);
    await this.idle();
  }

  /** Resolves once every queued piece of work has finished (tests, shutdown). */
  async idle(): Promise<void> {
    let pending: Promise<void>[];
    do {
      pending = [...this.services.values()].map((t) => t.chain);
      await Promise.all(pending);
    } while ([...this.services.values()].some((t, i) => t.chain !== pending[i]));
  }

  /** Applies the wall-clock rule to every known service. */
  tick(): void {
    const now = this.o.clock.now();
    const current = Math.floor(now / MINUTE_MS) * MINUTE_MS;
    for (const [service, t] of this.services) {
      if (now - t.lastCommitAt >= this.o.settleMs && this.owns(service)) this.schedule(service, current);
    }
  }

  private onCommitted(rows: BusEvents['reports.committed']): void {
    const now = this.o.clock.now();
    const latest = new Map<string, number>();
    for (const r of rows) {
      const t = this.track(r.service);
      t.lastCommitAt = now;
      t.firstMinute = Math.min(t.firstMinute ?? r.minute, r.minute);
      t.latestMinute = Math.max(t.latestMinute ?? r.minute, r.minute);
      latest.set(r.service, t.latestMinute);
    }
    // Everything before the latest committed minute is complete in event time.
    for (const [service, minute] of latest) if (this.owns(service)) this.schedule(service, minute);
  }

  private track(service: string): Tracking {
    let t = this.services.get(service);
    if (!t) {
      t = { lastCommitAt: 0, chain: Promise.resolve() };
      this.services.set(service, t);
    }
    return t;
  }

  /** Queues processing of `service` up to (not including) the minute starting at `upTo`. */
  private schedule(service: string, upTo: number): void {
    this.enqueue(service, (t, repo) => this.process(service, t, upTo, repo));
  }

  /** Runs `work` after everything queued for the service, while this node writes its state. */
  private enqueue(service: string, work: (t: Tracking, repo: IncidentRepository) => Promise<void>): void {
    const t = this.track(service);
    t.chain = t.chain.then(() => {
      const repo = this.repoFor(service);
      if (!repo) return;
      return work(t, repo).catch((err: unknown) => {
        t.live = undefined; // reload the last saved state next time
        // The lease moved while this node worked on the service: the next holder goes on.
        if (err instanceof LeaseLostError) return;
        this.o.onError(err, service);
      });
    });
  }

  /** The service's live state, loaded (and reconciled with dismissals made meanwhile) when not in memory. */
  private async live(service: string, t: Tracking, repo: IncidentRepository): Promise<Live | undefined> {
    if (t.live) return t.live;
    const live = await this.load(service, t, repo);
    if (!live) return undefined;
    t.live = live;
    // A dismissal this node did not hear of (it was down, or another node held the service).
    await this.reconcile(service, t, repo);
    return t.live;
  }

  private async process(service: string, t: Tracking, upTo: number, repo: IncidentRepository): Promise<void> {
    const live = await this.live(service, t, repo);
    if (!live) return;
    let closedDismissed = false;
    let from = live.lastMinute + MINUTE_MS;
    while (from < upTo && this.repoFor(service) === repo) {
      let to = Math.min(upTo, from + CHUNK_MINUTES * MINUTE_MS);
      let rows = await this.o.source.minuteCounts(service, from, to);
      if (rows.length === 0 && upTo - from > this.o.maxCatchUpMs) {
        // A long silence (server down, or old backfill followed by nothing): only its end matters.
        const later = await this.o.source.minuteCounts(service, to, upTo - this.o.maxCatchUpMs);
        if (later.length === 0) {
          from = upTo - this.o.maxCatchUpMs;
          to = Math.min(upTo, from + CHUNK_MINUTES * MINUTE_MS);
          rows = await this.o.source.minuteCounts(service, from, to);
        }
      }
      const windows = (await this.o.maintenance?.(service, from, to)) ?? [];
      const underMaintenance = (minute: number): boolean => windows.some((w) => w.startsAt <= minute && minute < w.endsAt);
      const dismissedOpen = live.engine.tracked?.dismissed && live.engine.tracked.closedAt === undefined ? live.engine.tracked.id : undefined;
      const result = processMinutes(service, live.detector, live.engine, denseMinutes(rows, from, to), this.o.engine, underMaintenance);
      live.engine = result.state;
      live.lastMinute = to - MINUTE_MS;
      const saved = await repo.save(
        {
          service,
          lastMinute: live.lastMinute,
          status: result.status,
          detector: live.detector.snapshot(),
          engine: live.engine,
          updatedAt: this.o.clock.now(),
        },
        [...result.incidents.values()],
        result.points.map((p) => ({ minute: p.minute, total: p.total, expected: p.out.expected, upper: p.out.upper, score: p.out.score, alarm: p.out.alarm })),
      );
      if (!saved) {
        // The service was deleted while this ran: nothing was written, and nothing happened.
        t.live = undefined;
        return;
      }
      for (const e of result.events) {
        this.o.bus.publish('incident.changed', { kind: e.kind, incidentId: e.incidentId, service, at: e.at });
        if (e.kind === 'closed' && e.incidentId === dismissedOpen) closedDismissed = true;
      }
      from = to;
    }
    // A dismissed incident that was still open has run its course: now its minutes are unlearnt.
    if (closedDismissed) await this.reconcile(service, t, repo);
  }

  /**
   * Brings the detector in line with the service's dismissed incidents: when the set of closed
   * dismissed incidents differs from the one the state was built without, the detector is
   * rebuilt from the service's whole history with their minutes replaced by what the baseline
   * expected (unlearn.ts). The engine's state is kept; a dismissed incident it still tracks is
   * flagged so that a later spike opens a new incident rather than reopening the dismissed one.
   */
  private async reconcile(service: string, t: Tracking, repo: IncidentRepository): Promise<void> {
    if (!this.o.dismissed) return;
    const live = await this.live(service, t, repo);
    if (!live) return;
    const spans = await this.o.dismissed(service);
    const tracked = live.engine.tracked;
    const flag = tracked !== undefined && !tracked.dismissed && spans.some((s) => s.id === tracked.id);
    if (flag) tracked.dismissed = true;
    const unlearn = spansToUnlearn(spans, live.lastMinute);
    const rebuild = !sameUnlearned(live.engine.unlearned, unlearn);
    if (!rebuild && !flag) return;
    if (rebuild) {
      const detector = createDetector(this.o.detector);
      const first = (await this.o.source.firstMinute?.(service)) ?? t.firstMinute;
      // Every minute from the first report on, as a server that ran throughout would have seen them.
      for (let from = first ?? live.lastMinute + MINUTE_MS; from <= live.lastMinute; from += CHUNK_MINUTES * MINUTE_MS) {
        if (this.repoFor(service) !== repo) throw new LeaseLostError(service);
        const to = Math.min(live.lastMinute + MINUTE_MS, from + CHUNK_MINUTES * MINUTE_MS);
        feedWithout(detector, denseMinutes(await this.o.source.minuteCounts(service, from, to), from, to), unlearn);
      }
      live.detector = detector;
      live.engine.unlearned = unlearn.map((s) => s.id);
    }
    const now = this.o.clock.now();
    if (!(await repo.save({ service, lastMinute: live.lastMinute, status: live.engine.status, detector: live.detector.snapshot(), engine: live.engine, updatedAt: now }, [], []))) t.live = undefined;
  }

  private async load(service: string, t: Tracking, repo: IncidentRepository): Promise<Live | undefined> {
    const saved = await repo.loadState(service);
    if (saved) {
      let detector: Detector;
      try {
        detector = createDetector(this.o.detector, saved.detector as DetectorState);
      } catch {
        detector = createDetector(this.o.detector); // an incompatible snapshot: relearn
      }
      return { lastMinute: saved.lastMinute, detector, engine: saved.engine as EngineState };
    }
    // The rollups know the first minute even when this node did not see its commit.
    const first = (await this.o.source.firstMinute?.(service)) ?? t.firstMinute;
    if (first === undefined) return undefined;
    return { lastMinute: first - MINUTE_MS, detector: createDetector(this.o.detector), engine: initialEngineState() };
  }
}

/** One entry per minute in [from, to): minutes without reports count as zero. */
export function denseMinutes(rows: readonly { minute: number; problem: string; region: string; count: number; sources?: number }[], from: number, to: number): MinuteCounts[] {
  const n = Math.max(0, Math.round((to - from) / MINUTE_MS));
  const out: MinuteCounts[] = Array.from({ length: n }, (_, i) => ({ minute: from + i * MINUTE_MS, total: 0, problems: {}, regions: {}, sources: 0 }));
  for (const r of rows) {
    const m = out[Math.round((r.minute - from) / MINUTE_MS)];
    if (!m) continue;
    m.total += r.count;
    m.sources = (m.sources ?? 0) + (r.sources ?? r.count);
    m.problems[r.problem] = (m.problems[r.problem] ?? 0) + r.count;
    m.regions[r.region] = (m.regions[r.region] ?? 0) + r.count;
  }
  return out;
}
