import { DualVigilanceArt } from './fuzzy-art.js';
import type { ArtState } from './fuzzy-art.js';

/**
 * ARTime's decision layer (Mark Hampton, 2021), over a dual-vigilance fuzzy ART: which
 * mismatches are anomalies, how confident, and how the two vigilance levels follow the series.
 *
 * - A mismatch (the input resonates with no learned cluster) is an anomaly unless the layer is
 *   masking: for 1.5 windows after an anomaly, after a new cluster until 1.5 windows pass without
 *   one, and after each vigilance update. While masking, only a mismatch clearly worse than the
 *   last anomaly's (below 90% of its match within the 1.5 windows, 70% later) counts.
 * - Confidence = 0.35·(rhoHigh − a)/(1 − a) + 0.65·(rhoLow − a)/(1 − a) + 1.5·(1 − energy),
 *   capped at 1, where a is the best match and energy the newest value's own match: how far
 *   below both vigilance levels the input fell, and how new its level is.
 * - Vigilance follows the series every half learning period and 1.5 windows after an anomaly:
 *   rhoHigh = mean best match so far (at most 0.97); rhoLow rises 19% of the way towards the
 *   lowest recent match when all recent matches clear it, else falls by half the typical
 *   shortfall below rhoHigh (at least 0.005), never below the mean match of past anomalies.
 *
 * These constants are ARTime's; they are not tuned here.
 */
export interface VigilanceState {
  art: ArtState;
  lastAnomaly: number;
  lastAnomalyMatch: number;
  lastUpdate: number;
  masking: boolean;
  sinceMismatch: number;
  anomalySum: number;
  anomalyCount: number;
  anomalyLast: number;
  matchSum: number;
  matchCount: number;
  /** The last half learning period of best matches, and the last learning period of shortfalls below rhoHigh, oldest first. */
  recent: number[];
  shortfalls: number[];
}

export class ResonanceVigilance {
  readonly art: DualVigilanceArt;
  private readonly mask: number;
  private readonly recent: Float64Array;
  private readonly shortfalls: Float64Array;
  private recentHead = 0;
  private shortHead = 0;
  private lastAnomaly = 0;
  private lastAnomalyMatch = 0;
  private lastUpdate = 0;
  private masking = false;
  private sinceMismatch = 0;
  private anomalySum = 0;
  private anomalyCount = 0;
  private anomalyLast = 0;
  private matchSum = 0;
  private matchCount = 0;

  constructor(
    private readonly window: number,
    /** Downsampled points in the learning period. */
    private readonly learn: number,
    dim: number,
    capacity: number,
    state?: VigilanceState,
  ) {
    this.mask = 1.5 * window;
    this.art = new DualVigilanceArt(dim, capacity, state?.art);
    this.recent = new Float64Array(Math.floor(learn / 2) + 1).fill(1);
    this.shortfalls = new Float64Array(learn + 1);
    if (state) {
      this.recent.set(state.recent);
      this.shortfalls.set(state.shortfalls);
      this.lastAnomaly = state.lastAnomaly;
      this.lastAnomalyMatch = state.lastAnomalyMatch;
      this.lastUpdate = state.lastUpdate;
      this.masking = state.masking;
      this.sinceMismatch = state.sinceMismatch;
      this.anomalySum = state.anomalySum;
      this.anomalyCount = state.anomalyCount;
      this.anomalyLast = state.anomalyLast;
      this.matchSum = state.matchSum;
      this.matchCount = state.matchCount;
    }
  }

  /** The `i`-th downsampled feature vector (1-based); returns its anomaly score in [0, 1]. */
  decide(features: Float64Array, i: number): number {
    const art = this.art;
    const sinceAnomaly = i - this.lastAnomaly;
    const updateAfterAnomaly = sinceAnomaly === this.mask;
    const updateForTrend = i - this.lastUpdate >= Math.floor(this.learn / 2);
    const afterAnomaly = sinceAnomaly <= this.mask;
    if (i > this.learn + this.mask && this.masking && this.sinceMismatch >= this.mask) this.masking = false;
    // Before a full window exists the features are blank: presented without learning, as mismatches.
    const mismatch = i < this.window ? (art.present(features, false), true) : art.present(features, true) === 'mismatch';
    this.sinceMismatch = mismatch ? 0 : this.sinceMismatch + 1;
    const a = art.activation;
    this.matchSum += a;
    this.matchCount++;
    this.recent[this.recentHead] = a;
    this.recentHead = (this.recentHead + 1) % this.recent.length;
    this.shortfalls[this.shortHead] = art.rhoHigh - a;
    this.shortHead = (this.shortHead + 1) % this.shortfalls.length;
    if (sinceAnomaly < this.mask && this.anomalyCount > 0 && a < this.anomalyLast) {
      this.anomalySum += a - this.anomalyLast;
      this.anomalyLast = a;
    }
    const masked = this.masking || afterAnomaly;
    const clearlyWorse = a < this.lastAnomalyMatch * (afterAnomaly ? 0.9 : 0.7);
    let score = 0;
    if (i > this.learn && mismatch && (!masked || clearlyWorse)) {
      score = this.confidence(a, art.energy);
      this.anomalySum += a;
      this.anomalyCount++;
      this.anomalyLast = a;
      this.lastAnomalyMatch = a;
      this.lastAnomaly = i;
    }
    this.masking ||= mismatch;
    if (i > this.learn && (updateAfterAnomaly || updateForTrend)) {
      this.adapt(i);
      this.lastUpdate = i;
      this.masking = true;
    }
    return score;
  }

