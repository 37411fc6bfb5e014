import type { RateCharge } from '../store/report-claims.js';

/**
 * A rate limit over arbitrary string keys, each request carrying a cost. The limit policy
 * (limit-policy.ts) decides which keys a report is charged to and how much; a Limiter only
 * keeps the buckets, so that the in-memory one (rate-limit.ts) and a state shared by the
 * nodes of a cluster are interchangeable.
 */
export interface Limiter {
  /**
   * Takes `cost` tokens from the bucket of `key` in `scope` (a number namespacing keys, such
   * as a service id, so that callers build no composite key per request) when available;
   * false (nothing taken) when over the limit.
   */
  take(key: string, now: number, cost?: number, scope?: number): boolean;
  /** Gives back tokens taken for a request that another limit then refused. */
  refund(key: string, now: number, cost?: number, scope?: number): void;
  /** The same charge as the cluster-wide state keeps it (cluster mode claims it at commit). */
  charge(key: string, cost?: number, scope?: number): RateCharge;
  /** Seconds until `cost` tokens are available again (for Retry-After), at least 1. */
  retryAfterSeconds(key: string, now: number, cost?: number, scope?: number): number;
}
