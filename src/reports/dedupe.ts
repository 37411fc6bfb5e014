/**
 * "One report per reporter per service per window", in event time. Keeps the event time of
 * the last accepted report per key; the map is bounded (least recently touched keys go
 * first), so a flood of distinct fingerprints costs memory up to `maxKeys` and no more.
 * Pure: time comes in with each call.
 */
export class DedupeWindow {
  private readonly last = new Map<string, number>();

  constructor(
    readonly windowMs: number,
    readonly maxKeys: number,
  ) {}

  /** True (and remembered) when no report of this key lies within the window of `ts`. */
  admit(key: string, ts: number): boolean {
    const prev = this.last.get(key);
    if (prev !== undefined) {
      if (Math.abs(ts - prev) < this.windowMs) return false;
      this.last.delete(key);
    }
    this.remember(key, ts);
    return true;
  }

  /** Records an already accepted report (warm-up from stored rows). */
  seed(key: string, ts: number): void {
    const prev = this.last.get(key);
    if (prev !== undefined && prev >= ts) return;
    this.last.delete(key);
    this.remember(key, ts);
  }

  /** Forgets a key admitted by mistake (its report was then rejected for another reason). */
  forget(key: string, ts: number): void {
    if (this.last.get(key) === ts) this.last.delete(key);
  }

  get size(): number {
    return this.last.size;
  }

  private remember(key: string, ts: number): void {
    this.last.set(key, ts);
    if (this.last.size > this.maxKeys) {
      const oldest = this.last.keys().next();
      if (!oldest.done) this.last.delete(oldest.value);
    }
  }
}
