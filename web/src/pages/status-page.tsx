import { fetchService, fetchServiceIncidents } from '../api/client.js';
import { IncidentTimeline } from '../components/incident-timeline.js';
import { StatusBadge } from '../components/status-badge.js';
import { UptimeBars } from '../components/uptime-bars.js';
import { useLive } from '../live/events.js';
import { serverNow } from '../server-clock.js';
import { useAsync } from '../use-async.js';
import { useTitle } from '../use-title.js';

/** The public page a company links to: current status, 90 days of uptime, incidents. */
export function StatusPage({ slug }: { slug: string }) {
  const service = useAsync(() => fetchService(slug), [slug]);
  const incidents = useAsync(() => fetchServiceIncidents(slug), [slug]);
  useLive(() => {
    service.reload();
    incidents.reload();
  }, slug);
  useTitle(`${service.data?.name ?? slug} status`);
  if (service.error && !service.data) return <main id="main"><h1>Status page not found</h1><p class="notice err">{service.error}</p></main>;
  const svc = service.data;
  const all = incidents.data ?? [];
  const open = all.filter((i) => i.status === 'open');
  const past = all.filter((i) => i.status === 'closed');
  return (
    <main id="main" class="status-page">
      <h1>{svc?.name ?? slug} status</h1>
      {svc && (
        <div class={`status-banner banner-${svc.status}`} data-testid="status-banner" data-status={svc.status}>
          <StatusBadge status={svc.status} large />
          <span>{svc.status === 'operational' ? 'All systems operational' : svc.status === 'degraded' ? 'Some people are having problems' : 'Many people are reporting problems right now'}</span>
        </div>
      )}
      <UptimeBars incidents={all} now={serverNow()} />
      <section class="card" aria-labelledby="open-title">
        <h2 id="open-title">Open incidents</h2>
        {open.length === 0 ? <p class="muted">No open incidents.</p> : <IncidentTimeline incidents={open} />}
      </section>
      <section class="card" aria-labelledby="past-title">
        <h2 id="past-title">Past incidents</h2>
        {past.length === 0 ? <p class="muted">No past incidents.</p> : <IncidentTimeline incidents={past} />}
      </section>
      <p class="muted small">
        <a href={`/services/${encodeURIComponent(slug)}`}>Live reports for {svc?.name ?? slug}</a>
      </p>
    </main>
  );
}
