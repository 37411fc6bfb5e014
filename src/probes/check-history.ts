import type { ResultBucket } from '../store/probe-repository.js';

/** The spans a check page looks back over. */
export const HISTORY_WINDOWS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 } as const;
export type HistoryWindow = keyof typeof HISTORY_WINDOWS;

/** Bucket widths a chart may use: round numbers on a time axis. */
const WIDTHS = [1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600].map((s) => s * 1000);
/** Enough points for a chart a screen wide, few enough for a phone. */
const TARGET_BUCKETS = 180;

/**
 * The bucket width for results spanning `spanMs`: about 180 buckets, never narrower than two
 * of the check's intervals (runs drift by their jitter, so a bucket one interval wide is empty
 * now and then, which would break the line).
 */
export function bucketWidth(spanMs: number, intervalMs: number): number {
  const want = Math.max(spanMs / TARGET_BUCKETS, 2 * intervalMs);
  return WIDTHS.find((w) => w >= want) ?? WIDTHS[WIDTHS.length - 1];
}

export interface Uptime {
  /** Share of runs that succeeded, in percent, rounded down to 2 decimals (one failure never shows as 100); null without runs. */
  percent: number | null;
  runs: number;
  failures: number;
}

export interface LocationHistory {
  location: string;
  uptime: Uptime;
  buckets: Omit<ResultBucket, 'location'>[];
}

export function uptimeOf(runs: number, failures: number): Uptime {
  return { percent: runs > 0 ? Math.floor(((runs - failures) / runs) * 10_000) / 100 : null, runs, failures };
}

/** Buckets grouped by location, each with its uptime, and the uptime of all runs together. Pure. */
export function summariseBuckets(buckets: readonly ResultBucket[]): { overall: Uptime; locations: LocationHistory[] } {
  const byLocation = new Map<string, Omit<ResultBucket, 'location'>[]>();
  for (const { location, ...b } of buckets) {
    const list = byLocation.get(location);
    if (list) list.push(b);
    else byLocation.set(location, [b]);
  }
  let runs = 0;
  let failures = 0;
  const locations = [...byLocation.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([location, list]): LocationHistory => {
      const r = list.reduce((n, b) => n + b.runs, 0);
      const f = list.reduce((n, b) => n + b.failures, 0);
      runs += r;
      failures += f;
      return { location, uptime: uptimeOf(r, f), buckets: [...list].sort((a, b) => a.start - b.start) };
    });
  return { overall: uptimeOf(runs, failures), locations };
}
