import type { Detector, DetectorOutput, Observation } from './detector.js';
import { DEFAULT_DETECTOR_OPTIONS } from './detector-options.js';
import type { DetectorOptions } from './detector-options.js';
import { stepHysteresis } from './hysteresis.js';
import type { HysteresisOptions } from './hysteresis.js';
import { destabilise, stabilise } from './variance-stabilise.js';
import { parseDetectorState, SEEN_BITS, SEEN_WORDS, SLOTS, WEEK_SLOTS } from './detector-state.js';
import { freshRecurringState, RecurringExtremes } from './recurring-extremes.js';
import { learningPeriod, ResonanceNovelty } from './resonance-novelty.js';
import { parseResonanceState } from './resonance-state.js';
import { parseRecentRangeState, RecentRange } from './recent-range.js';
import { parseReportMaskState, ReportMask } from './report-mask.js';
import { DAY_MS, SLOT_MS } from './time-slots.js';
import type { DetectorState } from './detector-state.js';

/**
 * The one detector Stormwatch runs everywhere: live over per-minute report counts, in
 * `stormwatch detect`, and in the NAB benchmark. O(1) time and fixed memory per point.
 *
 * Baseline, in Anscombe units (variance-stabilise.ts):
 *   expected = level + daily[slot] + weekly[weekday, slot]
 * with 5-minute slots of the UTC day taken from the timestamp (any sampling interval works),
 * blended with a fast local level while a slot has no history yet (the first day), and the
 * weekday term shrunk towards 0 until it has a few weeks. Residuals are clipped at `clip`
 * robust standard deviations before anything learns, so the outliers it must find barely move it.
 *
 * Two outputs, for two uses:
 * - `alarm` (live incidents) follows upward seasonal evidence, max(z, short-run z), through
 *   hysteresis: open after `openAfter` points above `highScore`, close after `closeAfter` below
 *   `lowScore`. It stays open for as long as the outage lasts.
 * - `score` marks onsets, the way NAB rewards them: evidence is combined with how extreme the
 *   value is for the series overall, ranked against the series' own history of evidence
 *   (a bursty series needs more to score as high as a calm one), and only what exceeds the
 *   recent (decaying, 2-day) peak counts, so a level shift or a long outage scores once.
 *   A second opinion, context novelty, may raise it: a spike-like point whose context (the last
 *   few values on a coarse grid) was never seen before scores by how rare such novelty has been
 *   in this series, which finds spikes of the usual size in a new arrangement (denser, longer)
 *   without firing on noisy series, where new contexts are common. Before any of this, a
 *   deviation that merely repeats an outlier deviation of yesterday near the same time of day
 *   counts only by its excess over it (recurring-extremes.ts), so a daily job's spike scores once.
 */
export function createDetector(options: Partial<DetectorOptions> = {}, state?: unknown): Detector {
  const o = { ...DEFAULT_DETECTOR_OPTIONS, ...options };
  // A restored state is copied onto a fresh one, not kept as parsed (a spread copy): V8 gives a
  // spread copy's number fields no unboxed representation, so every number stored in it took a
  // new heap number (a dozen a point, most of the seasonal model's allocation: 230 of its 350
  // bytes a point).
  return new SeasonalDetector(o, state === undefined ? freshState() : Object.assign(freshState(), parseDetectorState(state)));
}

/** 0 in Anscombe units. */
const STABLE_ZERO = stabilise(0);
/** Mean absolute deviation → standard deviation for a normal distribution. */
const MAD_TO_SD = 1.2533;

function freshState(): DetectorState {
  return {
    version: 1,
    n: 0,
    lastT: 0,
    level: 0,
    fast: 0,
    absDev: 0,
    spread: 0,
    counts: true,
    nonNegative: true,
    run: 0,
    rangeMean: 0,
    rangeVar: 0,
    evMean: 1,
    evVar: 1,
    peak: 0,
    alarm: false,
    streak: 0,
    daily: new Array<number>(SLOTS).fill(0),
    dailyN: new Array<number>(SLOTS).fill(0),
    weekly: new Array<number>(WEEK_SLOTS).fill(0),
    weeklyN: new Array<number>(WEEK_SLOTS).fill(0),
    contexts: [],
    noveltyRate: 1,
    noveltyPeak: 0,
    seen: new Array<number>(SEEN_WORDS).fill(0),
    seenBefore: new Array<number>(SEEN_WORDS).fill(0),
    seenSince: 0,
    contextMean: 0,
    contextSd: 0,
    scoreRun: 0,
    recurring: freshRecurringState(),
  };
}

