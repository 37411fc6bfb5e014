import { STATUS_RANK, type ComponentStatus } from './model.js';

const DAY = 86_400_000;

/** A stretch of time with a status other than operational (an incident, while it lasted). */
export interface StatusPeriod {
  start: number;
  /** Absent while it lasts. */
  end?: number;
  status: ComponentStatus;
}

export interface DayUptime {
  /** Start of the UTC day, ms since the epoch. */
  day: number;
  /** Time of the day that counts: after counting began (the service's creation), before now. */
  countedMs: number;
  /** Time in the day with any non-operational status (overlaps counted once). */
  downMs: number;
  /** The worst status seen that day; absent for a clean day. */
  worst?: ComponentStatus;
}

/**
 * One entry per UTC day for the `days` days ending with the one holding `now`, and the share
 * of that time without trouble. Only time from `countFrom` on counts (a service created last
 * week has no 90 days of uptime), so an outage still open lowers today and the percentage.
 * Maintenance is not downtime. Pure.
 */
export function dailyUptime(periods: readonly StatusPeriod[], now: number, days = 90, countFrom = Number.NEGATIVE_INFINITY): { days: DayUptime[]; percent?: number } {
  const lastDay = Math.floor(now / DAY) * DAY;
  const out: DayUptime[] = [];
  let total = 0;
  let down = 0;
  for (let i = days - 1; i >= 0; i--) {
    const day = lastDay - i * DAY;
    const dayStart = Math.max(day, countFrom);
    const dayEnd = Math.min(day + DAY, now);
    const spans: [number, number][] = [];
    let worst: ComponentStatus | undefined;
    for (const p of periods) {
      if (STATUS_RANK[p.status] === 0) continue;
      const s = Math.max(dayStart, p.start);
      const e = Math.min(dayEnd, p.end ?? now);
      if (e <= s) continue;
      spans.push([s, e]);
      if (worst === undefined || STATUS_RANK[p.status] > STATUS_RANK[worst]) worst = p.status;
    }
    const downMs = unionLength(spans);
    const countedMs = Math.max(0, dayEnd - dayStart);
    total += countedMs;
    down += downMs;
    out.push(worst ? { day, countedMs, downMs, worst } : { day, countedMs, downMs: 0 });
  }
  // Before anything counts there is no percentage to give.
  return total > 0 ? { days: out, percent: Math.round(((total - down) / total) * 1e6) / 1e4 } : { days: out };
}

function unionLength(spans: [number, number][]): number {
  spans.sort((a, b) => a[0] - b[0]);
  let sum = 0;
  let curS = -Infinity;
  let curE = -Infinity;
  for (const [s, e] of spans) {
    if (s > curE) {
      if (curE > curS) sum += curE - curS;
      curS = s;
      curE = e;
    } else if (e > curE) {
      curE = e;
    }
  }
  if (curE > curS) sum += curE - curS;
  return sum;
}
