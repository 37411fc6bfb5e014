/**
 * The detector's whole state, JSON-safe: `snapshot()` returns it and `createDetector(options,
 * state)` resumes from it, so a live detector survives a restart. Parsed, not trusted: it may
 * come back from a database written by an older build.
 */
export const SLOTS = 288; // 5-minute slots per day
export const WEEK_SLOTS = 7 * SLOTS;

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
  return value as DetectorState;
}