interface Rates {
  surprise: number;
  peakDecay: number;
  range: number;
  fast: number;
  level: number;
  scale: number;
}

class SeasonalDetector implements Detector {
  private readonly s: DetectorState;
  private readonly daily: Float64Array;
  private readonly dailyN: Float64Array;
  private readonly weekly: Float64Array;
  private readonly weeklyN: Float64Array;
  /** The last `contextLength` quantised levels, a ring: `ctxFilled` of them, oldest at `ctxHead`. */
  private readonly ctx: Int32Array;
  private ctxHead = 0;
  private ctxFilled = 0;
  private readonly seen: Int32Array;
  private readonly seenBefore: Int32Array;
  private readonly recurring: RecurringExtremes | undefined;
  private readonly resonance: ResonanceNovelty | undefined;
  private readonly coarse: ResonanceNovelty | undefined;
  private readonly coarseMask: ReportMask | undefined;
  private readonly coarseRange: RecentRange | undefined;
  private readonly recentRange: RecentRange | undefined;
  private readonly reportMask: ReportMask | undefined;
  private readonly hyst: HysteresisOptions;
  private readonly runNorm: number;
  /** The evidence at which the alarm score reaches `highScore`, to draw `upper`. */
  private readonly highZ: number;
  /**
   * The start of the last point's day (NaN before the second day after 1970), and its day number
   * and first week slot: the time of day and the weekday come from them, without a floating-point
   * modulo (a library call) per point.
   */
  private dayStart = Number.NaN;
  private weekDay = Number.NaN;
  private weekBase = 0;
  private ratesDt = Number.NaN;
  private cached: Rates = { surprise: 0, peakDecay: 0, range: 0, fast: 0, level: 0, scale: 0 };

  constructor(
    private readonly o: DetectorOptions,
    state: DetectorState,
  ) {
    // The detector's own state object, of the fresh state's shape (see createDetector).
    this.s = state;
    this.daily = Float64Array.from(state.daily);
    this.dailyN = Float64Array.from(state.dailyN);
    this.weekly = Float64Array.from(state.weekly);
    this.weeklyN = Float64Array.from(state.weeklyN);
    this.ctx = new Int32Array(Math.max(0, o.contextLength));
    if (this.ctx.length > 0) for (const q of state.contexts.slice(-this.ctx.length)) this.pushContext(q);
    this.seen = Int32Array.from(state.seen);
    this.seenBefore = Int32Array.from(state.seenBefore);
    this.recurring = o.recurringSlots >= 0 ? new RecurringExtremes(o.recurringSlots, o.recurringGate, state.recurring) : undefined;
    this.resonance = o.resonanceWindow > 0 ? makeResonance(o, state.resonance) : undefined;
    if (this.resonance && o.resonanceCoarse > 1) {
      const older = state.resonance === undefined;
      this.coarse = makeResonance(o, older ? undefined : state.coarseResonance, o.resonanceCoarse);
      this.coarseMask = makeReportMask(o, this.coarse.step, older ? undefined : state.coarseMask);
      // The coarse network's blocks are means: its range is that of the recent means.
      this.coarseRange = makeRecentRange(o, 1, older || state.coarseRange === undefined ? undefined : state.coarseRange);
    }
    this.recentRange = this.resonance ? makeRecentRange(o, this.resonance.step, state.resonance === undefined ? undefined : state.recentRange) : undefined;
    this.reportMask = this.resonance ? makeReportMask(o, this.resonance.step, state.resonance === undefined ? undefined : state.reportMask) : undefined;
    this.hyst = { high: o.highScore, low: o.lowScore, openAfter: o.openAfter, closeAfter: o.closeAfter };
    // A run smoothed with weight a has a standard deviation √(a / (2 − a)) under white noise.
    this.runNorm = o.runAlpha > 0 ? Math.sqrt((2 - o.runAlpha) / o.runAlpha) : 0;
    this.highZ = o.halfScoreZ * Math.sqrt(o.highScore / (1 - o.highScore));
  }

