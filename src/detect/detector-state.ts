import { freshRecurringState, RECURRING_DAYS } from './recurring-extremes.js';
import type { RecurringState } from './recurring-extremes.js';

/**
 * The detector's whole state, JSON-safe: `snapshot()` returns it and `createDetector(options,
 * state)` resumes from it, so a live detector survives a restart. Parsed, not trusted: it may
 * come back from a database written by an older build.
 */
import { SLOTS } from './time-slots.js';

export { SLOTS };
export const WEEK_SLOTS = 7 * SLOTS;
/** Seen-context memory: 32-bit words of a 2^15-bit set, two generations. */
export const SEEN_BITS = 15;
export const SEEN_WORDS = (1 << SEEN_BITS) / 32;
/** Longest context a snapshot may carry. */
const MAX_CONTEXT = 64;

export interface DetectorState {
  version: 1;
  n: number;
  lastT: number;
  level: number;
  fast: number;
  absDev: number;
  spread: number;
  /** True while every value so far has been a non-negative integer (a count). */
  counts: boolean;
  /** True while no value so far has been negative: the prediction then never is either. */
  nonNegative: boolean;
  run: number;
  rangeMean: number;
  rangeVar: number;
  evMean: number;
  evVar: number;
  peak: number;
  alarm: boolean;
  streak: number;
  daily: number[];
  dailyN: number[];
  weekly: number[];
  weeklyN: number[];
  /**
   * Context novelty (added later: snapshots without these fields load with the defaults,
   * which is a fresh context memory). Last quantised levels, the running rate of novel
   * contexts among spike-like points, its decaying peak, and the seen-context bit sets of
   * the current and the previous memory period, which started at `seenSince`, and the grid.
   */
  contexts: number[];
  noveltyRate: number;
  noveltyPeak: number;
  seen: number[];
  seenBefore: number[];
  seenSince: number;
  /** The quantisation grid of the contexts: centre and spread (0 = not set yet). */
  contextMean: number;
  contextSd: number;
  /**
   * The score's own short run of deviations (the alarm's `run` sees every deviation; this one
   * only what recurring extremes leave unexplained), and the recurring extremes' memory.
   * Added later: snapshots without them load with `run` and an empty memory.
   */
  scoreRun: number;
  recurring: RecurringState;
  /**
   * Resonance novelty's state (resonance-novelty.ts), checked against the options when the
   * detector is made (resonance-state.ts). Absent in snapshots of older builds and while it is
   * off: it then starts learning afresh.
   */
  resonance?: unknown;
  /** The recent range (recent-range.ts), beside resonance novelty; absent like it. */
  recentRange?: unknown;
  /** The mask between resonance novelty's and the onset score's reports (report-mask.ts); absent like it. */
  reportMask?: unknown;
  /**
   * The coarse resonance network (`resonanceCoarse`) and the mask between its reports and the
   * usual network's; absent in snapshots of older builds (it then starts learning afresh).
   */
  coarseResonance?: unknown;
  coarseMask?: unknown;
  /** The recent range of the coarse network's block means; absent in older snapshots (then empty). */
  coarseRange?: unknown;
}

const NUMBERS = ['n', 'lastT', 'level', 'fast', 'absDev', 'spread', 'run', 'rangeMean', 'rangeVar', 'evMean', 'evVar', 'peak', 'streak'] as const;
const ARRAYS = { daily: SLOTS, dailyN: SLOTS, weekly: WEEK_SLOTS, weeklyN: WEEK_SLOTS } as const;

export class DetectorStateError extends Error {}

export function parseDetectorState(value: unknown): DetectorState {
  if (typeof value !== 'object' || value === null) throw new DetectorStateError('detector state: not an object');
  const v = value as Record<string, unknown>;
  if (v.version !== 1) throw new DetectorStateError(`detector state: unsupported version ${String(v.version)}`);
  for (const k of NUMBERS) {
    if (typeof v[k] !== 'number' || !Number.isFinite(v[k])) throw new DetectorStateError(`detector state: ${k} is not a finite number`);
  }
  for (const k of ['counts', 'alarm'] as const) {
    if (typeof v[k] !== 'boolean') throw new DetectorStateError(`detector state: ${k} is not a boolean`);
  }
  for (const [k, length] of Object.entries(ARRAYS)) {
    const a = v[k];
    if (!Array.isArray(a) || a.length !== length || !a.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      throw new DetectorStateError(`detector state: ${k} is not ${length} finite numbers`);
    }
  }
  const optional = { noveltyRate: 1, noveltyPeak: 0, seenSince: v.lastT as number, contextMean: 0, contextSd: 0 } as const;
  const filled: Record<string, unknown> = {};
  for (const [k, fallback] of Object.entries(optional)) {
    if (v[k] === undefined) filled[k] = fallback;
    else if (typeof v[k] !== 'number' || !Number.isFinite(v[k])) throw new DetectorStateError(`detector state: ${k} is not a finite number`);
  }
  if (v.scoreRun === undefined) filled.scoreRun = v.run;
  else if (typeof v.scoreRun !== 'number' || !Number.isFinite(v.scoreRun)) throw new DetectorStateError('detector state: scoreRun is not a finite number');
  filled.recurring = v.recurring === undefined ? freshRecurringState() : parseRecurring(v.recurring);
  if (v.nonNegative === undefined) filled.nonNegative = v.counts;
  else if (typeof v.nonNegative !== 'boolean') throw new DetectorStateError('detector state: nonNegative is not a boolean');
  const c = v.contexts;
  if (c === undefined) filled.contexts = [];
  else if (!Array.isArray(c) || c.length > MAX_CONTEXT || !c.every((x) => Number.isInteger(x) && (x as number) >= 0)) {
    throw new DetectorStateError(`detector state: contexts is not up to ${MAX_CONTEXT} non-negative integers`);
  }
  for (const k of ['seen', 'seenBefore'] as const) {
    const a = v[k];
    if (a === undefined) filled[k] = new Array<number>(SEEN_WORDS).fill(0);
    else if (!Array.isArray(a) || a.length !== SEEN_WORDS || !a.every((x) => Number.isInteger(x))) {
      throw new DetectorStateError(`detector state: ${k} is not ${SEEN_WORDS} integers`);
    }
  }
  return { ...v, ...filled } as unknown as DetectorState;
}

function parseRecurring(value: unknown): RecurringState {
  const n = SLOTS * RECURRING_DAYS;
  const r = value as Record<string, unknown> | null;
  const ok = (k: string): boolean => {
    const a = r?.[k];
    return Array.isArray(a) && a.length === n && a.every((x) => typeof x === 'number' && Number.isFinite(x));
  };
  if (typeof r !== 'object' || r === null || !ok('day') || !ok('min') || !ok('max')) {
    throw new DetectorStateError(`detector state: recurring is not {day, min, max} of ${n} finite numbers each`);
  }
  // Older builds kept values, not residuals: their memory would be misread, so it starts afresh
  // (for a day, a recurring spike scores as it did on its first day).
  if (r.residuals !== true) return freshRecurringState();
  return { day: r.day as number[], min: r.min as number[], max: r.max as number[], residuals: true };
}
