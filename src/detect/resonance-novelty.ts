import { chompLevels, snapsToMedian } from './chomp.js';
import { haarTransform, isPowerOfTwo } from './haar.js';
import { LevelMedian } from './level-median.js';
import type { LevelMedianState } from './level-median.js';
import { initialVigilance, ResonanceVigilance } from './resonance-vigilance.js';
import type { VigilanceState } from './resonance-vigilance.js';

/**
 * Resonance novelty: the anomaly score of ARTime (Mark Hampton, 2021; 74.9 standard on NAB's
 * full 58-file corpus), reimplemented from its description and public source, made causal.
 *
 * 1. Downsample: blocks of `step` values; each gives its most extreme value (the block's
 *    maximum, or its minimum if that lies further from a fast moving average; its mean when the
 *    extreme is within 10% of the mean).
 * 2. Normalise to [0, 1] by the series' range, quantise to `levels` levels, and snap levels
 *    strictly within `chomp` × `levels` levels of the running median level to it (ordinary noise
 *    around the usual level becomes the usual level; chomp.ts).
 * 3. Features of the last `window` downsampled values: their Haar wavelet coefficients (of the
 *    window rescaled to [0, 1]: its shape) and the values themselves (its level).
 * 4. A dual-vigilance fuzzy ART learns the feature vectors; an input that resonates with no
 *    learned cluster is an anomaly, scored by how far it fell below both vigilance levels
 *    (resonance-vigilance.ts).
 *
 * The learning period (`learnPoints` values: NAB's probationary period, which NAB gives every
 * detector) sets the downsampling step, so that it holds `windowsPerLearn` windows; its values
 * are buffered and learned in one batch at its end, as ARTime does, and nothing scores before.
 *
 * What differs from ARTime: it normalised with the minimum and maximum of the whole file (NAB
 * allows detectors to know them, which is look-ahead). Here the range is the learning period's,
 * widened by `pad` of itself on each side; a later value outside it widens it to that value plus
 * `expandPad` of the old range, and everything learned (categories, recent values, the median)
 * is re-expressed in the new range, so a wider range does not make familiar patterns new.
 *
 * A coarse network's block means carry sampling noise of their own (white noise of sd σ gives
 * means of sd σ/√n), which the fixed chomp may not cover: on white noise the chomp was about
 * 2.5 sd of the means, so the network learned a flat world and every rarer excursion of a mean,
 * or the median stepping one level, was a new pattern. With `noise`, its chomp covers that
 * many sd of the means' noise, and the usual level moves only as far as the chomp reaches.
 */
export interface ResonanceOptions {
  learnPoints: number;
  window: number;
  windowsPerLearn: number;
  levels: number;
  chomp: number;
  initialRho: number;
  pad: number;
  expandPad: number;
  categories: number;
  /**
   * A coarser opinion (the octave above): blocks `coarse` times the learning period's step,
   * each downsampled to its mean, the slow level, where the usual network keeps the block's
   * most extreme value. It learns from the same learning period, which then holds
   * `windowsPerLearn` / `coarse` of its windows. Absent or 1: the usual network.
   */
  coarse?: number;
  /**
   * For a coarse network: its chomp covers this many standard deviations of the noise of its
   * block means (estimated from the learning period's, at its end), and the usual level it snaps
   * to moves only once the median level has moved as far. Absent or 0: the chomp alone.
   */
  noise?: number;
}

export interface ResonanceState {
  /** Values seen, and downsampled points made. */
  n: number;
  ds: number;
  blockSum: number;
  blockMin: number;
  blockMax: number;
  average: number;
  /** The learning period's raw extremes, and its downsampled values until it ends. */
  rawLow: number;
  rawHigh: number;
  learned: number[];
  /** The normalisation range (set when learning ends). */
  low: number;
  high: number;
  recent: number[];
  median: LevelMedianState;
  vigilance: VigilanceState;
  /**
   * A coarse network's estimate of the noise of its block means (sd, in the series' units; 0:
   * none, the chomp alone) and the level its chomp snaps to (−1: the median's). Absent in older
   * snapshots: then 0 and −1, and a network past its learning period chomps as it did.
   */
  noise?: number;
  usual?: number;
}

