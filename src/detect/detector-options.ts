/**
 * The detector's knobs. One configuration serves every series (live crowd reports, `stormwatch
 * detect`, NAB); the options exist for tests and experiments, the defaults are the product.
 * Time constants are in milliseconds of event time, so they mean the same at any sampling rate.
 */
export interface DetectorOptions {
  /** Alarm score at or above which the alarm may open (and where `upper` is drawn). */
  highScore: number;
  /** Alarm score below which an open alarm counts down to closing. */
  lowScore: number;
  /** Consecutive points at or above `highScore` that open the alarm. */
  openAfter: number;
  /** Consecutive points below `lowScore` that close it. */
  closeAfter: number;
  /** Evidence (robust z) that maps to a score of 0.5: score = e² / (e² + halfScoreZ²). */
  halfScoreZ: number;
  /** Residuals are clipped at this many robust standard deviations before the baseline learns. */
  clip: number;
  /** Deseasonalised level. */
  levelTauMs: number;
  /** Local level used while a time-of-day slot has no history yet (the first day). */
  fastTauMs: number;
  /** Noise scale (robust mean absolute residual). */
  scaleTauMs: number;
  /** Memory of a time-of-day slot, in days' worth of visits, and of a weekday slot, in weeks. */
  dailyMemory: number;
  weeklyMemory: number;
  /** Smoothing of the short run of z-scores that reveals level shifts (0 turns it off). */
  runAlpha: number;
  /** Points before any score is given (the scale is unknown until then). */
  warmup: number;
  /** The noise scale never drops below this fraction of the series' typical spread. */
  spreadFloor: number;
  /** Memory of the series' overall range: how extreme a value is, whatever the time of day. */
  rangeTauMs: number;
  /** The overall spread is never taken below this many noise scales (series with flat stretches). */
  rangeSdFloor: number;
  /** Range z below which only the seasonal evidence counts. */
  rangeFloor: number;
  /** Memory of the evidence's own distribution, against which surprise is ranked. */
  surpriseTauMs: number;
  /** Evidence is clipped at this many of its own deviations before updating that distribution. */
  surpriseClip: number;
  /** Decay of the recent peak of surprise that a new onset must exceed. */
  peakTauMs: number;
  /**
   * Context novelty (a second opinion for `score` only): the last `contextLength` values,
   * each quantised to one of 2·`contextLevels`+1 levels of `contextBin` overall spreads around
   * the overall mean, form a context; a spike-like point (range z above `contextRangeZ` and
   * evidence above `contextEvidence`) whose context was never seen scores by how rare novelty
   * has been among this series' spike-like points. 0 turns it off.
   */
  contextLength: number;
  contextBin: number;
  contextLevels: number;
  contextRangeZ: number;
  contextEvidence: number;
  /** Weight of each spike-like point in the running rate of novel contexts. */
  noveltyRateAlpha: number;
  /** Novelty score = (1 − rate of novel contexts)^noveltyPower. */
  noveltyPower: number;
  /** Points before novelty may score (the contexts of a fresh series are all new). */
  contextLearn: number;
  /** The context grid is redrawn only when the overall spread changes by more than this factor… */
  contextRegrid: number;
  /** …or the overall mean moves by more than this many spreads. */
  contextShift: number;
  /** Seen contexts are remembered for one to two of these periods. */
  contextMemoryMs: number;
  /**
   * Recurring extremes (for `score` only, recurring-extremes.ts): a deviation counts only by
   * what it exceeds yesterday's extreme within ± this many 5-minute slots of the same time by,
   * if that extreme was itself an outlier of at least `recurringGate` noise scales. −1 turns
   * it off.
   */
  recurringSlots: number;
  recurringGate: number;
  /**
   * Resonance novelty (resonance-novelty.ts, ARTime's method made causal), which drives
   * `score`: values learned before it scores (NAB passes its probationary period here), the
   * window of downsampled values (a power of two; 0 turns resonance novelty off and `score` is
   * the onset score alone), windows per learning period, quantisation levels, the snap to the
   * median level, the starting vigilance, the widening of the learning period's range (each
   * side, as a fraction of it) and of the range when a value leaves it, and the categories kept.
   */
  learnPoints: number;
  resonanceWindow: number;
  resonanceWindows: number;
  resonanceLevels: number;
  resonanceChomp: number;
  resonanceInitialRho: number;
  resonancePad: number;
  resonanceExpandPad: number;
  resonanceCategories: number;
  /**
   * A second resonance network, the octave above: blocks this many times the step, each
   * downsampled to its mean (the slow level), learned from the same learning period; its
   * reports are weighed by the recent range of block means (as the usual network's are by that
   * of block extremes, `inRecentWeight`, `recentExcessFull`) and join the usual network's
   * through a report mask of `reportMaskWindows` of its own windows (one event, one report).
   * 0 or 1 turns it off.
   */
  resonanceCoarse: number;
  /**
   * The coarse network's chomp covers the sampling noise of its block means: a block mean
   * fewer than this many standard deviations of that noise from the median level is the usual
   * level (never less than `resonanceChomp`), and the usual level it snaps to moves only once
   * the median has moved as far. The noise is estimated from the learning period's block means
   * (their successive differences). 0: the coarse network chomps as the usual one does.
   */
  resonanceCoarseNoise: number;
  /**
   * With resonance novelty on, the onset score (items above) counts only from this value up,
   * rescaled from there: (onset − onsetGate) / (1 − onsetGate).
   */
  onsetGate: number;
  /**
   * One event, one report (report-mask.ts): within this many resonance windows (of downsampled
   * values) after resonance novelty or the onset score reported, a report of the other counts
   * only by what it exceeds that report. 1.5 is resonance novelty's own masking span.
   */
  reportMaskWindows: number;
  /**
   * The recent range (recent-range.ts): resonance novelty counts in full only where the
   * current block of values goes beyond the `recentQuantile`…1 − `recentQuantile` quantiles of
   * the block extremes of the last `recentSpanMs`; inside them it counts `inRecentWeight`,
   * rising linearly to full at `recentExcessFull` widths of the range beyond.
   */
  recentSpanMs: number;
  recentQuantile: number;
  inRecentWeight: number;
  recentExcessFull: number;
}

