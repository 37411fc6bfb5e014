import type { BucketCount } from '../store/reports-repo.js';
import { PROBLEMS, type Problem } from './vocabulary.js';

export interface SeriesPoint {
  t: string;
  total: number;
  problems: Record<Problem, number>;
}

const zeroProblems = (): Record<Problem, number> => Object.fromEntries(PROBLEMS.map((p) => [p, 0])) as Record<Problem, number>;

/** One point per bucket from `from` (inclusive) to `to` (exclusive), empty buckets as zero. */
export function zeroFilledSeries(rows: readonly BucketCount[], from: number, to: number, stepMs: number): SeriesPoint[] {
  const points: SeriesPoint[] = [];
  const index = new Map<number, SeriesPoint>();
  for (let t = from; t < to; t += stepMs) {
    const p: SeriesPoint = { t: new Date(t).toISOString(), total: 0, problems: zeroProblems() };
    points.push(p);
    index.set(t, p);
  }
  for (const r of rows) {
    const p = index.get(r.t);
    if (!p) continue;
    p.total += r.count;
    if (Object.hasOwn(p.problems, r.problem)) p.problems[r.problem as Problem] += r.count;
  }
  return points;
}

/** Counts with their share of the total in percent, rounded to 0.1. */
export function withPercentages<T extends { count: number }>(rows: readonly T[]): { total: number; rows: (T & { percent: number })[] } {
  const total = rows.reduce((a, r) => a + r.count, 0);
  return { total, rows: rows.map((r) => ({ ...r, percent: total > 0 ? Math.round((1000 * r.count) / total) / 10 : 0 })) };
}