export class ResonanceNovelty {
  /** Values per downsampled point, and downsampled points in the learning period. */
  readonly step: number;
  readonly learn: number;
  private readonly win: number;
  private readonly median: LevelMedian;
  private readonly chompLevels: number;
  private readonly vigilance: ResonanceVigilance;
  private readonly recent: Float64Array;
  private readonly features: Float64Array;
  private readonly shape: Float64Array;
  private readonly coeffs: Float64Array;
  private readonly scratch: Float64Array;
  private learned: Float64Array;
  /** Blocks give their mean (the coarse network), not their most telling value. */
  private readonly mean: boolean;
  /** The value the block finished by the last update gave (NaN when that update finished none). */
  private finished = Number.NaN;
  /** `features` are those of `recent` as it is (not after a widening, a resume or a blank start). */
  private featuresCurrent = false;
  private n = 0;
  private ds = 0;
  private blockSum = 0;
  private blockMin = 0;
  private blockMax = 0;
  private average = 0;
  private rawLow = 0;
  private rawHigh = 0;
  private low = 0;
  private high = 0;
  /** The noise of the block means (sd) the chomp covers `noise` times (0: not at all), and the usual level (−1: none yet). */
  private noiseSd = 0;
  private usual = -1;

  constructor(
    private readonly o: ResonanceOptions,
    state?: ResonanceState,
  ) {
    if (!isPowerOfTwo(o.window)) throw new RangeError(`resonance window must be a power of two, not ${o.window}`);
    const win = o.window;
    this.win = win;
    ({ step: this.step, learn: this.learn } = learningPeriod(o));
    this.mean = (o.coarse ?? 1) > 1;
    this.median = new LevelMedian(o.levels, state?.median);
    this.chompLevels = chompLevels(o.chomp, o.levels);
    this.vigilance = new ResonanceVigilance(win, this.learn, 2 * win, o.categories, state?.vigilance);
    this.recent = new Float64Array(win);
    this.features = new Float64Array(2 * win);
    this.shape = new Float64Array(win);
    this.coeffs = new Float64Array(win);
    this.scratch = new Float64Array(win);
    this.learned = new Float64Array(this.learn);
    if (state) {
      ({ n: this.n, ds: this.ds, blockSum: this.blockSum, blockMin: this.blockMin, blockMax: this.blockMax, average: this.average } = state);
      ({ rawLow: this.rawLow, rawHigh: this.rawHigh, low: this.low, high: this.high } = state);
      this.learned.set(state.learned);
      this.recent.set(state.recent);
      this.noiseSd = state.noise ?? 0;
      this.usual = state.usual ?? -1;
      if (this.ds >= this.learn) this.learned = new Float64Array(0);
    }
  }

  /** What the block finished by the last `update` gave (its mean, for a coarse network), or NaN. */
  get finishedBlock(): number {
    return this.finished;
  }

  /** The next value of the series; returns its anomaly score (0 except at the end of a block). */
  update(value: number): number {
    this.finished = Number.NaN;
    const n = ++this.n;
    if ((n - 1) % this.step === 0) {
      this.blockSum = value;
      this.blockMin = value;
      this.blockMax = value;
    } else {
      this.blockSum += value;
      if (value < this.blockMin) this.blockMin = value;
      if (value > this.blockMax) this.blockMax = value;
    }
    if (this.ds < this.learn) {
      if (n === 1 || value < this.rawLow) this.rawLow = value;
      if (n === 1 || value > this.rawHigh) this.rawHigh = value;
    }
    if (n % this.step !== 0) return 0;
    const d = this.downsample();
    this.finished = d;
    const i = ++this.ds;
    if (i <= this.learn) {
      this.learned[i - 1] = d;
      if (i === this.learn) this.endLearning();
      return 0;
    }
    if (d < this.low || d > this.high) this.widen(d);
    this.encode(d, i);
    return this.vigilance.decide(this.features, i);
  }

