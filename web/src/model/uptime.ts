import type { Incident } from '../api/types.js';

const DAY = 86_400_000;

export interface DayUptime {
  day: number;
  downMs: number;
}

/** Minutes under an incident per UTC day, for the `days` days ending with the one holding `now`. */
export function dailyDowntime(incidents: readonly Incident[], now: number, days = 90): DayUptime[] {
  const lastDay = Math.floor(now / DAY) * DAY;
  const out: DayUptime[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const day = lastDay - i * DAY;
    let downMs = 0;
    for (const inc of incidents) {
      const s = Math.max(day, inc.openedAt);
      const e = Math.min(day + DAY, inc.closedAt ?? now, now);
      if (e > s) downMs += e - s;
    }
    out.push({ day, downMs: Math.min(DAY, downMs) });
  }
  return out;
}