  update(obs: Observation): DetectorOutput {
    const o = this.o;
    const st = this.s;
    const t = obs.t;
    const y = stabilise(obs.value);
    const first = st.n === 0;
    const dt = first ? SLOT_MS : Math.min(Math.max(t - st.lastT, 1000), DAY_MS);
    // The cached rates and the recurring extremes' early answer are taken here, not through a
    // call: V8 does not inline these calls into this long method, and each passed or returned
    // number was a new heap number.
    const k = dt === this.ratesDt ? this.cached : this.rates(dt);
    const slot = this.timeSlot(t);
    const wslot = this.weekdaySlot(t, slot);
    if (first) {
      st.seenSince = t;
      st.level = y;
      st.fast = y;
      st.rangeMean = y;
    }
    if (st.counts && !(obs.value >= 0 && Number.isInteger(obs.value))) st.counts = false;
    if (st.nonNegative && obs.value < 0) st.nonNegative = false;

    // Predict.
    const dN = this.dailyN[slot];
    const wN = this.weeklyN[wslot];
    const visitsPerSlot = Math.max(1, SLOT_MS / dt);
    const expected = this.predict(slot, wslot, visitsPerSlot);
    const r = y - expected;
    // Counts are never less noisy than Poisson (sd 1 after the transform); other series get a
    // floor from their own spread, so a noise-free series does not turn rounding into alarms.
    const sd = Math.max(st.absDev * MAD_TO_SD, o.spreadFloor * st.spread, st.counts ? 1 : 1e-9);
    const warm = st.n >= o.warmup;

    // Seasonal evidence: the point, or a short run of moderate points (a level shift).
    const z = warm ? r / sd : 0;
    st.run += o.runAlpha * (z - st.run);
    // The score counts only what yesterday's recurring extremes do not explain, both ways.
    const zs = this.recurring && Math.abs(z) >= o.recurringGate ? this.recurring.unexplained(t, r, z, sd) : z;
    st.scoreRun += o.runAlpha * (zs - st.scoreRun);
    const evidence = Math.max(Math.abs(zs), Math.abs(st.scoreRun) * this.runNorm);
    // The alarm is for surges only: fewer reports than usual is not an outage.
    const surge = Math.max(0, z, st.run * this.runNorm);
    const alarmScore = (surge * surge) / (surge * surge + o.halfScoreZ * o.halfScoreZ);
    stepHysteresis(this.hyst, st, alarmScore);

    // Onset score (see the header).
    // A series that sat flat for days has almost no overall spread; without a floor at the
    // noise scale its first ordinary wiggle would look like a record.
    const rangeSd = Math.max(Math.sqrt(st.rangeVar), o.rangeSdFloor * sd) + 1e-9;
    const rangeZ = warm ? Math.abs(y - st.rangeMean) / rangeSd : 0;
    const combined = Math.sqrt(evidence * Math.max(o.rangeFloor, rangeZ));
    let surprise = 0;
    if (warm) {
      const evSd = Math.sqrt(st.evVar);
      surprise = Math.max(0, (combined - st.evMean) / evSd);
      const a = k.surprise;
      const d = Math.min(combined - st.evMean, o.surpriseClip * evSd);
      st.evMean += a * d;
      st.evVar += a * (d * d - st.evVar);
    }
    const previousPeak = st.peak * k.peakDecay;
    const onset = Math.max(0, surprise - previousPeak);
    st.peak = Math.max(previousPeak, surprise);
    let score = (onset * onset) / (onset * onset + o.halfScoreZ * o.halfScoreZ);

    // Context novelty, a second opinion that catches what magnitude cannot: spikes of the usual
    // size in an unusual arrangement (denser, longer, at a new level). It scores only where
    // novelty is rare for this series: a noisy series meets new contexts all the time, so its
    // novelty counts for nothing; a regular one almost never does.
    if (this.ctx.length > 0 && warm) {
      const levels = o.contextLevels;
      // The grid stays put until the overall spread changes by more than a factor
      // `contextRegrid` or the mean moves by more than `contextShift` spreads: a grid that
      // followed every drift would turn familiar contexts into new ones.
      const f = o.contextRegrid;
      if (st.contextSd === 0 || rangeSd > f * st.contextSd || rangeSd * f < st.contextSd || Math.abs(st.rangeMean - st.contextMean) > o.contextShift * st.contextSd) {
        st.contextSd = rangeSd;
        st.contextMean = st.rangeMean;
      }
      const step = Math.round((y - st.contextMean) / (o.contextBin * st.contextSd));
      this.pushContext((step > levels ? levels : step < -levels ? -levels : step) + levels);
      if (t - st.seenSince >= o.contextMemoryMs) {
        this.seenBefore.set(this.seen);
        this.seen.fill(0);
        st.seenSince = t;
      }
      const h = this.contextHash();
      const word = h >>> 5;
      const bit = 1 << (h & 31);
      const novel = ((this.seen[word] | this.seenBefore[word]) & bit) === 0;
      this.seen[word] |= bit;
      if (rangeZ > o.contextRangeZ && evidence > o.contextEvidence) {
        const rarity = 1 - st.noveltyRate;
        st.noveltyRate += o.noveltyRateAlpha * ((novel ? 1 : 0) - st.noveltyRate);
        const novelty = novel && st.n > o.contextLearn ? rarity ** o.noveltyPower : 0;
        // Like onsets, a novelty must exceed the recent (per spike-like point decaying) peak.
        const previous = st.noveltyPeak * k.peakDecay;
        score = Math.max(score, novelty - previous);
        st.noveltyPeak = Math.max(previous, novelty);
      }
    }

    this.recurring?.record(t, r);
    // Resonance novelty drives the score; the onset score adds what it is sure of (a surge or a
    // drop at full resolution and from the first hours, where resonance novelty sees blocks
    // of values and only after its learning period).
    if (this.resonance && this.recentRange && this.reportMask) {
      let novelty = this.resonance.update(obs.value);
      this.recentRange.add(t, obs.value);
      // A new shape within the values of the last days is mostly a series' ordinary
      // restlessness; beyond them it counts in full (recent-range.ts). The onset score needs no
      // such weight: it already knows the time of day and ranks against the series' history.
      if (novelty > 0) novelty *= this.recentWeight(this.recentRange.excess(t));
      if (this.coarse && this.coarseMask && this.coarseRange) {
        // The octave above: block means, so a slow change of level that looks ordinary block
        // by block can be a new pattern there. Weighed the same way by the range of its own
        // kind of value (the recent block means), and one event, one report between the two.
        let coarse = this.coarse.update(obs.value);
        const mean = this.coarse.finishedBlock;
        if (!Number.isNaN(mean)) this.coarseRange.add(t, mean);
        if (coarse > 0) coarse *= this.recentWeight(this.coarseRange.excess(t));
        novelty = this.coarseMask.combine(novelty, coarse);
      }
      // The onset score counts from its gate up, rising from 0 there: a jump from 0 to the gate
      // would put every onset just past it above any threshold below the gate, out of reach of
      // the ranking against resonance novelty.
      const onset = warm && o.onsetGate < 1 && score >= o.onsetGate ? (score - o.onsetGate) / (1 - o.onsetGate) : 0;
      // An event that both opinions report counts once (report-mask.ts).
      score = this.reportMask.combine(novelty, onset);
    } else if (!warm) score = 0;
    // Learn, with residuals clipped so that outliers move the baseline only a little.
    const limit = warm ? o.clip * sd : Number.POSITIVE_INFINITY;
    const aRange = Math.max(k.range, 1 / (st.n + 1));
    const dRange = first ? 0 : Math.min(y - st.rangeMean, 5 * rangeSd);
    st.rangeMean += aRange * dRange;
    st.rangeVar += aRange * (dRange * dRange - st.rangeVar);
    st.fast += k.fast * clamp(y - st.fast, limit);
    const aLevel = Math.max(k.level, 1 / (st.n + 1));
    st.level += aLevel * clamp(y - this.daily[slot] - st.level, limit);
    this.daily[slot] += Math.max(1 / (dN + 1), 1 / (o.dailyMemory * visitsPerSlot)) * clamp(y - st.level - this.daily[slot], limit);
    this.dailyN[slot] = dN + 1;
    // Weekday differences are learnt only once the time-of-day profile is settled (3 days):
    // before that, residuals are mostly the profile's own learning error.
    if (dN >= 3 * visitsPerSlot) {
      const weeklyResidual = y - st.level - this.daily[slot] - this.weekly[wslot];
      this.weekly[wslot] += Math.max(1 / (wN + 1), 1 / (o.weeklyMemory * visitsPerSlot)) * clamp(weeklyResidual, limit);
      this.weeklyN[wslot] = wN + 1;
    }
    const aScale = Math.max(k.scale, 1 / (st.n + 1));
    st.absDev += aScale * (Math.min(Math.abs(r), limit) - st.absDev);
    st.spread += aScale * (Math.abs(y - st.level) - st.spread);
    st.n++;
    st.lastT = t;

    // One call site for the lower band (two would leave one of them out of V8's inlining budget).
    const lower = destabilise(expected - this.highZ * sd);
    return {
      score,
      expected: destabilise(expected),
      upper: destabilise(expected + this.highZ * sd),
      lower: st.nonNegative ? Math.max(0, lower) : lower,
      alarm: st.alarm,
    };
  }

