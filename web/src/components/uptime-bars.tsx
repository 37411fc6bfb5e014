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

/** Ninety thin bars, one per day; a day with an incident is taller-notched and hatched, not just red. */
export function UptimeBars({ incidents, now }: { incidents: readonly Incident[]; now: number }) {
  const days = dailyDowntime(incidents, now);
  const total = days.length * DAY;
  const down = days.reduce((a, d) => a + d.downMs, 0);
  const pct = ((100 * (total - down)) / total).toFixed(2);
  return (
    <section class="card" aria-labelledby="uptime-title">
      <div class="card-head">
        <h2 id="uptime-title">Uptime, last 90 days</h2>
        <strong data-testid="uptime-percent">{pct}% uptime</strong>
      </div>
      <div class="uptime" role="list" aria-label="Daily uptime">
        {days.map((d) => {
          const kind = d.downMs === 0 ? 'ok' : d.downMs >= 3_600_000 ? 'major' : 'minor';
          const label = `${new Date(d.day).toISOString().slice(0, 10)}: ${d.downMs === 0 ? 'no incidents' : `${Math.round(d.downMs / 60_000)} min with an incident`}`;
          return <span key={d.day} role="listitem" class={`uptime-day ${kind}`} title={label} aria-label={label} />;
        })}
      </div>
      <div class="uptime-axis muted small" aria-hidden="true">
        <span>90 days ago</span>
        <span>today</span>
      </div>
    </section>
  );
}