  snapshot(): ResonanceState {
    return {
      n: this.n,
      ds: this.ds,
      blockSum: this.blockSum,
      blockMin: this.blockMin,
      blockMax: this.blockMax,
      average: this.average,
      rawLow: this.rawLow,
      rawHigh: this.rawHigh,
      learned: Array.from(this.learned.subarray(0, Math.min(this.ds, this.learned.length))),
      low: this.low,
      high: this.high,
      recent: Array.from(this.recent),
      median: this.median.snapshot(),
      vigilance: this.vigilance.snapshot(),
      noise: this.noiseSd,
      usual: this.usual,
    };
  }

  /** The block's most telling value: its extreme furthest from the fast moving average. */
  private downsample(): number {
    const mean = this.blockSum / this.step;
    if (this.mean) return mean;
    if (this.ds === 0) this.average = mean;
    this.average = (this.average + mean) / 2;
    let d = Math.abs(this.blockMax - this.average) < Math.abs(this.blockMin - this.average) ? this.blockMin : this.blockMax;
    if (Math.abs(d - mean) < 0.1 * mean) d = mean;
    return d;
  }

  private endLearning(): void {
    if (this.mean && (this.o.noise ?? 0) > 0) this.noiseSd = noiseOfMeans(this.learned);
    const width = this.rawHigh - this.rawLow;
    this.low = this.rawLow - this.o.pad * width;
    this.high = this.rawHigh + this.o.pad * width;
    const dim = 2 * this.win;
    const rows = new Float64Array(this.learn * dim);
    for (let k = 0; k < this.learn; k++) {
      this.encode(this.learned[k], k + 1);
      rows.set(this.features, k * dim);
    }
    const typical = rows.subarray((this.win - 1) * dim);
    const start = Math.floor(this.learn / 2) - 1;
    this.vigilance.setVigilance(initialVigilance(typical, this.learn - this.win + 1, dim, this.o.initialRho, start));
    for (let k = 0; k < this.learn; k++) this.vigilance.decide(rows.subarray(k * dim, (k + 1) * dim), k + 1);
    this.learned = new Float64Array(0);
  }

  /** Level of `d` in the range, snapped to the median, pushed to the recent values; features once a window is full. */
  private encode(d: number, i: number): void {
    const o = this.o;
    let u = this.high > this.low ? (d - this.low) / (this.high - this.low) : 0;
    u = u < 0 ? 0 : u > 1 ? 1 : u;
    const level = Math.round(u * o.levels);
    const median = this.median.add(level);
    let within = this.chompLevels;
    let usual = median;
    if (this.noiseSd > 0 && (o.noise ?? 0) > 0) {
      // A coarse network's means: what their sampling noise explains is the usual level too, and
      // the usual level moves only once the median has moved that far (a median stepping one
      // level among noisy means would otherwise be a step, and rescaled, a full-height one).
      within = Math.max(within, ((o.noise ?? 0) * this.noiseSd * o.levels) / (this.high - this.low));
      if (this.usual < 0 || Math.abs(median - this.usual) >= within) this.usual = median;
      usual = this.usual;
    }
    u = (snapsToMedian(level, median, within) ? usual : level) / o.levels;
    const win = this.win;
    // A window of one repeated level (a chomped series sits on its median level most of the time)
    // is the same window once shifted: the recent values and their features stay as they are.
    if (this.featuresCurrent && repeats(this.recent, u)) return;
    this.recent.copyWithin(0, 1);
    this.recent[win - 1] = u;
    if (i < win) {
      this.features.fill(0);
      return;
    }
    rescale(this.recent, this.shape);
    haarTransform(this.shape, this.coeffs, this.scratch);
    rescale(this.coeffs, this.coeffs);
    this.features.set(this.coeffs, 0);
    this.features.set(this.recent, win);
    this.featuresCurrent = true;
  }

