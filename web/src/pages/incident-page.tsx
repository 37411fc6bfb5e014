import { useMemo } from 'preact/hooks';
import { fetchBaseline, fetchIncident, fetchSeries, fetchService } from '../api/client.js';
import { Breakdown } from '../components/breakdown.js';
import { RegionMap } from '../components/region-map.js';
import { ReportChart } from '../components/report-chart.js';
import { formatDuration, formatTime } from '../format.js';
import { useLive } from '../live/events.js';
import { serverNow } from '../server-clock.js';
import { useAsync } from '../use-async.js';
import { useTitle } from '../use-title.js';
import { incidentTitle } from '../model/labels.js';
import { phaseSpans } from '../model/window.js';

const HOUR = 3_600_000;

/** One incident: its phases on a chart of the surrounding hours, peak, breakdown, regions. */
export function IncidentPage({ id }: { id: string }) {
  const incident = useAsync(() => fetchIncident(id), [id]);
  useLive((topic) => (topic === 'incident.changed' || topic === 'resync') && incident.reload());
  const inc = incident.data;
  const service = useAsync(async () => (inc ? fetchService(inc.service).catch(() => undefined) : undefined), [inc?.service]);
  const name = service.data?.name;
  const title = inc ? incidentTitle(inc, name) : 'Incident';
  useTitle(title);
  const w = useMemo(() => {
    if (!inc) return undefined;
    const end = inc.closedAt ?? serverNow();
    return { from: Math.floor((inc.openedAt - 2 * HOUR) / (15 * 60_000)) * 15 * 60_000, to: Math.ceil((end + 2 * HOUR) / (15 * 60_000)) * 15 * 60_000, step: '15m' as const };
  }, [inc?.openedAt, inc?.closedAt]);
  const series = useAsync(async () => (inc && w ? Promise.all([fetchSeries(inc.service, w.from, w.to, w.step), fetchBaseline(inc.service, w.from, w.to, w.step)]) : undefined), [inc?.service, w]);
  const spans = useMemo(() => (inc && w ? phaseSpans([inc], w) : []), [inc, w]);
  if (incident.error && !inc) return <main id="main"><h1>Incident not found</h1><p class="notice err">{incident.error}</p></main>;
  if (!inc) return <main id="main"><p class="muted">Loading incident…</p></main>;
  return (
    <main id="main">
      <p class="muted small">
        <a href="/incidents">All incidents</a> · <a href={`/services/${encodeURIComponent(inc.service)}?at=${new Date(inc.closedAt ?? serverNow()).toISOString()}`}>{name ?? inc.service} service page</a>
      </p>
      <h1>{title}</h1>
      <p>
        <span class={`pill pill-${inc.status}`}>{inc.status === 'open' ? '● Ongoing' : '✔ Resolved'}</span> {formatTime(inc.openedAt)} —{' '}
        {inc.closedAt ? `${formatTime(inc.closedAt)} (${formatDuration(inc.closedAt - inc.openedAt)})` : 'ongoing'}
        {inc.peak !== undefined && (
          <>
            {' '}
            · peak <strong>{inc.peak.toLocaleString()}</strong> reports/min
          </>
        )}
      </p>
      {inc.dismissedAt !== undefined && (
        <p class="notice warn" data-testid="dismissed">
          Dismissed as a false alarm {formatTime(inc.dismissedAt)}
          {inc.dismissReason ? `: ${inc.dismissReason}` : ''}. It does not count in the uptime.
        </p>
      )}
      {inc.updates && inc.updates.length > 0 && (
        <section class="card" aria-labelledby="updates-title">
          <h2 id="updates-title">Updates</h2>
          <ol class="timeline" data-testid="incident-updates">
            {inc.updates.map((u) => (
              <li key={u.id} class="timeline-item">
                <strong>{u.status}</strong> <span class="muted small">{formatTime(u.createdAt)}{u.source === 'automatic' ? ' · from the reports' : ''}</span>
                {/* Rendered and sanitised by the server (src/text/markdown.ts). */}
                <div class="markdown" dangerouslySetInnerHTML={{ __html: u.html }} />
              </li>
            ))}
          </ol>
        </section>
      )}
      {inc.postmortemHtml && (
        <section class="card" aria-labelledby="postmortem-title">
          <h2 id="postmortem-title">Postmortem</h2>
          <div class="markdown" dangerouslySetInnerHTML={{ __html: inc.postmortemHtml }} />
        </section>
      )}
      {inc.correlation && (
        <p class="notice" data-testid="correlation">
          <strong>Probes: {inc.correlation.confidence}</strong> — {inc.correlation.cause}
        </p>
      )}
      {inc.source !== 'operator' && <section class="card">
        <h2>Phases</h2>
        <table class="phase-table">
          <thead>
            <tr><th scope="col">Phase</th><th scope="col">Start</th><th scope="col">End</th><th scope="col">Peak/min</th></tr>
          </thead>
          <tbody>
            {inc.phases.map((p, i) => (
              <tr key={p.start}>
                <td>{i + 1}</td>
                <td>{formatTime(p.start)}</td>
                <td>{p.end ? formatTime(p.end) : 'ongoing'}</td>
                <td>{p.peak?.toLocaleString() ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>}
      {inc.source !== 'operator' && series.data && <section class="card"><h2>Reports around the incident</h2><ReportChart points={series.data[0].points} baseline={series.data[1]} phases={spans} stepLabel="15 min" stepMs={15 * 60_000} now={serverNow()} /></section>}
      {inc.source !== 'operator' && <Breakdown shares={inc.breakdown} title="Problem breakdown" />}
      {inc.source !== 'operator' && <RegionMap regions={inc.regions} />}
    </main>
  );
}
