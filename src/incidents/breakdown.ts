import type { ProblemShare, RegionCount } from './incident.js';

/** Problem shares in percent (one decimal), largest first; ties by name for stable output. */
export function problemShares(counts: Readonly<Record<string, number>>): ProblemShare[] {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([problem, count]) => ({ problem, count, percent: total > 0 ? Math.round((count / total) * 1000) / 10 : 0 }))
    .sort((a, b) => b.count - a.count || a.problem.localeCompare(b.problem));
}

/** The `limit` regions with most reports, largest first. */
export function topRegions(counts: Readonly<Record<string, number>>, limit = 10): RegionCount[] {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([region, count]) => ({ region, count }))
    .sort((a, b) => b.count - a.count || a.region.localeCompare(b.region))
    .slice(0, limit);
}

/** Adds `add` into `into` (mutating it): counts accumulate minute by minute. */
export function addCounts(into: Record<string, number>, add: Readonly<Record<string, number>>): void {
  for (const [k, n] of Object.entries(add)) into[k] = (into[k] ?? 0) + n;
}
