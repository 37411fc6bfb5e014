import type { ServiceStatus } from '../api/types.js';
import type { Uptime } from '../model/uptime.js';

const WORDS: Partial<Record<ServiceStatus, string>> = { degraded_performance: 'degraded performance', partial_outage: 'a partial outage', major_outage: 'a major outage' };

/** One thin bar per day; a day with trouble is hatched (and shorter for a major outage), not just red. */
export function UptimeBars({ uptime }: { uptime: Uptime | undefined }) {
  const days = uptime?.days ?? [];
  return (
    <section class="card" aria-labelledby="uptime-title">
      <div class="card-head">
        <h2 id="uptime-title">Uptime, last {days.length || 90} days</h2>
        <strong data-testid="uptime-percent">{uptime ? `${uptime.percent.toFixed(2)}% uptime` : '…'}</strong>
      </div>
      <div class="uptime" role="list" aria-label="Daily uptime">
        {days.map((d) => {
          const kind = d.worst === undefined ? 'ok' : d.worst === 'major_outage' ? 'major' : d.worst === 'partial_outage' ? 'partial' : 'minor';
          const label = `${new Date(d.day).toISOString().slice(0, 10)}: ${d.worst === undefined ? 'no trouble' : `${Math.round(d.downMs / 60_000)} min, worst ${WORDS[d.worst] ?? d.worst}`}`;
          return <span key={d.day} role="listitem" class={`uptime-day ${kind}`} data-worst={d.worst ?? 'operational'} title={label} aria-label={label} />;
        })}
      </div>
      <div class="uptime-axis muted small" aria-hidden="true">
        <span>{days.length || 90} days ago</span>
        <span>today</span>
      </div>
    </section>
  );
}
