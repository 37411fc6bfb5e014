/**
 * Dual-vigilance fuzzy ART (adaptive resonance theory: Carpenter and Grossberg; fuzzy ART:
 * Carpenter, Grossberg and Rosen 1991; dual vigilance: Brito da Silva, Elnabarawy and Wunsch
 * 2019), with the activation ARTime uses (Mark Hampton, 2021): a category's match is
 * (fuzzy match of the whole feature vector)³ × (fuzzy match of the newest value alone)², so a
 * familiar shape at an unfamiliar level does not resonate.
 *
 * Each category is a hyperbox in [0, 1]^dim, stored complement-coded (lower corner, then one
 * minus the upper corner). An input that matches some category at least `rhoHigh` resonates
 * with it and every such category grows to include it; one that only reaches `rhoLow` starts a
 * new category of a known cluster (no surprise); one that reaches neither starts a new cluster:
 * a mismatch, which is what ARTime treats as a candidate anomaly.
 *
 * Fixed memory: at most `capacity` categories; when full, the one that resonated least recently
 * gives way. Category 0 is the uncommitted node (all ones), present from the first input on, as
 * in the formulation ARTime builds on; it matches everything weakly and never learns.
 */
export interface ArtState {
  count: number;
  clock: number;
  rhoLow: number;
  rhoHigh: number;
  /** count × 2·dim complement-coded weights. */
  weights: number[];
  /** Per category, the clock at which it last resonated or was made. */
  used: number[];
}

export type Presentation = 'resonance' | 'new-category' | 'mismatch';

export class DualVigilanceArt {
  rhoLow = 0;
  rhoHigh = 0;
  /** The best match of the last input (0 for the very first one) and its newest-value match. */
  activation = 0;
  energy = 0;
  private count = 0;
  private clock = 0;
  private readonly width: number;
  private readonly w: Float64Array;
  private readonly wSum: Float64Array;
  /**
   * Per category and half of the features (for resonance novelty: the window's shape, then its
   * levels), the sums of the box's lower corner and of its complement-coded upper one; per half,
   * those of the input (low, low, high, high). A bound on the distance for a few additions (see present).
   */
  private readonly lowSums: Float64Array;
  private readonly highSums: Float64Array;
  private readonly xSums: Float64Array;
  private readonly used: Float64Array;
  private readonly match: Float64Array;
  /** Per category, the distance of the last input from its box (0: the box holds it), where its match was computed. */
  private readonly dist: Float64Array;
  private readonly x: Float64Array;
  /**
   * The last input and the categories it resonated with. After a resonance every one of those
   * boxes holds the input, so it matches them fully (1) while nothing else changed: presenting it
   * again at the same vigilance resonates with the same categories, with activation and energy 1,
   * and changes no weight. Chomped series repeat their last window most of the time, so this
   * saves most of the work.
   */
  private readonly lastX: Float64Array;
  private readonly resonating: Int32Array;
  private resonatingCount = 0;
  private lastBest = 0;
  private stable = false;
  private stableLow = 0;
  private stableHigh = 0;

  constructor(
    readonly dim: number,
    readonly capacity: number,
    state?: ArtState,
  ) {
    // The match loop takes four dimensions at a time.
    if (!Number.isInteger(dim) || dim < 4 || dim % 4 !== 0) throw new RangeError(`fuzzy ART dimension must be a positive multiple of 4, not ${dim}`);
    if (!Number.isInteger(capacity) || capacity < 2) throw new RangeError(`fuzzy ART capacity must be at least 2, not ${capacity}`);
    this.width = 2 * dim;
    this.w = new Float64Array(capacity * this.width);
    this.wSum = new Float64Array(capacity);
    this.lowSums = new Float64Array(capacity * PARTS);
    this.highSums = new Float64Array(capacity * PARTS);
    this.xSums = new Float64Array(2 * PARTS);
    this.used = new Float64Array(capacity);
    this.match = new Float64Array(capacity);
    this.dist = new Float64Array(capacity);
    this.x = new Float64Array(this.width);
    this.lastX = new Float64Array(this.width);
    this.resonating = new Int32Array(capacity);
    if (state) {
      this.count = state.count;
      this.clock = state.clock;
      this.rhoLow = state.rhoLow;
      this.rhoHigh = state.rhoHigh;
      this.w.set(state.weights);
      this.used.set(state.used);
      for (let j = 0; j < this.count; j++) this.measure(j);
    }
  }

