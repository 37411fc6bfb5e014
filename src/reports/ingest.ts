import type { Bus } from '../events/bus.js';
import type { CountryLookup } from '../geo/country.js';
import type { BatchKey, ReportsRepository } from '../store/reports-repo.js';
import type { ServiceRecord, ServicesRepository } from '../store/services-repo.js';
import type { Clock } from '../time/clock.js';
import type { ReportsSection } from './config.js';
import { BatchParser } from './batch-parser.js';
import { DedupeWindow } from './dedupe.js';
import { Fingerprinter } from './fingerprint.js';
import { IngestQueue, type QueueOutcome, type QueuedReport, type RequestClaims } from './ingest-queue.js';
import type { ClaimingWriter } from '../store/report-claims.js';
import { LimitPolicy, type LimitRefusal } from './limit-policy.js';
import { RateLimiter } from './rate-limit.js';
import { SourceWindow } from './source-window.js';
import type { RejectReason, ReportMetrics } from './report-metrics.js';
import { UNKNOWN_REGION, normaliseRegion } from './vocabulary.js';

/** Event times may run ahead of the server clock by this much (client clock skew). */
const MAX_FUTURE_MS = 5 * 60_000;

/** Who sent a report, as the HTTP layer saw it. Never stored. */
export interface Sender {
  ip: string;
  userAgent: string;
}

/** A report already checked against the schema (problem and client enums). */
export interface ReportInput {
  problem: string;
  region?: string;
  client?: string;
}

export type Rejection = { reason: RejectReason | 'invalid_region'; message: string; field?: string; retryAfterS?: number };

/** `done` settles once the report is durable; with a rejection when the cluster-wide state refused it at commit. */
export type SubmitResult = { ok: true; region: string; done: Promise<Rejection | undefined> } | ({ ok: false } & Rejection);

export interface ReportIngestDeps {
  services: ServicesRepository;
  reports: ReportsRepository;
  bus: Bus;
  clock: Clock;
  geo: CountryLookup;
  metrics: ReportMetrics;
  /** Secret for the daily fingerprint salt (kept in the settings table). */
  fingerprintSecret: string;
  config: ReportsSection;
  /**
   * Cluster mode: dedupe and rate limits are claimed in the database inside the group
   * commit, so they hold whichever node a request reaches. The in-memory tables stay in
   * front as a cheap first filter.
   */
  sharedWriter?: ClaimingWriter;
}

/**
 * The crowd-report pipeline: limits, dedupe, region, then the group-commit queue.
 * Every refusal carries a reason and is counted; nothing is dropped silently.
 */
export class ReportIngest {
  readonly queue: IngestQueue;
  readonly dedupe: DedupeWindow;
  readonly limits: LimitPolicy;
  /** Which reports come from sources new to their service (distinct-source evidence for detection). */
  readonly sources: SourceWindow;
  readonly fingerprints: Fingerprinter;
  readonly parser: BatchParser;

  constructor(private readonly deps: ReportIngestDeps) {
    const c = deps.config;
    this.dedupe = new DedupeWindow(c.dedupeMinutes * 60_000, c.maxTrackedFingerprints);
    this.limits = new LimitPolicy(
      {
        address: new RateLimiter(c.ratePerMinute, c.rateBurst, c.maxTrackedClients),
        prefix: new RateLimiter(c.prefixRatePerMinute, c.prefixRateBurst, c.maxTrackedClients),
        service: new RateLimiter(c.serviceRatePerMinute, c.serviceRateBurst, c.maxTrackedClients),
      },
      { v4: c.prefixLengthV4, v6: c.prefixLengthV6 },
      (limit, n) => deps.metrics.limited(limit, n),
    );
    this.sources = new SourceWindow(c.sourceWindowMinutes * 60_000, c.maxTrackedClients);
    this.fingerprints = new Fingerprinter(deps.fingerprintSecret);
    this.parser = new BatchParser({
      secret: deps.fingerprintSecret,
      maxFutureMs: MAX_FUTURE_MS,
      prefixLengths: { v4: c.prefixLengthV4, v6: c.prefixLengthV6 },
      workers: c.parseWorkers,
      inlineBelowBytes: 64 * 1024,
      onParsed: (where) => deps.metrics.batchBodies.inc({ where }),
    });
    this.queue = new IngestQueue({
      commit: (reports, deltas, key) => deps.reports.commit(reports, deltas, key),
      ...(deps.sharedWriter ? { shared: { writer: deps.sharedWriter, dedupeWindowMs: c.dedupeMinutes * 60_000, now: () => deps.clock.now() } } : {}),
      bus: deps.bus,
      flushDelayMs: c.flushDelayMs,
      maxBatchSize: c.maxBatchSize,
      onCommit: (seconds, size, ok) => {
        deps.metrics.commitSeconds.observe(seconds);
        if (ok) {
          deps.metrics.commitSize.observe(size);
          deps.metrics.accepted.inc(size);
        } else {
          deps.metrics.reject('storage_failed', size);
        }
      },
    });
  }

  get metrics(): ReportMetrics {
    return this.deps.metrics;
  }
  get clock(): Clock {
    return this.deps.clock;
  }
  get config(): ReportsSection {
    return this.deps.config;
  }

  /** Whether dedupe and limits are claimed cluster-wide at commit. */
  get shared(): boolean {
    return this.deps.sharedWriter !== undefined;
  }

