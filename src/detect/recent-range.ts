import { DetectorStateError } from './detector-state.js';

/**
 * The range a series kept recently, for the anomaly score: has the series gone where it has
 * not been lately? A new shape (resonance novelty) or an onset within the values of the last
 * days is often a series' ordinary restlessness; one that also takes the series beyond them
 * is much more often what people call an anomaly (on NAB, these cost most of the false
 * positives).
 *
 * The series is cut into blocks of `step` values (resonance novelty's blocks), and each
 * finished block leaves its lowest and highest value, with the time of its last value, in a
 * ring of at most `capacity` blocks; blocks older than `spanMs` drop out. The recent range is
 * the `quantile` and 1 − `quantile` quantiles of those extremes (pooled), so one earlier
 * outlier does not widen it. `excess` says how far the current block (so far) lies beyond it,
 * in widths of the range: 0 inside it.
 *
 * Fixed memory (3 numbers per block); the quantiles are computed only when asked, which the
 * detector does only for points that score.
 */
export interface RecentRangeOptions {
  step: number;
  spanMs: number;
  quantile: number;
  capacity: number;
}

export interface RecentRangeState {
  /** Values seen, and the extremes of the current (unfinished or just finished) block. */
  n: number;
  low: number;
  high: number;
  /** Finished blocks, oldest first: time of the last value, lowest, highest. */
  times: number[];
  lows: number[];
  highs: number[];
  /**
   * Time of the last value seen: the current block's time when it finishes. Absent in older
   * snapshots, which then date it by the last finished block (a block that had just finished
   * was dated one step early after a resume).
   */
  lastT?: number;
}

export class RecentRange {
  private readonly times: Float64Array;
  private readonly lows: Float64Array;
  private readonly highs: Float64Array;
  private readonly scratch: Float64Array;
  /** Ring of finished blocks: `size` of them, the oldest at `head`. */
  private head = 0;
  private size = 0;
  private n = 0;
  private low = 0;
  private high = 0;
  private lastT = 0;

  constructor(
    private readonly o: RecentRangeOptions,
    state?: RecentRangeState,
  ) {
    if (!Number.isInteger(o.step) || o.step < 1) throw new RangeError(`recent range step must be a positive integer, not ${o.step}`);
    if (!Number.isInteger(o.capacity) || o.capacity < 1) throw new RangeError(`recent range capacity must be a positive integer, not ${o.capacity}`);
    this.times = new Float64Array(o.capacity);
    this.lows = new Float64Array(o.capacity);
    this.highs = new Float64Array(o.capacity);
    this.scratch = new Float64Array(2 * o.capacity);
    if (state) {
      ({ n: this.n, low: this.low, high: this.high } = state);
      const keep = Math.min(state.times.length, o.capacity);
      const from = state.times.length - keep;
      for (let k = 0; k < keep; k++) this.push(state.times[from + k], state.lows[from + k], state.highs[from + k]);
      this.lastT = state.lastT ?? (keep > 0 ? state.times[state.times.length - 1] : 0);
    }
  }

  /** The next value of the series, at time `t`. */
  add(t: number, value: number): void {
    if (this.n % this.o.step === 0) {
      // The previous block is finished: it joins the recent past, and this value starts the next.
      if (this.n > 0) this.push(this.lastT, this.low, this.high);
      this.low = value;
      this.high = value;
    } else {
      if (value < this.low) this.low = value;
      if (value > this.high) this.high = value;
    }
    this.n++;
    this.lastT = t;
  }

  /**
   * How far the current block lies beyond the recent range at time `now`, in widths of that
   * range (any step out of a range of zero width is infinitely far); 0 inside it or with no
   * finished block in the span yet.
   */
  excess(now: number): number {
    const cap = this.o.capacity;
    while (this.size > 0 && this.times[this.head] < now - this.o.spanMs) {
      this.head = (this.head + 1) % cap;
      this.size--;
    }
    if (this.size === 0) return 0;
    const m = 2 * this.size;
    const values = this.scratch.subarray(0, m);
    for (let k = 0; k < this.size; k++) {
      const j = (this.head + k) % cap;
      values[2 * k] = this.lows[j];
      values[2 * k + 1] = this.highs[j];
    }
    // The two order statistics by selection, not a full sort (the same values, in linear time).
    const a = Math.floor(this.o.quantile * (m - 1));
    const b = Math.floor((1 - this.o.quantile) * (m - 1));
    select(values, Math.min(a, b), 0, m - 1);
    select(values, Math.max(a, b), Math.min(a, b), m - 1);
    const lo = values[a];
    const hi = values[b];
    const beyond = Math.max(this.high - hi, lo - this.low, 0);
    if (beyond === 0) return 0;
    return hi > lo ? beyond / (hi - lo) : Number.POSITIVE_INFINITY;
  }

  snapshot(): RecentRangeState {
    const cap = this.o.capacity;
    const at = (k: number): number => (this.head + k) % cap;
    return {
      n: this.n,
      low: this.low,
      high: this.high,
      times: Array.from({ length: this.size }, (_, k) => this.times[at(k)]),
      lows: Array.from({ length: this.size }, (_, k) => this.lows[at(k)]),
      highs: Array.from({ length: this.size }, (_, k) => this.highs[at(k)]),
      lastT: this.lastT,
    };
  }

  private push(t: number, low: number, high: number): void {
    const cap = this.o.capacity;
    const j = (this.head + this.size) % cap;
    this.times[j] = t;
    this.lows[j] = low;
    this.highs[j] = high;
    if (this.size < cap) this.size++;
    else this.head = (this.head + 1) % cap;
  }
}

/**
 * Moves the `k`-th smallest of `a[from..to]` to `a[k]`, with nothing larger before it and
 * nothing smaller after it (Hoare's selection, Wirth's formulation).
 */
export function select(a: Float64Array, k: number, from: number, to: number): void {
  let l = from;
  let r = to;
  while (l < r) {
    const x = a[k];
    let i = l;
    let j = r;
    do {
      while (a[i] < x) i++;
      while (x < a[j]) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    } while (i <= j);
    if (j < k) l = i;
    if (k < i) r = j;
  }
}

/** Checks a recent-range snapshot (from a database, perhaps of another build) before it is used. */
export function parseRecentRangeState(value: unknown): RecentRangeState {
  const fail = (what: string): never => {
    throw new DetectorStateError(`detector state: recentRange ${what}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('is not an object');
  const s = value as Record<string, unknown>;
  for (const k of ['n', 'low', 'high']) {
    if (typeof s[k] !== 'number' || !Number.isFinite(s[k])) fail(`${k} is not a finite number`);
  }
  if (!Number.isInteger(s.n) || (s.n as number) < 0) fail('n is not a non-negative integer');
  if (s.lastT !== undefined && (typeof s.lastT !== 'number' || !Number.isFinite(s.lastT))) fail('lastT is not a finite number');
  const length = Array.isArray(s.times) ? s.times.length : -1;
  for (const k of ['times', 'lows', 'highs']) {
    const a = s[k];
    if (!Array.isArray(a) || a.length !== length || !a.every((x) => typeof x === 'number' && Number.isFinite(x))) fail(`${k} is not ${Math.max(0, length)} finite numbers`);
  }
  return s as unknown as RecentRangeState;
}
