import type { Detector, DetectorOutput, Observation } from './detector.js';
import { stepHysteresis } from './hysteresis.js';
import type { HysteresisOptions, HysteresisState } from './hysteresis.js';
import { createStabiliser } from './variance-stabilise.js';
import type { Stabiliser } from './variance-stabilise.js';

/**
 * The one detector Stormwatch runs everywhere: live over per-minute report counts, in
 * `stormwatch detect`, and in the NAB benchmark. One configuration for every series; the
 * options exist for tests and experiments, the defaults are the product.
 *
 * Model, in variance-stabilised units (see variance-stabilise.ts):
 *   expected = level + daily[slot] + weekly[day, slot]   once those buckets have data,
 *              blended with a fast local level while they are still empty (first day/week).
 * Buckets come from the timestamp (5-minute slots of the UTC day × day of week), so the
 * sampling interval does not matter. Every update clips its residual at `clip` robust
 * standard deviations, so the outliers the detector must find barely move the baseline.
 * Evidence is the larger of the point's robust z and a short run's z (a level shift), and the
 * score is shaped for onsets: a point that does not exceed the recent peak of evidence is
 * damped, because the anomaly it belongs to has already been reported.
 */
export interface DetectorOptions {
  /** Score at or above which the alarm may open (and `upper` is drawn). */
  highScore: number;
  /** Score below which an open alarm starts counting down to close. */
  lowScore: number;
  openAfter: number;
  closeAfter: number;
  /** Evidence (robust z) that maps to a score of 0.5. */
  halfScoreZ: number;
  /** Residuals are clipped at this many robust standard deviations before learning. */
  clip: number;
  /** Time constants in ms. */
  levelTauMs: number;
  fastTauMs: number;
  scaleTauMs: number;
  peakTauMs: number;
  /** Memory of a daily slot and a weekly bucket, in days/weeks worth of visits. */
  dailyMemory: number;
  weeklyMemory: number;
  /** Weight of the short-run evidence (0 disables level-shift evidence). */
  runAlpha: number;
  /** Fraction of the recent peak of evidence subtracted from new evidence (repeats score low). */
  echoDamping: number;
  /** Points before any score is given (the scale is unknown until then). */
  warmup: number;
  /** The noise scale never drops below this fraction of the series' typical spread. */
  spreadFloor: number;
  /** Memory of the evidence's own distribution, to rank surprises against this series' history (0 = off). */
  normTauMs: number;
  /** Evidence is clipped at this many of its own deviations before it updates that distribution. */
  normClip: number;
  /** Weight of evidence below the baseline (drops matter less than surges for crowd reports). */
  downWeight: number;
  /** Negative-binomial dispersion r of the variance-stabilising transform. */
  dispersion: number;
}

const HOUR_MS = 3_600_000;

export const DEFAULT_DETECTOR_OPTIONS: Readonly<DetectorOptions> = Object.freeze({
  highScore: 0.5,
  lowScore: 0.25,
  openAfter: 2,
  closeAfter: 10,
  halfScoreZ: 6,
  clip: 3,
  levelTauMs: 12 * HOUR_MS,
  fastTauMs: HOUR_MS,
  scaleTauMs: 24 * HOUR_MS,
  peakTauMs: 24 * HOUR_MS,
  dailyMemory: 7,
  weeklyMemory: 4,
  runAlpha: 0.3,
  echoDamping: 1,
  warmup: 12,
  spreadFloor: 0.05,
  dispersion: 1e9,
  normTauMs: 7 * 24 * HOUR_MS,
  normClip: 20,
  downWeight: 1,
});

const DAY_MS = 86_400_000;
const SLOT_MS = 300_000;
const SLOTS = DAY_MS / SLOT_MS;
const WEEK_SLOTS = 7 * SLOTS;
/** Mean absolute deviation → standard deviation for a normal distribution. */
const MAD_TO_SD = 1.2533;

