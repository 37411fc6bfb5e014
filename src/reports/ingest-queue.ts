import type { Bus } from '../events/bus.js';
import type { BatchClaims, BatchRefusals, ClaimingWriter, RateCharge } from '../store/report-claims.js';
import type { BatchKey, MinuteDelta, StoredReport } from '../store/reports-repo.js';

/** A report on its way to the database, with the slug the bus event names. */
export interface QueuedReport extends StoredReport {
  service: string;
  /** Its source (network, or integrator reporter) had not reported this service within the window. */
  newSource: boolean;
}

/** What one request claims in the shared abuse state (cluster mode), decided at commit. */
export interface RequestClaims {
  /** Reports (indices into the request's) claimed against the dedupe window; 'all' for every one. */
  dedupe: 'all' | readonly number[];
  /** Rate-limit charges of the request: over any of them, all its reports are refused. */
  charges: readonly RateCharge[];
}

/** How the commit treated one request's reports. */
export interface QueueOutcome {
  /** The request was over a cluster-wide rate limit: none of its reports was stored. */
  rateLimited: boolean;
  /** Reports (indices into the request's) refused as duplicates by the shared dedupe. */
  duplicates: readonly number[];
}

export const ALL_ACCEPTED: QueueOutcome = Object.freeze({ rateLimited: false, duplicates: Object.freeze([]) as readonly number[] });

/** Commit with the shared abuse state (cluster mode). */
export interface SharedClaims {
  writer: ClaimingWriter;
  dedupeWindowMs: number;
  now: () => number;
}

export interface IngestQueueOptions {
  /** Writes one batch in one transaction; with a key, false when the key was already stored (nothing written). */
  commit: (reports: readonly StoredReport[], deltas: readonly MinuteDelta[], key?: BatchKey) => Promise<boolean | void>;
  bus: Bus;
  flushDelayMs: number;
  maxBatchSize: number;
  /** Called after each commit attempt with its duration and size. */
  onCommit?: (seconds: number, size: number, ok: boolean) => void;
  /** Cluster mode: claims go into the commit's transaction (src/store/report-claims.ts). */
  shared?: SharedClaims;
}

interface Waiter {
  resolve(outcome: QueueOutcome): void;
  reject(err: unknown): void;
  /** The request's reports in the batch: `from` ≤ i < `to`. */
  from: number;
  to: number;
  claims?: RequestClaims;
}

const MINUTE_MS = 60_000;
/** Rest after a commit, in multiples of its duration, before the next one may start. */
const COMMIT_REST = 2;

/**
 * Group commit: reports gather until the database has rested twice as long as its last
 * commit took, at most `flushDelayMs` (or until `maxBatchSize` wait), then one transaction
 * stores the raw rows and the batch's minute rollups, aggregated here. A lone report on a
 * quiet server is committed on the next event-loop turn; under load, commits group
 * themselves so that they take at most a third of the time.
 * Each caller's promise settles when the batch holding its reports is committed, so a 202
 * is only ever sent for durable reports. One commit runs at a time; reports arriving
 * meanwhile form the next batch.
 */