  /**
   * Presents one feature vector (values in [0, 1]). With `learn` false only `activation` and
   * `energy` are updated. The first input ever only brings up the uncommitted node.
   */
  present(features: Float64Array, learn: boolean): Presentation {
    const D = this.dim;
    const W = this.width;
    const x = this.x;
    for (let k = 0; k < D; k++) {
      x[k] = features[k];
      x[D + k] = 1 - features[k];
    }
    this.clock++;
    if (learn && this.stable && this.rhoLow === this.stableLow && this.rhoHigh === this.stableHigh && same(x, this.lastX)) {
      for (let r = 0; r < this.resonatingCount; r++) this.used[this.resonating[r]] = this.clock;
      this.activation = 1;
      this.energy = 1;
      return 'resonance';
    }
    this.stable = false;
    const xSums = this.xSums;
    for (let p = 0, size = D / PARTS; p < PARTS; p++) {
      let low = 0;
      let high = 0;
      for (let k = p * size; k < (p + 1) * size; k++) {
        low += x[k];
        high += x[D + k];
      }
      xSums[p] = low;
      xSums[PARTS + p] = high;
    }
    if (this.count === 0) {
      this.w.fill(1, 0, W);
      this.measure(0);
      this.used[0] = this.clock;
      this.count = 1;
      this.activation = 0;
      this.energy = 0;
      return 'resonance';
    }
    const e = D - 1;
    const E = W - 1;
    const w = this.w;
    const wSum = this.wSum;
    const match = this.match;
    const lowSums = this.lowSums;
    const highSums = this.highSums;
    const rhoHigh = this.rhoHigh;
    const xLow0 = xSums[0];
    const xLow1 = xSums[1];
    const xHigh0 = xSums[2];
    const xHigh1 = xSums[3];
    const xe = x[e];
    const xE = x[E];
    let best = -1;
    let bestMatch = -1;
    let bestEnergy = 0;
    let anyHigh = false;
    // The last best category first: it is usually close, and a good best so far lets the
    // others be abandoned early. Ties go to the lower index, as in a plain scan.
    const first = this.lastBest < this.count ? this.lastBest : 0;
    for (let r = 0; r < this.count; r++) {
      const j = r === 0 ? first : r <= first ? r - 1 : r;
      const o = j * W;
      const we = w[o + e] + w[o + E];
      const energy = we === 0 ? 1 : ((xe < w[o + e] ? xe : w[o + e]) + (xE < w[o + E] ? xE : w[o + E])) / we;
      const bound = energy * energy;
      match[j] = -1;
      // A category matters only if it can reach rhoHigh or the best so far. The whole-vector
      // match is at most 1, so the newest value's match alone may already rule it out.
      const needed = rhoHigh < bestMatch ? rhoHigh : bestMatch;
      if (bound < needed) continue;
      // Fuzzy match = (|w| − distance of the input from the box) / |w|; the distance only
      // grows, so once the match it leaves, cubed (times the bound), falls short of what
      // `needed` asks (less a relative 1e-9, so rounding never abandons a category that
      // reaches it), the category is abandoned. Compared in cubes: no cube root per category.
      const total = wSum[j] === 0 ? 0.001 : wSum[j];
      const floor = needed > 0 ? (needed * (1 - 1e-9) * total * total * total) / bound : Number.NEGATIVE_INFINITY;
      // Before the distance, a bound on it: no gap is negative, so the gaps of a half of the
      // features sum to at least what the box's corner sums there exceed the input's sums by. Less
      // 1e-9 (rounding is below 1e-13 here), it abandons only categories the distance would
      // abandon, for a few additions: on NAB two in three of them (610,000 of 903,000; quarters
      // catch 727,000 but cost more than they save).
      if (needed > 0) {
        const low0 = lowSums[2 * j] - xLow0;
        const low1 = lowSums[2 * j + 1] - xLow1;
        const high0 = highSums[2 * j] - xHigh0;
        const high1 = highSums[2 * j + 1] - xHigh1;
        const atLeast = (low0 > 0 ? low0 : 0) + (low1 > 0 ? low1 : 0) + (high0 > 0 ? high0 : 0) + (high1 > 0 ? high1 : 0) - 1e-9;
        const most = wSum[j] - atLeast;
        if (most * most * most < floor) continue;
      }
      // Newest level first, four dimensions at a time.
      let dist = 0;
      let rest = wSum[j];
      let k = D;
      while (k > 0 && rest * rest * rest >= floor) {
        k -= 4;
        dist += gap(x[k + 3], w[o + k + 3]) + gap(x[D + k + 3], w[o + D + k + 3]) + gap(x[k + 2], w[o + k + 2]) + gap(x[D + k + 2], w[o + D + k + 2]);
        dist += gap(x[k + 1], w[o + k + 1]) + gap(x[D + k + 1], w[o + D + k + 1]) + gap(x[k], w[o + k]) + gap(x[D + k], w[o + D + k]);
        rest = wSum[j] - dist;
      }
      if (rest * rest * rest < floor) continue;
      const fs = wSum[j] === 0 ? 0 : (wSum[j] - dist) / total;
      const m = fs * fs * fs * bound;
      match[j] = m;
      this.dist[j] = dist;
      if (m > bestMatch || (m === bestMatch && j < best)) {
        bestMatch = m;
        best = j;
        bestEnergy = energy;
      }
      if (m >= rhoHigh) anyHigh = true;
    }
    this.lastBest = best < 0 ? 0 : best;
    this.energy = bestEnergy;
    this.activation = bestMatch;
    if (!learn) return bestMatch >= this.rhoHigh ? 'resonance' : bestMatch >= this.rhoLow ? 'new-category' : 'mismatch';
    if (anyHigh) {
      let emptyBox = false;
      let r = 0;
      for (let j = 0; j < this.count; j++) {
        if (match[j] < rhoHigh) continue;
        // Most resonating boxes already hold the input (distance 0, not a weight below it):
        // nothing to grow, and their size stays what it is.
        if (this.dist[j] !== 0) {
          const o = j * W;
          // The box grows to hold the input; its size is summed in the same pass (as sum() does).
          let size = 0;
          for (let k = 0; k < W; k++) {
            if (x[k] < w[o + k]) w[o + k] = x[k];
            size += w[o + k];
          }
          wSum[j] = size;
          this.measureParts(j);
        }
        // A box of all zeros has no match to speak of (see above), not a full one.
        if (wSum[j] === 0) emptyBox = true;
        this.used[j] = this.clock;
        this.resonating[r++] = j;
      }
      this.resonatingCount = r;
      this.stable = !emptyBox && rhoHigh > 0;
      this.stableLow = this.rhoLow;
      this.stableHigh = rhoHigh;
      this.lastX.set(x);
      return 'resonance';
    }
    if (bestMatch >= this.rhoLow) {
      this.used[best] = this.clock;
      this.commit();
      return 'new-category';
    }
    this.commit();
    return 'mismatch';
  }

