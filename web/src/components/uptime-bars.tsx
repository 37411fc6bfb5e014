import type { Incident } from '../api/types.js';
import { dailyDowntime } from '../model/uptime.js';

const DAY = 86_400_000;

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
          const kind = d.worst === undefined ? 'ok' : d.worst === 'major_outage' ? 'major' : 'minor';
          const label = `${new Date(d.day).toISOString().slice(0, 10)}: ${d.downMs === 0 ? 'no incidents' : `${Math.round(d.downMs / 60_000)} min with ${d.worst === 'major_outage' ? 'a major outage' : 'degraded service'}`}`;
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
