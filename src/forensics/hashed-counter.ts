/**
 * Counts by a 32-bit hash and decodes the key's text only the first time it is met, so the
 * per-line cost is a map lookup on a small integer. Two keys colliding on 32 bits would be
 * merged (about one pair per 100,000 distinct keys), an error far below the sampling noise
 * of an attribution. Beyond `cap` distinct keys, new keys are counted under `overflowKey`.
 */
export class HashedCounter {
  private readonly slots = new Map<number, number>();
  private readonly names: string[] = [];
  private counts = new Float64Array(1024);
  overflow = 0;

  constructor(private readonly cap: number) {}

  add(hash: number, name: () => string, n = 1): void {
    let slot = this.slots.get(hash);
    if (slot === undefined) {
      if (this.names.length >= this.cap) {
        this.overflow += n;
        return;
      }
      slot = this.names.length;
      this.slots.set(hash, slot);
      this.names.push(name());
      if (slot >= this.counts.length) {
        const bigger = new Float64Array(this.counts.length * 2);
        bigger.set(this.counts);
        this.counts = bigger;
      }
    }
    this.counts[slot] += n;
  }

  get size(): number {
    return this.names.length;
  }

  /** Text key → count (keys whose text coincides, e.g. `-` and an empty agent, are summed). */
  toMap(overflowKey?: string): Map<string, number> {
    const out = new Map<string, number>();
    for (let i = 0; i < this.names.length; i++) out.set(this.names[i], (out.get(this.names[i]) ?? 0) + this.counts[i]);
    if (overflowKey !== undefined && this.overflow > 0) out.set(overflowKey, (out.get(overflowKey) ?? 0) + this.overflow);
    return out;
  }
}
