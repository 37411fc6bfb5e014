import { useEffect, useState } from 'preact/hooks';
import { fetchIncidents, fetchSeries, fetchServices } from '../api/client.js';
import type { Incident, SeriesPoint } from '../api/types.js';
import { Sparkline } from '../components/sparkline.js';
import { StatusBadge } from '../components/status-badge.js';
import { StatusReasonLine } from '../components/status-reasons.js';
import { useLive } from '../live/events.js';
import { serverNow } from '../server-clock.js';
import { formatAgo, serviceRows, type ServiceRow } from '../model/service-rows.js';
import { useAsync } from '../use-async.js';
import { useTitle } from '../use-title.js';

async function loadRows(): Promise<ServiceRow[]> {
  const [services, incidents] = await Promise.all([fetchServices(), fetchIncidents().catch((): Incident[] => [])]);
  return serviceRows(services, incidents, serverNow());
}

/** Last 24 h per hour for each service; fetched after the list is on screen. */
async function loadSparks(slugs: readonly string[]): Promise<Map<string, SeriesPoint[]>> {
  const to = Math.ceil(serverNow() / 3_600_000) * 3_600_000;
  const from = to - 24 * 3_600_000;
  const series = await Promise.all(slugs.map((slug) => fetchSeries(slug, from, to, '1h').then((r) => r.points).catch((): SeriesPoint[] => [])));
  return new Map(slugs.map((slug, i) => [slug, series[i]]));
}

/** Every service, trouble first, with a 24 h sparkline and a search box. */
export function HomePage() {
  const [query, setQuery] = useState('');
  const rows = useAsync(loadRows, []);
  const slugs = (rows.data ?? []).map((r) => r.service.slug).join(',');
  const sparks = useAsync(() => loadSparks(slugs ? slugs.split(',') : []), [slugs]);
  useTitle('Is it down?');
  useLive((topic) => {
    if (topic !== 'reports.committed') rows.reload();
    if (topic === 'reports.committed' || topic === 'resync') sparks.reload();
  });
  useEffect(() => {
    // For bench:web: when the first real content (the service list) is on screen.
    if (rows.data && performance.getEntriesByName('home-rendered').length === 0) performance.mark('home-rendered');
  }, [rows.data]);
  const q = query.trim().toLowerCase();
  const shown = (rows.data ?? []).filter((r) => q === '' || r.service.name.toLowerCase().includes(q) || r.service.slug.includes(q));
  return (
    <main id="main">
      <h1>Is it down right now?</h1>
      <p class="lead">Live problem reports from people using each service, and outages detected from them.</p>
      <label class="search">
        <span class="visually-hidden">Search services</span>
        <input type="search" placeholder="Search services…" value={query} onInput={(e) => setQuery((e.target as HTMLInputElement).value)} data-testid="search" />
      </label>
      {rows.error && <p class="notice err">Could not load services: {rows.error}</p>}
      {rows.data && shown.length === 0 && <p class="muted">{q ? `No service matches “${query}”.` : 'No services yet. Add one with the API or the config file.'}</p>}
      <ul class="service-list" data-testid="service-list">
        {shown.map((r) => (
          <li key={r.service.slug} class="service-row" data-slug={r.service.slug} data-status={r.service.status}>
            <div>
              <a href={`/services/${encodeURIComponent(r.service.slug)}`} class="service-link">
                <span class="service-name">{r.service.name}</span>
                {r.openIncident && <span class="pill pill-open">● Incident ongoing</span>}
                {!r.openIncident && r.recentlyClosedAt !== undefined && (
                  <span class="pill pill-closed" data-testid="recent-incident">
                    ✔ Incident resolved {formatAgo(r.recentlyClosedAt, serverNow())}
                  </span>
                )}
              </a>
              <StatusReasonLine reasons={r.service.reasons} />
            </div>
            <StatusBadge status={r.service.status} />
            <Sparkline points={sparks.data?.get(r.service.slug) ?? []} label={`${r.service.name} reports`} />
          </li>
        ))}
      </ul>
    </main>
  );
}