  /** A value beyond the range: widen it past the value and re-express what was learned in the old range. */
  private widen(d: number): void {
    this.featuresCurrent = false;
    const width = this.high - this.low;
    const oldLow = this.low;
    if (d < this.low) this.low = d - this.o.expandPad * width;
    if (d > this.high) this.high = d + this.o.expandPad * width;
    const scale = width / (this.high - this.low);
    const offset = (oldLow - this.low) / (this.high - this.low);
    const win = this.win;
    this.vigilance.art.remap(win, 2 * win, scale, offset);
    for (let k = 0; k < win; k++) this.recent[k] = this.recent[k] * scale + offset;
    const levels = this.o.levels;
    const remap = (l: number): number => Math.min(levels, Math.max(0, Math.round(((l / levels) * scale + offset) * levels)));
    this.median.remap(remap);
    if (this.usual >= 0) this.usual = remap(this.usual);
  }
}

/**
 * The downsampling step that puts `windowsPerLearn` windows in the learning period, and the
 * downsampled points it then holds (at least 4 windows' worth of values are learned). A coarse
 * network's step is `coarse` times that, over the same values (at least one window of its own).
 */
export function learningPeriod(o: Pick<ResonanceOptions, 'learnPoints' | 'window' | 'windowsPerLearn' | 'coarse'>): { step: number; learn: number } {
  const points = Math.max(o.learnPoints - (o.learnPoints % 2), 4 * o.window);
  const step = Math.max(1, Math.floor(points / (o.window * Math.max(1, o.windowsPerLearn))));
  const k = Math.max(1, Math.floor(o.coarse ?? 1));
  return { step: k * step, learn: Math.max(k === 1 ? 0 : o.window, Math.floor(Math.floor(points / step) / k)) };
}

/** Median absolute difference of two independent normal values → their standard deviation. */
const MEDIAN_DIFF_TO_SD = 1 / (0.6744897501960817 * Math.SQRT2);

/**
 * The standard deviation of the noise of a series of block means, from their successive
 * differences (a level shift or a trend among them moves few of those, and the median ignores
 * them): the median absolute difference over √2 × 0.6745, as for normal noise. 0 for fewer than
 * two means (or differences too large for a number).
 */
export function noiseOfMeans(means: ArrayLike<number>): number {
  const diffs = Float64Array.from({ length: Math.max(0, means.length - 1) }, (_, k) => Math.abs(means[k + 1] - means[k])).sort();
  if (diffs.length === 0) return 0;
  const h = diffs.length >> 1;
  const sd = (diffs.length % 2 === 1 ? diffs[h] : (diffs[h - 1] + diffs[h]) / 2) * MEDIAN_DIFF_TO_SD;
  // Means of values near the largest numbers can differ by more than any number: no estimate.
  return Number.isFinite(sd) ? sd : 0;
}

/** Whether every value of `a` is `u` (zeros of the same sign). */
function repeats(a: Float64Array, u: number): boolean {
  for (let k = 0; k < a.length; k++) if (!Object.is(a[k], u)) return false;
  return true;
}

/** Shifts and scales `from` into [0, 1] (all zeros when it is flat), into `to`. */
function rescale(from: Float64Array, to: Float64Array): void {
  let lo = Number.POSITIVE_INFINITY;
  for (const x of from) if (x < lo) lo = x;
  let hi = 0;
  for (let k = 0; k < from.length; k++) {
    to[k] = from[k] - lo;
    if (to[k] > hi) hi = to[k];
  }
  if (hi !== 0) for (let k = 0; k < to.length; k++) to[k] /= hi;
}