  expect(t: number): number {
    const st = this.s;
    if (st.n === 0) return 0;
    const dt = Math.min(Math.max(t - st.lastT, 1000), DAY_MS);
    const slot = daySlot(t);
    return destabilise(this.predict(slot, weekSlot(t, slot), Math.max(1, SLOT_MS / dt)));
  }

  /**
   * daySlot(t), bit for bit. From the second day after 1970 on (t ≥ 2²⁷ ms), t is a multiple of
   * 2⁻²⁵ ms, so both t − the start of its day and the modulo's (t mod day) + day are exact: within
   * the day of the last point the subtraction gives the same time of day.
   */
  private timeSlot(t: number): number {
    let r = t - this.dayStart;
    if (!(r >= 0 && r < DAY_MS)) {
      r = dayTime(t);
      this.dayStart = t >= 2 * DAY_MS ? t - r : Number.NaN;
    }
    return Math.floor(r / SLOT_MS);
  }

  /** weekSlot(t, slot), its weekday worked out once per day number. */
  private weekdaySlot(t: number, slot: number): number {
    const day = Math.floor(t / DAY_MS);
    if (day !== this.weekDay) {
      this.weekDay = day;
      this.weekBase = weekdayBase(day);
    }
    return this.weekBase + slot;
  }

  /** A resonance score's weight for a block `excess` range-widths beyond the recent range. */
  private recentWeight(excess: number): number {
    const o = this.o;
    return o.inRecentWeight + (1 - o.inRecentWeight) * Math.min(1, excess / o.recentExcessFull);
  }