export class IngestQueue {
  private pending: QueuedReport[] = [];
  private waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: IngestQueueOptions) {}

  /** Reports waiting for (or inside) a commit. */
  get depth(): number {
    return this.pending.length + this.inFlight;
  }
  private inFlight = 0;
  /** Duration and end of the last commit (performance.now() ms). */
  private lastCommitMs = 0;
  private lastCommitEnd = 0;

  /**
   * Resolves once every report given is committed, with what the shared abuse state refused
   * (nothing, outside cluster mode).
   */
  enqueue(reports: readonly QueuedReport[], claims?: RequestClaims): Promise<QueueOutcome> {
    if (this.stopped) return Promise.reject(new Error('ingest queue is stopped'));
    if (reports.length === 0) return Promise.resolve(ALL_ACCEPTED);
    const from = this.pending.length;
    // One copy for a whole batch request instead of 10,000 pushes.
    this.pending = this.pending.length === 0 ? reports.slice() : this.pending.concat(reports);
    const to = this.pending.length;
    const done = new Promise<QueueOutcome>((resolve, reject) => this.waiters.push({ resolve, reject, from, to, ...(claims && this.options.shared ? { claims } : {}) }));
    if (this.pending.length >= this.options.maxBatchSize) this.kick();
    else this.schedule();
    return done;
  }

  /**
   * Commits an idempotent import on its own, with its key in the same transaction (so a
   * retried batch is never stored twice, even by another server on the same database).
   * Resolves false when the key was already stored and nothing was written.
   */
  commitKeyed(reports: readonly QueuedReport[], key: BatchKey): Promise<boolean> {
    if (this.stopped) return Promise.reject(new Error('ingest queue is stopped'));
    const run = this.runKeyed(reports, key);
    this.keyed.add(run);
    void run.then(
      () => this.keyed.delete(run),
      () => this.keyed.delete(run),
    );
    return run;
  }
  private readonly keyed = new Set<Promise<boolean>>();

  private async runKeyed(reports: readonly QueuedReport[], key: BatchKey): Promise<boolean> {
    const started = performance.now();
    this.inFlight += reports.length;
    let fresh: boolean;
    try {
      fresh = (await this.options.commit(reports, aggregate(reports), key)) !== false;
    } catch (err) {
      this.options.onCommit?.((performance.now() - started) / 1000, reports.length, false);
      throw err;
    } finally {
      this.inFlight -= reports.length;
    }
    if (!fresh) return false;
    this.options.onCommit?.((performance.now() - started) / 1000, reports.length, true);
    if (reports.length > 0) this.options.bus.publish('reports.committed', perServiceMinute(reports));
    return true;
  }

  /** Commits everything queued so far. */
  async flush(): Promise<void> {
    while (this.pending.length > 0 || this.running) {
      if (this.running) await this.running.catch(() => undefined);
      else await this.runOnce();
    }
  }

  /** Refuses new reports, then commits what was accepted. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    await this.flush();
    await Promise.allSettled([...this.keyed]);
  }

  private schedule(): void {
    if (this.timer || this.immediate || this.running) return;
    // Wait until the database has rested twice as long as the last commit took (commits then
    // use at most a third of the time, however fast reports come), never beyond flushDelayMs.
    const wait = Math.min(this.options.flushDelayMs, COMMIT_REST * this.lastCommitMs - (performance.now() - this.lastCommitEnd));
    if (wait <= 0) {
      // Everything parsed in this event-loop turn forms the batch; no timer wait.
      this.immediate = setImmediate(() => {
        this.immediate = undefined;
        this.kick();
      });
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.kick();
    }, wait);
  }

  private kick(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.immediate) {
      clearImmediate(this.immediate);
      this.immediate = undefined;
    }
    if (this.running || this.pending.length === 0) return;
    void this.runOnce();
  }

  private runOnce(): Promise<void> {
    const batch = this.pending;
    const waiters = this.waiters;
    this.pending = [];
    this.waiters = [];
    this.inFlight += batch.length;
    const run = this.commitBatch(batch, waiters).finally(() => {
      this.inFlight -= batch.length;
      this.running = undefined;
      // Whatever arrived during the commit is the next batch, after the same rest.
      if (this.pending.length >= this.options.maxBatchSize) this.kick();
      else if (this.pending.length > 0) this.schedule();
    });
    this.running = run;
    return run;
  }

  private async commitBatch(batch: QueuedReport[], waiters: Waiter[]): Promise<void> {
    const started = performance.now();
    let refusals: BatchRefusals | undefined;
    try {
      const shared = this.options.shared;
      const claims = shared ? batchClaims(waiters, shared) : undefined;
      if (shared && claims) refusals = await shared.writer(batch, claims, aggregate);
      else await this.options.commit(batch, aggregate(batch));
      this.lastCommitEnd = performance.now();
      this.lastCommitMs = this.lastCommitEnd - started;
    } catch (err) {
      this.options.onCommit?.((performance.now() - started) / 1000, batch.length, false);
      for (const w of waiters) w.reject(err);
      return;
    }
    const stored = refusals ? storedOnly(batch, waiters, refusals) : batch;
    this.options.onCommit?.((performance.now() - started) / 1000, stored.length, true);
    if (refusals && (refusals.rateLimited.length > 0 || refusals.duplicates.length > 0)) resolveWith(waiters, refusals);
    else for (const w of waiters) w.resolve(ALL_ACCEPTED);
    if (stored.length > 0) this.options.bus.publish('reports.committed', perServiceMinute(stored));
  }
}

/** The batch's claims, or undefined when no request claims anything. */
function batchClaims(waiters: readonly Waiter[], shared: SharedClaims): BatchClaims | undefined {
  const dedupe: number[] = [];
  const charges: BatchClaims['charges'][number][] = [];
  for (const w of waiters) {
    if (!w.claims) continue;
    if (w.claims.dedupe === 'all') for (let i = w.from; i < w.to; i++) dedupe.push(i);
    else for (const i of w.claims.dedupe) dedupe.push(w.from + i);
    if (w.claims.charges.length > 0) charges.push({ charges: w.claims.charges, from: w.from, to: w.to });
  }
  if (dedupe.length === 0 && charges.length === 0) return undefined;
  return { now: shared.now(), dedupeWindowMs: shared.dedupeWindowMs, dedupe, charges };
}