/** The detector's whole state, JSON-safe (`snapshot()` returns it, `state` restores it). */
export interface DetectorState {
  version: 1;
  n: number;
  lastT: number;
  level: number;
  fast: number;
  absDev: number;
  run: number;
  peak: number;
  evMean: number;
  evVar: number;
  spread: number;
  /** True while every value so far has been a non-negative integer (a count). */
  counts: boolean;
  alarm: boolean;
  streak: number;
  daily: number[];
  dailyN: number[];
  weekly: number[];
  weeklyN: number[];
}

export function createDetector(options: Partial<DetectorOptions> = {}, state?: DetectorState): Detector {
  return new SeasonalDetector({ ...DEFAULT_DETECTOR_OPTIONS, ...options }, state);
}

class SeasonalDetector implements Detector {
  private n = 0;
  private lastT = 0;
  private level = 0;
  private fast = 0;
  private absDev = 0;
  private run = 0;
  private peak = 0;
  private evMean = 1;
  private evVar = 1;
  private spread = 0;
  private counts = true;
  private readonly hyst: HysteresisState = { alarm: false, streak: 0 };
  private readonly hystOpts: HysteresisOptions;
  private readonly daily = new Float64Array(SLOTS);
  private readonly dailyN = new Float64Array(SLOTS);
  private readonly weekly = new Float64Array(WEEK_SLOTS);
  private readonly weeklyN = new Float64Array(WEEK_SLOTS);
  private readonly runNorm: number;
  private readonly vst: Stabiliser;
  /** Score → evidence: z for which the score reaches highScore, for `upper`. */
  private readonly highZ: number;

  constructor(
    private readonly o: DetectorOptions,
    state?: DetectorState,
  ) {
    this.hystOpts = { high: o.highScore, low: o.lowScore, openAfter: o.openAfter, closeAfter: o.closeAfter };
    this.vst = createStabiliser(o.dispersion);
    this.runNorm = o.runAlpha > 0 ? Math.sqrt((2 - o.runAlpha) / o.runAlpha) : 0;
    this.highZ = o.halfScoreZ * Math.sqrt(o.highScore / (1 - o.highScore));
    if (state) this.restore(state);
  }