  setVigilance(rho: number): void {
    this.art.rhoLow = rho;
    this.art.rhoHigh = rho;
  }

  snapshot(): VigilanceState {
    const ordered = (ring: Float64Array, head: number): number[] => Array.from({ length: ring.length }, (_, k) => ring[(head + k) % ring.length]);
    return {
      art: this.art.snapshot(),
      lastAnomaly: this.lastAnomaly,
      lastAnomalyMatch: this.lastAnomalyMatch,
      lastUpdate: this.lastUpdate,
      masking: this.masking,
      sinceMismatch: this.sinceMismatch,
      anomalySum: this.anomalySum,
      anomalyCount: this.anomalyCount,
      anomalyLast: this.anomalyLast,
      matchSum: this.matchSum,
      matchCount: this.matchCount,
      recent: ordered(this.recent, this.recentHead),
      shortfalls: ordered(this.shortfalls, this.shortHead),
    };
  }

  private confidence(match: number, energy: number): number {
    const a = Math.min(0.999, match);
    const s = (0.35 * (this.art.rhoHigh - a) + 0.65 * (this.art.rhoLow - a)) / (1 - a) + 1.5 * (1 - energy);
    return s > 1 ? 1 : s < 0 ? 0 : s;
  }

  private adapt(i: number): void {
    const art = this.art;
    let lowest = Number.POSITIVE_INFINITY;
    for (const m of this.recent) if (m < lowest) lowest = m;
    const high = Math.min(0.97, this.matchSum / this.matchCount);
    let low: number;
    if (art.rhoLow <= lowest) low = art.rhoLow + (lowest - art.rhoLow) * 0.19;
    else {
      let fall = 0;
      if (i > 2 * this.learn) {
        let sum = 0;
        let n = 0;
        for (const s of this.shortfalls) {
          if (s > 0.05) {
            sum += Math.min(0.37, s);
            n++;
          }
        }
        if (n > 0) fall = sum / n;
      }
      low = art.rhoLow - Math.max(0.01, fall) / 2;
      if (this.anomalyCount > 0) low = Math.max(this.anomalySum / this.anomalyCount, low);
    }
    art.rhoLow = Math.min(high, low);
    art.rhoHigh = high;
  }
}

/**
 * ARTime's starting vigilance, from the learning period's feature vectors (`count` rows of
 * `dim` in `rows`): order them from the least to the most typical (sum of cosine similarities
 * to all the others), run a fresh network at vigilance `initial` over them, and take the mean
 * best match from the middle of the learning period on.
 */
export function initialVigilance(rows: Float64Array, count: number, dim: number, initial: number, from: number): number {
  const typical = new Float64Array(count);
  const norm = new Float64Array(count);
  for (let a = 0; a < count; a++) {
    let s = 0;
    for (let k = 0; k < dim; k++) s += rows[a * dim + k] ** 2;
    norm[a] = Math.sqrt(s);
  }
  for (let a = 0; a < count; a++) {
    typical[a] += 1;
    for (let b = 0; b < a; b++) {
      const s = similarity(rows, dim, a, b, norm[a], norm[b]);
      typical[a] += s;
      typical[b] += s;
    }
  }
  const order = Array.from({ length: count }, (_, k) => k).sort((p, q) => typical[p] - typical[q]);
  const probe = new DualVigilanceArt(dim, count + 1);
  probe.rhoLow = initial;
  probe.rhoHigh = initial;
  let sum = 0;
  let n = 0;
  for (const [k, row] of order.entries()) {
    probe.present(rows.subarray(row * dim, (row + 1) * dim), true);
    if (k >= from) {
      sum += probe.activation;
      n++;
    }
  }
  return n > 0 ? sum / n : initial;
}

/** Cosine similarity, with ARTime's convention for a zero vector (1 − the other's norm). */
function similarity(rows: Float64Array, dim: number, a: number, b: number, na: number, nb: number): number {
  if (na === 0) return 1 - nb;
  if (nb === 0) return 1 - na;
  const ao = a * dim;
  const bo = b * dim;
  let dot = 0;
  let k = 0;
  // Four products a step, added one by one in order: the same sum as a plain loop, in fewer steps.
  for (; k + 4 <= dim; k += 4) {
    dot += rows[ao + k] * rows[bo + k];
    dot += rows[ao + k + 1] * rows[bo + k + 1];
    dot += rows[ao + k + 2] * rows[bo + k + 2];
    dot += rows[ao + k + 3] * rows[bo + k + 3];
  }
  for (; k < dim; k++) dot += rows[ao + k] * rows[bo + k];
  return dot / (na * nb);
}