  /**
   * Re-expresses dimensions [from, to) after their scale changed: a value u becomes
   * u·scale + offset. Boxes keep covering the same raw values.
   */
  remap(from: number, to: number, scale: number, offset: number): void {
    this.stable = false;
    const D = this.dim;
    for (let j = 1; j < this.count; j++) {
      const o = j * this.width;
      for (let k = from; k < to; k++) {
        const lower = this.w[o + k] * scale + offset;
        const upper = (1 - this.w[o + D + k]) * scale + offset;
        this.w[o + k] = lower;
        this.w[o + D + k] = 1 - upper;
      }
      this.measure(j);
    }
  }

  snapshot(): ArtState {
    return {
      count: this.count,
      clock: this.clock,
      rhoLow: this.rhoLow,
      rhoHigh: this.rhoHigh,
      weights: Array.from(this.w.subarray(0, this.count * this.width)),
      used: Array.from(this.used.subarray(0, this.count)),
    };
  }

  /** Commits the current input as a new category, in place of the least recently used one when full (never the uncommitted node). */
  private commit(): void {
    let j = this.count;
    if (j === this.capacity) {
      j = 1;
      for (let k = 2; k < this.count; k++) if (this.used[k] < this.used[j]) j = k;
    } else this.count++;
    this.w.set(this.x, j * this.width);
    this.measure(j);
    this.used[j] = this.clock;
  }

  /** The size of box `j` (summed from the first weight to the last: the learning pass sums it in the same order) and its part sums. */
  private measure(j: number): void {
    let s = 0;
    const o = j * this.width;
    for (let k = 0; k < this.width; k++) s += this.w[o + k];
    this.wSum[j] = s;
    this.measureParts(j);
  }

  private measureParts(j: number): void {
    const D = this.dim;
    const size = D / PARTS;
    const o = j * this.width;
    for (let p = 0; p < PARTS; p++) {
      let low = 0;
      let high = 0;
      for (let k = p * size; k < (p + 1) * size; k++) {
        low += this.w[o + k];
        high += this.w[o + D + k];
      }
      this.lowSums[j * PARTS + p] = low;
      this.highSums[j * PARTS + p] = high;
    }
  }
}

/** Parts of the features with sums of their own, for a bound on the distance (present reads two). */
const PARTS = 2;

/** How far below the box's lower bound (complement-coded: above its upper one) the value lies: what min(value, bound) falls short of the bound. */
function gap(value: number, bound: number): number {
  return bound > value ? bound - value : 0;
}

function same(a: Float64Array, b: Float64Array): boolean {
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}