const HOUR_MS = 3_600_000;

export const DEFAULT_DETECTOR_OPTIONS: Readonly<DetectorOptions> = Object.freeze({
  highScore: 0.5,
  lowScore: 0.25,
  openAfter: 2,
  closeAfter: 10,
  halfScoreZ: 6,
  clip: 3,
  levelTauMs: 24 * HOUR_MS,
  fastTauMs: HOUR_MS,
  scaleTauMs: 24 * HOUR_MS,
  dailyMemory: 4,
  weeklyMemory: 8,
  runAlpha: 0.3,
  warmup: 12,
  spreadFloor: 0.05,
  rangeTauMs: 14 * 24 * HOUR_MS,
  rangeSdFloor: 0.5,
  rangeFloor: 4,
  surpriseTauMs: 3 * 24 * HOUR_MS,
  surpriseClip: 5,
  peakTauMs: 48 * HOUR_MS,
  contextLength: 6,
  contextBin: 2.5,
  contextLevels: 6,
  contextRangeZ: 3,
  contextEvidence: 4,
  noveltyRateAlpha: 0.05,
  noveltyPower: 4,
  contextLearn: 300,
  contextRegrid: Math.SQRT2,
  contextShift: 0.5,
  contextMemoryMs: 30 * 24 * HOUR_MS,
  recurringSlots: 12,
  recurringGate: 4,
  learnPoints: 750,
  resonanceWindow: 8,
  resonanceWindows: 13,
  resonanceLevels: 80,
  resonanceChomp: 0.075,
  resonanceInitialRho: 0.8,
  resonancePad: 1,
  resonanceExpandPad: 0.25,
  resonanceCategories: 128,
  resonanceCoarse: 2,
  resonanceCoarseNoise: 5,
  onsetGate: 0.5,
  reportMaskWindows: 1.5,
  recentSpanMs: 7 * 24 * HOUR_MS,
  recentQuantile: 0.01,
  inRecentWeight: 0.5,
  recentExcessFull: 0.25,
});
