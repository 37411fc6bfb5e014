/**
 * A bounded map from a string key to a time (a number), stored as a 64-bit hash of the key in
 * typed arrays (open addressing, linear probing) with two generations: writes go to the young
 * table; when it holds `maxKeys / 2` keys the old one is cleared and they swap. Reads that hit
 * the old table move the key to the young one, so keys in use survive and idle ones age out.
 * Every operation is O(1); there is no per-insert eviction scan (deleting a Map's oldest key
 * costs up to hundreds of µs once V8's table is full of tombstones).
 *
 * Why not a Map: dedupe and the rate limit see a lookup per report with hundreds of thousands
 * of distinct keys, where a Map of strings costs about 1 µs per miss (hashing, cache misses,
 * growth), ~100 bytes per key and garbage-collector marking of every key; here a miss is a
 * probe or two in flat arrays and a key costs ~40 bytes that the collector never visits.
 * Two keys are confused only if both 32-bit halves of their hashes agree (about 1 in 10^19
 * per pair of keys); the keys hashed here are already salted hashes.
 */
export class KeyTimeTable {
  private young: Generation;
  private old: Generation;
  private readonly generation: number;

  constructor(readonly maxKeys: number) {
    this.generation = Math.max(1, Math.floor(maxKeys / 2));
    // At most half full: probes stay short.
    let capacity = 4;
    while (capacity < this.generation * 2) capacity *= 2;
    this.young = new Generation(capacity);
    this.old = new Generation(capacity);
  }

  /**
   * The time stored for `key` in `scope` (a number that namespaces keys, such as a service id,
   * so callers need not build a composite string per lookup), or undefined.
   */
  get(key: string, scope = 0): number | undefined {
    hashKey(key, scope);
    const y = this.young.find(H[0], H[1]);
    if (y >= 0) return this.young.time[y];
    const o = this.old.find(H[0], H[1]);
    if (o < 0) return undefined;
    const t = this.old.time[o];
    this.old.remove(o);
    this.insertHashed(t);
    return t;
  }

  set(key: string, time: number, scope = 0): void {
    hashKey(key, scope);
    this.insertHashed(time);
  }

  delete(key: string, scope = 0): void {
    hashKey(key, scope);
    const y = this.young.find(H[0], H[1]);
    if (y >= 0) this.young.remove(y);
    const o = this.old.find(H[0], H[1]);
    if (o >= 0) this.old.remove(o);
  }

  /** Keys held (a key is in one generation at a time). */
  get size(): number {
    return this.young.live + this.old.live;
  }

  /** Stores the time under the key hashed last (H). */
  private insertHashed(time: number): void {
    this.young.put(H[0], H[1], time);
    if (this.young.filled >= this.generation) {
      const dropped = this.old;
      dropped.clear();
      this.old = this.young;
      this.young = dropped;
    }
  }
}

/**
 * One open-addressing table. A slot's two key halves sit side by side in `keys` (one cache
 * line per probe); (0, 0) marks an empty slot, so no hash is ever (0, 0). A removed key keeps
 * its slot with a NaN time: probes go on past it and the same key may take it again.
 */
class Generation {
  private readonly keys: Uint32Array;
  readonly time: Float64Array;
  private readonly mask: number;
  /** Slots taken since the last clear (live or removed): what bounds probing. */
  filled = 0;
  live = 0;

  constructor(capacity: number) {
    this.keys = new Uint32Array(capacity * 2);
    this.time = new Float64Array(capacity).fill(Number.NaN);
    this.mask = capacity - 1;
  }

  /** The slot holding the key (live), or -1. */
  find(hi: number, lo: number): number {
    const keys = this.keys;
    for (let i = lo & this.mask; ; i = (i + 1) & this.mask) {
      const h = keys[2 * i];
      const l = keys[2 * i + 1];
      if (h === hi && l === lo) return Number.isNaN(this.time[i]) ? -1 : i;
      if (h === 0 && l === 0) return -1;
    }
  }

  put(hi: number, lo: number, time: number): void {
    const keys = this.keys;
    let i = lo & this.mask;
    for (; ; i = (i + 1) & this.mask) {
      const h = keys[2 * i];
      const l = keys[2 * i + 1];
      if (h === hi && l === lo) break;
      if (h === 0 && l === 0) {
        keys[2 * i] = hi;
        keys[2 * i + 1] = lo;
        this.filled++;
        break;
      }
    }
    if (Number.isNaN(this.time[i])) this.live++;
    this.time[i] = time;
  }

  remove(slot: number): void {
    this.time[slot] = Number.NaN;
    this.live--;
  }

  clear(): void {
    this.keys.fill(0);
    this.time.fill(Number.NaN);
    this.filled = 0;
    this.live = 0;
  }
}

/** The two 32-bit halves of the last key hashed (one shared buffer: no allocation per call). */
const H = new Uint32Array(2);
/** The key and scope H holds: a get followed by a set of the same key hashes once. */
let hashedKey: string | undefined;
let hashedScope = 0;

/** Two independent 32-bit FNV-1a-style hashes of the scope and the key's UTF-16 code units, into H. */
function hashKey(key: string, scope: number): void {
  if (key === hashedKey && scope === hashedScope) return;
  hashedKey = key;
  hashedScope = scope;
  let a = Math.imul(0x811c9dc5 ^ scope, 0x01000193);
  let b = Math.imul(0x01000193 ^ key.length ^ scope, 0x5bd1e995);
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  // Final avalanche so that the low bits (the slot) depend on every character.
  a ^= a >>> 16;
  a = Math.imul(a, 0x85ebca6b);
  a ^= a >>> 13;
  b ^= b >>> 16;
  b = Math.imul(b, 0xc2b2ae35);
  b ^= b >>> 16;
  H[0] = a;
  // (0, 0) marks an empty slot.
  H[1] = a === 0 && b === 0 ? 1 : b;
}