  /**
   * The claims of one request, or undefined outside cluster mode: the same charges the
   * limit policy took here (sender's address and network, and the network's share of each
   * service), and the reports to dedupe.
   */
  claims(sender: { ip: string; network: string; serviceIds: readonly number[]; cost: number } | undefined, dedupe: RequestClaims['dedupe']): RequestClaims | undefined {
    if (!this.deps.sharedWriter) return undefined;
    return { dedupe, charges: sender ? this.limits.charges(sender.ip, sender.network, sender.serviceIds, sender.cost) : [] };
  }

  /** Re-seeds dedupe from the reports of the last window, so a restart forgets nobody. */
  async start(): Promise<void> {
    if (this.dedupe.windowMs <= 0) return;
    const since = this.deps.clock.now() - this.dedupe.windowMs;
    const rows = await this.deps.reports.recentFingerprints(since, this.dedupe.maxKeys);
    for (let i = rows.length - 1; i >= 0; i--) this.dedupe.seed(rows[i].serviceId, rows[i].fingerprint, rows[i].ts);
  }

  async stop(): Promise<void> {
    await this.parser.close();
    await this.queue.stop();
  }

  /** The stored key row of an idempotent batch import, if any. */
  batchKey(key: string): Promise<BatchKey | undefined> {
    return this.deps.reports.batchKey(key);
  }

  service(slug: string): Promise<ServiceRecord | undefined> {
    return this.deps.services.get(slug);
  }

  /** Region given (validated) or derived from the address; undefined when the given one is invalid. */
  region(given: string | undefined, ip: string): string | undefined {
    if (given !== undefined) return normaliseRegion(given);
    return this.deps.geo.country(ip) ?? UNKNOWN_REGION;
  }

  /** One live report from a browser or app. */
  async submit(slug: string, input: ReportInput, sender: Sender): Promise<SubmitResult> {
    const svc = await this.deps.services.get(slug);
    if (!svc) return this.refuse({ reason: 'unknown_service', message: `service ${slug} not found` });
    const region = this.region(input.region, sender.ip);
    if (region === undefined) {
      this.deps.metrics.reject('invalid');
      return { ok: false, reason: 'invalid_region', message: 'region must be an ISO 3166-1 alpha-2 country code or an ISO 3166-2 subdivision such as US-CA', field: 'region' };
    }
    const now = this.deps.clock.now();
    const network = this.limits.network(sender.ip);
    const limited = this.limits.admitSender(sender.ip, network, now) ?? this.admitService(sender, network, svc.id, now);
    if (limited !== null) return { ok: false, reason: 'rate_limited', message: limitMessage(limited), retryAfterS: limited.retryAfterS };
    const fingerprint = this.fingerprints.fingerprint(sender.ip, sender.userAgent, now);
    if (!this.dedupe.admit(svc.id, fingerprint, now)) {
      // Not an error for the client (the report already counts), so no Retry-After.
      return this.refuse({ reason: 'duplicate', message: `this reporter already reported ${slug} within ${this.deps.config.dedupeMinutes} minutes` });
    }
    if (this.queue.depth >= this.deps.config.maxQueued) {
      this.dedupe.forget(svc.id, fingerprint, now);
      return this.refuse({ reason: 'overloaded', message: 'the server is saturated; try again shortly', retryAfterS: 1 });
    }
    const newSource = this.sources.isNew(svc.id, network, now);
    const report: QueuedReport = { service: slug, serviceId: svc.id, ts: now, problem: input.problem, region, client: input.client ?? null, fingerprint, newSource };
    const done = this.queue.enqueue([report], this.claims({ ip: sender.ip, network, serviceIds: [svc.id], cost: 1 }, 'all'));
    return { ok: true, region, done: this.deps.sharedWriter ? done.then((o) => this.refusedAtCommit(o, slug)) : done.then(noRejection) };
  }

  /** What the cluster-wide state said at commit, as the rejection the client gets. */
  private refusedAtCommit(o: QueueOutcome, slug: string): Rejection | undefined {
    if (o.rateLimited) {
      this.deps.metrics.reject('rate_limited');
      // The shared bucket is over: one token's refill time is when trying again makes sense.
      return { reason: 'rate_limited', message: 'too many reports from this address or network; try again later', retryAfterS: Math.min(86_400, Math.max(1, Math.ceil(60 / Math.max(this.deps.config.ratePerMinute, 1e-6)))) };
    }
    if (o.duplicates.length > 0) {
      this.deps.metrics.reject('duplicate');
      return { reason: 'duplicate', message: `this reporter already reported ${slug} within ${this.deps.config.dedupeMinutes} minutes` };
    }
    return undefined;
  }

  /** The service limit after the sender's: a refusal gives the sender's tokens back. */
  private admitService(sender: Sender, network: string, serviceId: number, now: number): LimitRefusal | null {
    const refused = this.limits.admitService(network, serviceId, now);
    if (refused !== null) this.limits.refundSender(sender.ip, network, now);
    return refused;
  }

  private refuse(r: Rejection & { reason: RejectReason }): SubmitResult {
    this.deps.metrics.reject(r.reason);
    return { ok: false, ...r };
  }
}

const LIMIT_MESSAGES: Record<LimitRefusal['limit'], string> = {
  address: 'too many reports from this address; try again later',
  prefix: 'too many reports from this network; try again later',
  service: 'too many reports about this service from this network; try again later',
};

/** The message of a rate-limit refusal, naming the limit. */
export function limitMessage(r: LimitRefusal): string {
  return LIMIT_MESSAGES[r.limit];
}

function noRejection(): undefined {
  return undefined;
}
