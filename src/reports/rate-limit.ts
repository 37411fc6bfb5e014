import { BoundedMap } from './bounded-map.js';

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Per-client token buckets: `burst` reports at once, refilled at `perMinute`. Bounded like
 * the dedupe map (idle clients are forgotten first, which at worst gives such a client a
 * fresh bucket). Pure: time comes in with each call.
 */
export class RateLimiter {
  private readonly buckets: BoundedMap<Bucket>;
  private readonly perMs: number;

  constructor(
    readonly perMinute: number,
    readonly burst: number,
    readonly maxClients: number,
  ) {
    this.perMs = perMinute / 60_000;
    this.buckets = new BoundedMap(maxClients);
  }

  /** Takes `cost` tokens when available; false (nothing taken) when over the limit. */
  take(client: string, now: number, cost = 1): boolean {
    let b = this.buckets.get(client);
    if (b === undefined) {
      b = { tokens: this.burst, at: now };
      this.buckets.set(client, b);
    } else {
      b.tokens = Math.min(this.burst, b.tokens + Math.max(0, now - b.at) * this.perMs);
      b.at = now;
    }
    if (b.tokens < cost) return false;
    b.tokens -= cost;
    return true;
  }

  /** Seconds until `cost` tokens are available again (for Retry-After). */
  retryAfterSeconds(client: string, cost = 1): number {
    const b = this.buckets.get(client);
    if (!b || this.perMs <= 0) return 60;
    return Math.max(1, Math.ceil((cost - b.tokens) / this.perMs / 1000));
  }

  get size(): number {
    return this.buckets.size;
  }
}
