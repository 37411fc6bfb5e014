import type { RateCharge } from '../store/report-claims.js';
import { KeyTimeTable } from './key-time-table.js';
import type { Limiter } from './limiter.js';

/**
 * Per-client token buckets: `burst` reports at once, refilled at `perMinute`. Kept as one
 * number per client, the bucket's "theoretical arrival time" (the generic cell rate
 * algorithm, exactly a token bucket): the time at which the bucket would be full again is
 * `tat`; a request of `cost` fits when `max(tat, now) + cost·T − now ≤ burst·T`, T being the
 * refill interval of one token. One number lets the state live in a flat bounded table
 * (key-time-table.ts) instead of an object per client. Idle clients are forgotten first,
 * which at worst gives such a client a fresh bucket. Pure: time comes in with each call.
 */
export class RateLimiter implements Limiter {
  private readonly tat: KeyTimeTable;
  /** Milliseconds to refill one token; a rate of 0 never refills (a huge finite interval). */
  private readonly interval: number;

  constructor(
    readonly perMinute: number,
    readonly burst: number,
    readonly maxClients: number,
  ) {
    this.interval = perMinute > 0 ? 60_000 / perMinute : 1e15;
    this.tat = new KeyTimeTable(maxClients);
  }

  /** Takes `cost` tokens when available; false (nothing taken) when over the limit. */
  take(client: string, now: number, cost = 1, scope = 0): boolean {
    const start = Math.max(this.tat.get(client, scope) ?? now, now);
    const next = start + cost * this.interval;
    if (next - now > this.burst * this.interval) return false;
    this.tat.set(client, next, scope);
    return true;
  }

  refund(client: string, now: number, cost = 1, scope = 0): void {
    const tat = this.tat.get(client, scope);
    if (tat === undefined) return;
    // A bucket refilled past full is simply full: the time never goes below now.
    this.tat.set(client, Math.max(now, tat - cost * this.interval), scope);
  }

  /**
   * The same charge in the form the cluster-wide state takes (src/store/report-claims.ts):
   * any key, any cost, this limiter's rate and burst. Cluster mode sends one per local take.
   */
  charge(key: string, cost = 1, scope = 0): RateCharge {
    return { key: scope === 0 ? key : `${scope}|${key}`, costMs: cost * this.interval, burstMs: this.burst * this.interval };
  }

  /** Seconds until `cost` tokens are available again (for Retry-After), at least 1. */
  retryAfterSeconds(client: string, now: number, cost = 1, scope = 0): number {
    const tat = this.tat.get(client, scope);
    if (tat === undefined) return 1;
    const waitMs = tat + cost * this.interval - this.burst * this.interval - now;
    return Math.max(1, Math.ceil(Math.min(waitMs, 86_400_000) / 1000));
  }

  get size(): number {
    return this.tat.size;
  }
}
