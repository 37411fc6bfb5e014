import type { HistoryBucket } from '../api/checks.js';

export interface LatencyGrid {
  /** Bucket starts in seconds (uPlot's time unit), one per bucket of the span. */
  xs: number[];
  /** Mean and slowest successful run per bucket; null where none succeeded (a gap, not a zero). */
  mean: (number | null)[];
  max: (number | null)[];
  /** Buckets with failed runs and the share of their runs that failed. */
  failed: { start: number; share: number }[];
}

/** Every bucket of [from, to), filled from the answer's buckets. Pure. */
export function latencyGrid(buckets: readonly HistoryBucket[], bucketMs: number, from: number, to: number): LatencyGrid {
  const byStart = new Map(buckets.map((b) => [b.start, b]));
  const out: LatencyGrid = { xs: [], mean: [], max: [], failed: [] };
  if (!(bucketMs > 0)) return out;
  for (let t = Math.floor(from / bucketMs) * bucketMs; t < to; t += bucketMs) {
    const b = byStart.get(t);
    out.xs.push(t / 1000);
    out.mean.push(b?.avgMs ?? null);
    out.max.push(b?.maxMs ?? null);
    if (b && b.failures > 0) out.failed.push({ start: t, share: b.failures / b.runs });
  }
  return out;
}

/** Where a check's charts start: the window, or its first result when it is younger. */
export function chartStart(window: { from: number; dataFrom?: number; bucketMs: number }): number {
  if (window.dataFrom === undefined) return window.from;
  return Math.max(window.from, Math.floor(window.dataFrom / window.bucketMs) * window.bucketMs);
}

/** Axis labels ("09:04") with seconds ("09:04:30") when the ticks fall between whole minutes (a check younger than a few minutes). */
export function withSeconds(labels: readonly string[], ticksMs: readonly number[]): string[] {
  if (ticksMs.every((t) => t % 60_000 === 0)) return [...labels];
  return labels.map((l, i) => l.replace(/^(\d\d:\d\d)/, (hm) => `${hm}:${String(new Date(ticksMs[i]).getUTCSeconds()).padStart(2, '0')}`));
}
