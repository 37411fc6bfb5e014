import { useEffect, useMemo } from 'preact/hooks';
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
import { endOfLocalDay, formatDateTime, localDateValue } from '../model/time-labels.js';
import { latestIncidentEnd, phaseSpans, STEP_LABEL, windowFrom } from '../model/window.js';
import { navigate, replaceLocation } from '../router.js';
import { useAsync } from '../use-async.js';
import { useTitle } from '../use-title.js';

/** One service: chart, breakdown, map, incidents and the "I have a problem" control, all live. */
export function ServicePage({ slug, search }: { slug: string; search: URLSearchParams }) {
  const w = useMemo(() => windowFrom(search, serverNow()), [search, slug]);
  const q = (extra: Record<string, string>): string => `?${new URLSearchParams({ ...Object.fromEntries(search), ...extra }).toString()}`;
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
  // Nothing in the last 24 hours (an old outage, or a replay at its original dates): open on the latest incident,
  // unless the viewer asked for the present (`live`, set by "Back to now" and by picking today).
  const emptyLive = !search.has('at') && !search.has('live') && series.data !== undefined && series.data[0].points.every((p) => p.total === 0);
  useEffect(() => {
    if (!emptyLive || !incidents.data) return;
    const end = latestIncidentEnd(incidents.data, w.from, serverNow());
    if (end !== undefined) replaceLocation(`${location.pathname}${q({ at: new Date(end).toISOString() })}`);
  }, [emptyLive, incidents.data]);

  if (service.error && !service.data) return <main id="main"><h1>Service not found</h1><p class="notice err">{service.error}</p></main>;
  const svc = service.data;
  const now = serverNow();
  const pickDay = (value: string): void => {
    const end = endOfLocalDay(value);
    if (end === undefined) return;
    const rest = Object.fromEntries([...search].filter(([k]) => k !== 'at' && k !== 'live'));
    // Today (or later) is the live view; an earlier day is that day's 24 hours, local time.
    navigate(`${location.pathname}?${new URLSearchParams(end > now ? { ...rest, range: '24h', step: '15m', live: '1' } : { ...rest, range: '24h', step: '15m', at: new Date(end - 1).toISOString() }).toString()}`);
  };
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
          <h2 id="chart-title">
            Reports, {live ? (w.range === '24h' ? 'last 24 hours' : 'last 7 days') : `${w.range === '24h' ? '24 hours' : '7 days'} to ${formatDateTime(w.to, now)}`}
          </h2>
          <div class="chart-controls">
            <label class="day-picker">
              <span>Day</span>
              <input type="date" data-testid="day-picker" value={localDateValue(Math.min(w.to, now) - 1)} max={localDateValue(now)} onChange={(e) => pickDay((e.target as HTMLInputElement).value)} />
            </label>
            <nav class="seg" aria-label="Time range">
              <a href={q({ range: '24h', step: '15m' })} aria-current={w.range === '24h' ? 'true' : undefined}>24 h</a>
              <a href={q({ range: '7d', step: '1h' })} aria-current={w.range === '7d' ? 'true' : undefined}>7 days</a>
            </nav>
          </div>
        </div>
        {!live && (
          <p class="muted small" data-testid="history-note">
            Looking back. <a href={`${location.pathname}?${new URLSearchParams({ ...Object.fromEntries([...search].filter(([k]) => k !== 'at')), live: '1' }).toString()}`}>Back to now</a>
          </p>
        )}
        {series.data ? (
          <ReportChart points={series.data[0].points} baseline={series.data[1]} phases={spans} stepLabel={STEP_LABEL[w.step]} stepMs={STEP_MS[w.step]} now={now} />
        ) : (
          <p class="muted chart-placeholder">{series.error ? `Could not load reports: ${series.error}` : 'Loading reports…'}</p>
        )}
      </section>
      <div class="two-col">
        <Breakdown shares={shares.data ?? []} />
        <section class="card" aria-labelledby="incidents-title">
          <h2 id="incidents-title">Incidents</h2>
          <IncidentTimeline incidents={incidents.data ?? []} names={svc ? { [svc.slug]: svc.name } : undefined} />
        </section>
      </div>
      <RegionMap regions={regions.data ?? []} />
    </main>
  );
}
