import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { LIMITS, type LimitName } from './limit-policy.js';

/** Reasons a report is refused; each is a label value of `stormwatch_reports_rejected_total`. */
export type RejectReason =
  | 'invalid'
  | 'unknown_service'
  | 'rate_limited'
  | 'duplicate'
  | 'overloaded'
  | 'ts_requires_admin'
  | 'reporter_requires_admin'
  | 'source_requires_admin'
  | 'storage_failed';

/** The ingest pipeline's metrics, registered on the app's own registry. */
export class ReportMetrics {
  readonly accepted: Counter;
  readonly rejected: Counter<'reason'>;
  readonly commitSeconds: Histogram;
  readonly commitSize: Histogram;
  /** NDJSON batch bodies by where they were parsed: inline, on a parse thread, or recovered inline after a thread stopped. */
  readonly batchBodies: Counter<'where'>;
  /** Reports refused by a rate limit, by the limit: address, prefix (its /24 or /64) or service (a network's share of one service). */
  private readonly limitedChildren: Record<LimitName, Counter.Internal>;

  constructor(registry: Registry, queueDepth: () => number) {
    this.accepted = new Counter({ name: 'stormwatch_reports_accepted_total', help: 'Reports made durable', registers: [registry] });
    this.rejected = new Counter({ name: 'stormwatch_reports_rejected_total', help: 'Reports refused, by reason', labelNames: ['reason'], registers: [registry] });
    this.commitSeconds = new Histogram({
      name: 'stormwatch_ingest_commit_seconds',
      help: 'Time to commit one ingest batch',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    });
    this.commitSize = new Histogram({
      name: 'stormwatch_ingest_batch_reports',
      help: 'Reports per committed batch',
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000],
      registers: [registry],
    });
    const limited = new Counter({ name: 'stormwatch_reports_limited_total', help: 'Reports refused by a rate limit, by limit (address, prefix, service)', labelNames: ['limit'], registers: [registry] });
    this.limitedChildren = Object.fromEntries(LIMITS.map((l) => [l, limited.labels(l)])) as Record<LimitName, Counter.Internal>;
    this.batchBodies = new Counter({ name: 'stormwatch_batch_bodies_parsed_total', help: 'NDJSON batch bodies parsed, by where', labelNames: ['where'], registers: [registry] });
    new Gauge({
      name: 'stormwatch_ingest_queue_depth',
      help: 'Reports waiting for their commit',
      registers: [registry],
      collect() {
        this.set(queueDepth());
      },
    });
  }

  reject(reason: RejectReason, n = 1): void {
    this.rejected.inc({ reason }, n);
  }

  /** A rate-limit refusal: counted by limit, and as a `rate_limited` rejection. */
  limited(limit: LimitName, n = 1): void {
    this.limitedChildren[limit].inc(n);
    this.reject('rate_limited', n);
  }
}