  /** The baseline in Anscombe units for a slot, from the state as it is (nothing learns). */
  private predict(slot: number, wslot: number, visitsPerSlot: number): number {
    const st = this.s;
    const dN = this.dailyN[slot];
    const wN = this.weeklyN[wslot];
    // The weekday term is shrunk until it has about two weeks of visits behind it.
    const seasonal = st.level + this.daily[slot] + (this.weekly[wslot] * wN) / (wN + 2 * visitsPerSlot);
    const trust = dN / (dN + 1);
    // The additive terms can sum to less than nothing (a weekday dip learnt in a busy week,
    // met by a quiet one); a series that has never been negative is not predicted to be.
    const blended = trust * seasonal + (1 - trust) * st.fast;
    return st.nonNegative && blended < STABLE_ZERO ? STABLE_ZERO : blended;
  }

  private pushContext(q: number): void {
    const n = this.ctx.length;
    if (this.ctxFilled < n) this.ctx[(this.ctxHead + this.ctxFilled++) % n] = q;
    else {
      this.ctx[this.ctxHead] = q;
      this.ctxHead = (this.ctxHead + 1) % n;
    }
  }

  /** FNV-1a over the context, oldest level first, folded to SEEN_BITS bits. */
  private contextHash(): number {
    const n = this.ctx.length;
    let h = 2166136261;
    for (let i = 0; i < this.ctxFilled; i++) {
      h ^= this.ctx[(this.ctxHead + i) % n] + 1;
      h = Math.imul(h, 16777619);
    }
    return (h >>> 0) & ((1 << SEEN_BITS) - 1);
  }

