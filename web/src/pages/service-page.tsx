import { useMemo } from 'preact/hooks';
import { fetchBaseline, fetchBreakdown, fetchRegions, fetchSeries, fetchService, fetchServiceIncidents, STEP_MS } from '../api/client.js';
import { Breakdown } from '../components/breakdown.js';
import { IncidentTimeline } from '../components/incident-timeline.js';
import { RegionMap } from '../components/region-map.js';
import { ReportButton } from '../components/report-button.js';
import { ReportChart } from '../components/report-chart.js';
import { StatusBadge } from '../components/status-badge.js';
import { ServiceSignals } from '../components/service-signals.js';
import { useLive } from '../live/events.js';
import { serverNow } from '../server-clock.js';
import { phaseSpans, STEP_LABEL, windowFrom } from '../model/window.js';
import { useAsync } from '../use-async.js';
import { useTitle } from '../use-title.js';

/** One service: chart, breakdown, map, incidents and the "I have a problem" control, all live. */
export function ServicePage({ slug, search }: { slug: string; search: URLSearchParams }) {
  const w = useMemo(() => windowFrom(search, serverNow()), [search, slug]);
  const service = useAsync(() => fetchService(slug), [slug]);
  const incidents = useAsync(() => fetchServiceIncidents(slug), [slug]);
  const series = useAsync(() => Promise.all([fetchSeries(slug, w.from, w.to, w.step), fetchBaseline(slug, w.from, w.to, w.step)]), [slug, w]);
  const shares = useAsync(() => fetchBreakdown(slug, w.from, w.to), [slug, w]);
  const regions = useAsync(() => fetchRegions(slug, w.from, w.to), [slug, w]);
  const live = w.to >= serverNow() - STEP_MS[w.step];
  const refreshReports = (): void => {
    series.reload();
    shares.reload();
    regions.reload();
  };
  useLive((topic) => {
    if ((topic === 'reports.committed' && live) || topic === 'resync') refreshReports();
    if (topic === 'incident.changed' || topic === 'resync') {
      incidents.reload();
      service.reload();
    }
    if (topic === 'service.changed' || topic === 'status.changed') service.reload();
  }, slug);
  useTitle(`${service.data?.name ?? slug} problems and outage reports`);
  const spans = useMemo(() => phaseSpans(incidents.data ?? [], w), [incidents.data, w]);

  if (service.error && !service.data) return <main id="main"><h1>Service not found</h1><p class="notice err">{service.error}</p></main>;
  const svc = service.data;
  const q = (extra: Record<string, string>): string => `?${new URLSearchParams({ ...Object.fromEntries(search), ...extra }).toString()}`;
  return (
    <main id="main">
      <div class="service-head">
        <div>
          <h1>{svc?.name ?? slug}</h1>
          {svc && <StatusBadge status={svc.status} large />}
          {svc && <ServiceSignals service={svc} />}
          {svc?.url && (
            <p class="muted small">
              <a href={svc.url} rel="noopener noreferrer">{svc.url}</a> · <a href={`/status/${encodeURIComponent(slug)}`}>Public status page</a>
            </p>
          )}
        </div>
        <ReportButton slug={slug} name={svc?.name ?? slug} onReported={refreshReports} />
      </div>
      <section class="card" aria-labelledby="chart-title">
        <div class="card-head">
          <h2 id="chart-title">Reports, {w.range === '24h' ? 'last 24 hours' : 'last 7 days'}{live ? '' : ` to ${new Date(w.to).toISOString().slice(0, 16)}Z`}</h2>
          <nav class="seg" aria-label="Time range">
            <a href={q({ range: '24h', step: '15m' })} aria-current={w.range === '24h' ? 'true' : undefined}>24 h</a>
            <a href={q({ range: '7d', step: '1h' })} aria-current={w.range === '7d' ? 'true' : undefined}>7 days</a>
          </nav>
        </div>
        {series.data ? (
          <ReportChart points={series.data[0].points} baseline={series.data[1]} phases={spans} stepLabel={STEP_LABEL[w.step]} />
        ) : (
          <p class="muted chart-placeholder">{series.error ? `Could not load reports: ${series.error}` : 'Loading reports…'}</p>
        )}
      </section>
      <div class="two-col">
        <Breakdown shares={shares.data ?? []} />
        <section class="card" aria-labelledby="incidents-title">
          <h2 id="incidents-title">Incidents</h2>
          <IncidentTimeline incidents={incidents.data ?? []} />
        </section>
      </div>
      <RegionMap regions={regions.data ?? []} />
    </main>
  );
}
