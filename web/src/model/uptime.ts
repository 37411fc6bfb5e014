import type { Incident } from '../api/types.js';

const DAY = 86_400_000;

export interface DayUptime {
  day: number;
  downMs: number;
  /** Worst incident that touched the day. */
  worst?: 'degraded' | 'major_outage';
}

/** Minutes under an incident per UTC day, for the `days` days ending with the one holding `now`. */
export function dailyDowntime(incidents: readonly Incident[], now: number, days = 90): DayUptime[] {
  const lastDay = Math.floor(now / DAY) * DAY;
  const out: DayUptime[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const day = lastDay - i * DAY;
    let downMs = 0;
    let worst: DayUptime['worst'];
    for (const inc of incidents) {
      const s = Math.max(day, inc.openedAt);
      const e = Math.min(day + DAY, inc.closedAt ?? now, now);
      if (e <= s) continue;
      downMs += e - s;
      // Without a severity from the server, an hour or more counts as major.
      const sev = inc.severity ?? (e - s >= 3_600_000 ? 'major_outage' : 'degraded');
      if (worst !== 'major_outage') worst = sev;
    }
    out.push(worst ? { day, downMs: Math.min(DAY, downMs), worst } : { day, downMs: 0 });
  }
  return out;
}
