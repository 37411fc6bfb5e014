import { DetectorStateError } from './detector-state.js';
import type { ResonanceState } from './resonance-novelty.js';

/** What a resonance snapshot must fit: the sizes its options give. */
export interface ResonanceShape {
  window: number;
  levels: number;
  /** Downsampled points in the learning period. */
  learn: number;
  categories: number;
}

/**
 * Checks a resonance snapshot (from a database, perhaps written by another build or with other
 * options) before it is used: every number finite, every array the length the options give.
 */
export function parseResonanceState(value: unknown, shape: ResonanceShape): ResonanceState {
  const fail = (what: string): never => {
    throw new DetectorStateError(`detector state: resonance ${what}`);
  };
  const obj = (v: unknown, what: string): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : fail(`${what} is not an object`));
  const num = (o: Record<string, unknown>, k: string): void => {
    if (typeof o[k] !== 'number' || !Number.isFinite(o[k])) fail(`${k} is not a finite number`);
  };
  const arr = (o: Record<string, unknown>, k: string, min: number, max: number): void => {
    const a = o[k];
    if (!Array.isArray(a) || a.length < min || a.length > max || !a.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      fail(`${k} is not ${min === max ? min : `${min}–${max}`} finite numbers`);
    }
  };
  const s = obj(value, 'state');
  for (const k of ['n', 'ds', 'blockSum', 'blockMin', 'blockMax', 'average', 'rawLow', 'rawHigh', 'low', 'high']) num(s, k);
  arr(s, 'learned', 0, shape.learn);
  arr(s, 'recent', shape.window, shape.window);
  // A coarse network's noise of block means and usual level (absent before they existed).
  if (s.noise !== undefined && (typeof s.noise !== 'number' || !Number.isFinite(s.noise) || s.noise < 0)) fail('noise is not a non-negative finite number');
  if (s.usual !== undefined && (!Number.isInteger(s.usual) || (s.usual as number) < -1 || (s.usual as number) > shape.levels)) fail(`usual is not a level (−1…${shape.levels})`);
  const m = obj(s.median, 'median');
  arr(m, 'bins', shape.levels + 1, shape.levels + 1);
  for (const k of ['level', 'below', 'above', 'n']) num(m, k);
  if (!Number.isInteger(m.level) || (m.level as number) < 0 || (m.level as number) > shape.levels) fail('median level is out of range');
  const v = obj(s.vigilance, 'vigilance');
  for (const k of ['lastAnomaly', 'lastAnomalyMatch', 'lastUpdate', 'sinceMismatch', 'anomalySum', 'anomalyCount', 'anomalyLast', 'matchSum', 'matchCount']) num(v, k);
  if (typeof v.masking !== 'boolean') fail('masking is not a boolean');
  arr(v, 'recent', Math.floor(shape.learn / 2) + 1, Math.floor(shape.learn / 2) + 1);
  arr(v, 'shortfalls', shape.learn + 1, shape.learn + 1);
  const a = obj(v.art, 'art');
  for (const k of ['count', 'clock', 'rhoLow', 'rhoHigh']) num(a, k);
  const count = a.count as number;
  if (!Number.isInteger(count) || count < 0 || count > shape.categories) fail(`art count is not 0–${shape.categories}`);
  arr(a, 'weights', count * 4 * shape.window, count * 4 * shape.window);
  arr(a, 'used', count, count);
  return s as unknown as ResonanceState;
}