  /** Learning rates for a time step; series are regular, so this is almost always the cached one (which update takes without the call). */
  private rates(dt: number): Rates {
    if (dt !== this.ratesDt) {
      const o = this.o;
      const rate = (tau: number): number => 1 - Math.exp(-dt / tau);
      this.cached = {
        surprise: rate(o.surpriseTauMs),
        peakDecay: Math.exp(-dt / o.peakTauMs),
        range: rate(o.rangeTauMs),
        fast: rate(o.fastTauMs),
        level: rate(o.levelTauMs),
        scale: rate(o.scaleTauMs),
      };
      this.ratesDt = dt;
    }
    return this.cached;
  }

  snapshot(): DetectorState {
    return {
      ...this.s,
      daily: Array.from(this.daily),
      dailyN: Array.from(this.dailyN),
      weekly: Array.from(this.weekly),
      weeklyN: Array.from(this.weeklyN),
      contexts: Array.from({ length: this.ctxFilled }, (_, i) => this.ctx[(this.ctxHead + i) % this.ctx.length]),
      seen: Array.from(this.seen),
      seenBefore: Array.from(this.seenBefore),
      recurring: this.recurring ? this.recurring.snapshot() : this.s.recurring,
      resonance: this.resonance ? this.resonance.snapshot() : undefined,
      recentRange: this.recentRange ? this.recentRange.snapshot() : undefined,
      reportMask: this.reportMask ? this.reportMask.snapshot() : undefined,
      coarseResonance: this.coarse ? this.coarse.snapshot() : undefined,
      coarseMask: this.coarseMask ? this.coarseMask.snapshot() : undefined,
      coarseRange: this.coarseRange ? this.coarseRange.snapshot() : undefined,
    };
  }
}

function makeResonance(o: DetectorOptions, saved: unknown, coarse = 1): ResonanceNovelty {
  const options = {
    learnPoints: o.learnPoints,
    window: o.resonanceWindow,
    windowsPerLearn: o.resonanceWindows,
    levels: o.resonanceLevels,
    chomp: o.resonanceChomp,
    initialRho: o.resonanceInitialRho,
    pad: o.resonancePad,
    expandPad: o.resonanceExpandPad,
    categories: Math.max(2, o.resonanceCategories),
    coarse,
    noise: coarse > 1 ? o.resonanceCoarseNoise : 0,
  };
  if (saved === undefined) return new ResonanceNovelty(options);
  const shape = { window: options.window, levels: options.levels, learn: learningPeriod(options).learn, categories: options.categories };
  return new ResonanceNovelty(options, parseResonanceState(saved, shape));
}

/** Blocks the recent range keeps at most: a week of per-minute values in blocks of 5 or more. */
const RECENT_BLOCKS = 2048;

function makeRecentRange(o: DetectorOptions, step: number, saved: unknown): RecentRange {
  const options = { step, spanMs: o.recentSpanMs, quantile: o.recentQuantile, capacity: RECENT_BLOCKS };
  return new RecentRange(options, saved === undefined ? undefined : parseRecentRangeState(saved));
}

function makeReportMask(o: DetectorOptions, step: number, saved: unknown): ReportMask {
  return new ReportMask(Math.round(o.reportMaskWindows * o.resonanceWindow * step), saved === undefined ? undefined : parseReportMaskState(saved));
}

function daySlot(t: number): number {
  return Math.floor(dayTime(t) / SLOT_MS);
}

/** Milliseconds since the start of t's UTC day. */
function dayTime(t: number): number {
  return ((t % DAY_MS) + DAY_MS) % DAY_MS;
}

/** 1970-01-01 was a Thursday; only consistency matters, not which bucket is Monday. */
function weekSlot(t: number, slot: number): number {
  return weekdayBase(Math.floor(t / DAY_MS)) + slot;
}

/** The first week slot of day number `day` (days since 1970-01-01). */
function weekdayBase(day: number): number {
  return (((day % 7) + 7) % 7) * SLOTS;
}

function clamp(x: number, limit: number): number {
  return x > limit ? limit : x < -limit ? -limit : x;
}