  update(obs: Observation): DetectorOutput {
    const o = this.o;
    const t = obs.t;
    const y = this.vst.forward(obs.value);
    const dt = this.n === 0 ? SLOT_MS : Math.min(Math.max(t - this.lastT, 1000), DAY_MS);
    const tod = ((t % DAY_MS) + DAY_MS) % DAY_MS;
    const s = Math.floor(tod / SLOT_MS);
    // 1970-01-01 was a Thursday; only consistency matters, not which bucket is Monday.
    const w = (((Math.floor(t / DAY_MS) % 7) + 7) % 7) * SLOTS + s;

    if (this.n === 0) {
      this.level = y;
      this.fast = y;
    }
    const dN = this.dailyN[s];
    const wN = this.weeklyN[w];
    const seasonal = this.level + this.daily[s] + (wN > 0 ? (this.weekly[w] * wN) / (wN + 1) : 0);
    const trust = dN / (dN + 1);
    const expected = trust * seasonal + (1 - trust) * this.fast;
    const r = y - expected;

    if (this.counts && !(obs.value >= 0 && Number.isInteger(obs.value))) this.counts = false;
    // Counts cannot be less noisy than Poisson (sd 1 after the transform); other series get a
    // floor from their own spread so that a noise-free series does not turn rounding into alarms.
    const sd = Math.max(this.absDev * MAD_TO_SD, o.spreadFloor * this.spread, this.counts ? 1 : 1e-9);
    const warm = this.n >= o.warmup;
    const z = warm ? r / sd : 0;
    this.run += o.runAlpha * (z - this.run);
    const zUp = z >= 0 ? z : -o.downWeight * z;
    const runUp = this.run >= 0 ? this.run : -o.downWeight * this.run;
    // Evidence in robust standard deviations: the point itself, or a short run (a level shift).
    const evidence = Math.max(zUp, runUp * this.runNorm);
    const alarmScore = (evidence * evidence) / (evidence * evidence + o.halfScoreZ * o.halfScoreZ);
    // Surprise ranks the evidence against this series' own history of evidence, so a bursty
    // series needs a larger deviation than a calm one to score as high.
    let surprise = evidence;
    if (o.normTauMs > 0 && warm) {
      const evSd = Math.sqrt(this.evVar);
      surprise = Math.max(0, (evidence - this.evMean) / evSd);
      const a = 1 - Math.exp(-dt / o.normTauMs);
      const d = Math.min(evidence - this.evMean, o.normClip * evSd);
      this.evMean += a * d;
      this.evVar += a * (d * d - this.evVar);
    }
    // The score marks onsets: surprise beyond the (decaying) peak of the last day. A level shift
    // or a long outage scores once, when it starts or grows, not on every point it lasts.
    const previousPeak = this.peak * Math.exp(-dt / o.peakTauMs);
    const shaped = Math.max(0, surprise - o.echoDamping * previousPeak);
    this.peak = Math.max(previousPeak, surprise);
    const score = warm ? (shaped * shaped) / (shaped * shaped + o.halfScoreZ * o.halfScoreZ) : 0;
    stepHysteresis(this.hystOpts, this.hyst, alarmScore);

    // Learn, with residuals clipped so that outliers move the baseline only a little.
    const limit = o.clip * (warm ? sd : Number.POSITIVE_INFINITY);
    const aFast = 1 - Math.exp(-dt / o.fastTauMs);
    const aLevel = Math.max(1 - Math.exp(-dt / o.levelTauMs), 1 / (this.n + 1));
    const visitsPerSlot = Math.max(1, SLOT_MS / dt);
    const aDaily = Math.max(1 / (dN + 1), 1 / (o.dailyMemory * visitsPerSlot));
    const aWeekly = Math.max(1 / (wN + 1), 1 / (o.weeklyMemory * visitsPerSlot));
    this.fast += aFast * clamp(y - this.fast, limit);
    const deseasonalised = y - this.daily[s];
    this.level += aLevel * clamp(deseasonalised - this.level, limit);
    this.daily[s] += aDaily * clamp(y - this.level - this.daily[s], limit);
    this.dailyN[s] = dN + 1;
    this.weekly[w] += aWeekly * clamp(y - this.level - this.daily[s] - this.weekly[w], limit);
    this.weeklyN[w] = wN + 1;
    const aScale = Math.max(1 - Math.exp(-dt / o.scaleTauMs), 1 / (this.n + 1));
    this.absDev += aScale * (Math.min(Math.abs(r), limit) - this.absDev);
    this.spread += aScale * (Math.abs(y - this.level) - this.spread);
    this.n++;
    this.lastT = t;

    return {
      score,
      expected: this.vst.inverse(expected),
      upper: this.vst.inverse(expected + this.highZ * sd),
      alarm: this.hyst.alarm,
    };
  }

  snapshot(): DetectorState {
    return {
      version: 1,
      n: this.n,
      lastT: this.lastT,
      level: this.level,
      fast: this.fast,
      absDev: this.absDev,
      run: this.run,
      peak: this.peak,
      evMean: this.evMean,
      evVar: this.evVar,
      spread: this.spread,
      counts: this.counts,
      alarm: this.hyst.alarm,
      streak: this.hyst.streak,
      daily: Array.from(this.daily),
      dailyN: Array.from(this.dailyN),
      weekly: Array.from(this.weekly),
      weeklyN: Array.from(this.weeklyN),
    };
  }

  private restore(s: DetectorState): void {
    this.n = s.n;
    this.lastT = s.lastT;
    this.level = s.level;
    this.fast = s.fast;
    this.absDev = s.absDev;
    this.run = s.run;
    this.peak = s.peak;
    this.evMean = s.evMean;
    this.evVar = s.evVar;
    this.spread = s.spread;
    this.counts = s.counts;
    this.hyst.alarm = s.alarm;
    this.hyst.streak = s.streak;
    this.daily.set(s.daily);
    this.dailyN.set(s.dailyN);
    this.weekly.set(s.weekly);
    this.weeklyN.set(s.weeklyN);
  }
}

function clamp(x: number, limit: number): number {
  return x > limit ? limit : x < -limit ? -limit : x;
}
