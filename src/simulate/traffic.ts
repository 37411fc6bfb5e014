import { multinomial, poisson, type Rng } from './random.js';
import { DAY_MS, type ReportCell } from './scenario.js';

/** Weighted categories (problems or regions). */
export type Mix = readonly (readonly [name: string, weight: number])[];

/**
 * Normal crowd-report traffic: few reports at night, more by day. `utcOffsetHours` places
 * the day of the service's main audience (US Eastern is -4 or -5).
 */
export interface DailyCycle {
  dayPerMinute: number;
  nightPerMinute: number;
  utcOffsetHours: number;
}

/** Expected reports per minute at `t`: a smooth cycle, lowest around 04:00 local, highest around 16:00. */
export function cycleRate(c: DailyCycle, t: number): number {
  const local = (((t + c.utcOffsetHours * 3_600_000) % DAY_MS) + DAY_MS) % DAY_MS;
  const phase = (local / DAY_MS) * 2 * Math.PI;
  const x = (1 - Math.cos(phase - (4 / 24) * 2 * Math.PI)) / 2; // 0 at 04:00, 1 at 16:00
  return c.nightPerMinute + (c.dayPerMinute - c.nightPerMinute) * x;
}

/** Draws `total` reports over problems × regions and appends the non-empty cells. */
export function spread(rng: Rng, minute: number, total: number, problems: Mix, regions: Mix, out: ReportCell[], reporter?: string): void {
  if (total <= 0) return;
  const byProblem = multinomial(rng, total, problems.map(([, w]) => w));
  byProblem.forEach((n, i) => {
    if (n === 0) return;
    const byRegion = multinomial(rng, n, regions.map(([, w]) => w));
    byRegion.forEach((k, j) => {
      if (k > 0) out.push({ minute, problem: problems[i][0], region: regions[j][0], count: k, ...(reporter ? { reporter } : {}) });
    });
  });
}

/** One minute of background traffic. */
export function backgroundMinute(rng: Rng, c: DailyCycle, scale: number, minute: number, problems: Mix, regions: Mix): ReportCell[] {
  const out: ReportCell[] = [];
  spread(rng, minute, poisson(rng, cycleRate(c, minute) * scale), problems, regions, out);
  return out;
}

export const NORMAL_PROBLEMS: Mix = [
  ['app', 40], ['website', 25], ['login', 15], ['feed', 10], ['notifications', 5], ['other', 5],
];

/** Everyday reports come from everywhere the service is used, the US a bit ahead. */
export const WORLD_REGIONS: Mix = [
  ['US-CA', 6], ['US-NY', 5], ['US-TX', 5], ['US-FL', 4], ['US-IL', 3], ['US-WA', 2], ['US-MA', 2],
  ['US-NJ', 2], ['US-PA', 2], ['US-GA', 2], ['US-OH', 2], ['GB', 9], ['IN', 9], ['JP', 8], ['BR', 7],
  ['DE', 5], ['FR', 5], ['CA', 4], ['MX', 4], ['ES', 3], ['AU', 3], ['ID', 3], ['TR', 2], ['NG', 3],
];