/** Which requests own the refused charges and reports, and what each is told. */
function resolveWith(waiters: readonly Waiter[], refusals: BatchRefusals): void {
  const limited = new Set<Waiter>();
  const charging = waiters.filter((w) => w.claims && w.claims.charges.length > 0);
  for (const i of refusals.rateLimited) limited.add(charging[i]);
  const duplicates = new Map<Waiter, number[]>();
  let k = 0;
  for (const i of refusals.duplicates) {
    while (waiters[k].to <= i) k++;
    const w = waiters[k];
    let list = duplicates.get(w);
    if (!list) duplicates.set(w, (list = []));
    list.push(i - w.from);
  }
  for (const w of waiters) {
    const dup = duplicates.get(w);
    w.resolve(limited.has(w) || dup ? { rateLimited: limited.has(w), duplicates: dup ?? [] } : ALL_ACCEPTED);
  }
}

function storedOnly(batch: readonly QueuedReport[], waiters: readonly Waiter[], refusals: BatchRefusals): readonly QueuedReport[] {
  if (refusals.rateLimited.length === 0 && refusals.duplicates.length === 0) return batch;
  const refused = new Uint8Array(batch.length);
  const charging = waiters.filter((w) => w.claims && w.claims.charges.length > 0);
  for (const i of refusals.rateLimited) refused.fill(1, charging[i].from, charging[i].to);
  for (const i of refusals.duplicates) refused[i] = 1;
  return batch.filter((_, i) => refused[i] === 0);
}

/** The batch's rollup deltas: one per (service, minute, problem, region). Reports without `newSource` count as their own source. */
export function aggregate(batch: readonly (StoredReport & { newSource?: boolean })[]): MinuteDelta[] {
  // Keyed by numbers, then the two short strings: no composite key string per report.
  const byServiceMinute = new Map<number | string, Map<string, Map<string, MinuteDelta>>>();
  const out: MinuteDelta[] = [];
  for (const r of batch) {
    const minute = r.ts - (((r.ts % MINUTE_MS) + MINUTE_MS) % MINUTE_MS);
    const outer = serviceMinuteKey(r.serviceId, minute);
    let byProblem = byServiceMinute.get(outer);
    if (byProblem === undefined) {
      byProblem = new Map();
      byServiceMinute.set(outer, byProblem);
    }
    let byRegion = byProblem.get(r.problem);
    if (byRegion === undefined) {
      byRegion = new Map();
      byProblem.set(r.problem, byRegion);
    }
    const d = byRegion.get(r.region);
    const fresh = r.newSource === false ? 0 : 1;
    if (d) {
      d.count++;
      d.sources += fresh;
    } else {
      const created = { serviceId: r.serviceId, minute, problem: r.problem, region: r.region, count: 1, sources: fresh };
      byRegion.set(r.region, created);
      out.push(created);
    }
  }
  return out;
}

/**
 * One number per (service, minute): minute index times 2^21 plus the service id stays below
 * 2^53 for minutes up to year 10,000 and ids under 2^21; other pairs fall back to a string.
 */
function serviceMinuteKey(serviceId: number, minute: number): number | string {
  const index = minute / MINUTE_MS;
  return serviceId >= 0 && serviceId < 2_097_152 && Number.isInteger(serviceId) && index >= 0 && index < 4_294_967_296 ? index * 2_097_152 + serviceId : `${serviceId}|${minute}`;
}

function perServiceMinute(batch: readonly QueuedReport[]): { service: string; minute: number; count: number }[] {
  const byKey = new Map<number | string, { service: string; minute: number; count: number }>();
  const out: { service: string; minute: number; count: number }[] = [];
  for (const r of batch) {
    const minute = r.ts - (((r.ts % MINUTE_MS) + MINUTE_MS) % MINUTE_MS);
    // The id names the slug one-to-one.
    const key = serviceMinuteKey(r.serviceId, minute);
    const e = byKey.get(key);
    if (e) e.count++;
    else {
      const created = { service: r.service, minute, count: 1 };
      byKey.set(key, created);
      out.push(created);
    }
  }
  return out;
}
