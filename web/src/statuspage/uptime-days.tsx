import type { StatusPageData } from '../api/client.js';

/**
 * Ninety thin bars, one per day, from the server's count (src/statuspage/uptime.ts): days
 * before the service existed have no data; a day with an incident is hatched and shorter by
 * how much of it was down, so an outage still open lowers today's bar.
 */
export function UptimeDays({ uptime }: { uptime: StatusPageData['uptime'] }) {
  return (
    <section class="card" aria-labelledby="uptime-title">
      <div class="card-head">
        <h2 id="uptime-title">Uptime, last 90 days</h2>
        <strong data-testid="uptime-percent">{uptime.percent === undefined ? uptime.text : `${uptime.text} uptime`}</strong>
      </div>
      <div class="uptime" role="list" aria-label="Daily uptime">
        {uptime.days.map((d) => {
          const kind = !d.counted ? 'none' : d.worst === undefined ? 'ok' : d.worst === 'major_outage' || d.worst === 'partial_outage' ? 'major' : 'minor';
          const up = !d.counted || d.countedMinutes === 0 ? 1 : Math.max(0, 1 - d.downMinutes / d.countedMinutes);
          const label = `${d.day}: ${!d.counted ? 'no data' : d.worst === undefined ? 'no incidents' : `${d.downMinutes} min with ${kind === 'major' ? 'an outage' : 'degraded service'}`}`;
          // At least a third of the bar stays, so a bad day is still a visible bar.
          const height = `${Math.round(100 * (0.34 + 0.66 * up))}%`;
          return <span key={d.day} role="listitem" class={`uptime-day ${kind}`} style={{ height }} title={label} aria-label={label} data-day={d.day} data-worst={d.worst} />;
        })}
      </div>
      <div class="uptime-axis muted small" aria-hidden="true">
        <span>90 days ago</span>
        <span>today</span>
      </div>
    </section>
  );
}
