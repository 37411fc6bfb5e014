import { fetchStatusPage, type Maintenance } from '../api/client.js';
import { formatTime } from '../format.js';
import { useLive } from '../live/events.js';
import { IncidentList } from '../statuspage/incident-list.js';
import { StatusBanner } from '../statuspage/page-status.js';
import { StatusBadge } from '../components/status-badge.js';
import { StatusReasonLine, StatusReasons } from '../components/status-reasons.js';
import { SubscribeBox } from '../statuspage/subscribe-form.js';
import { UptimeDays } from '../statuspage/uptime-days.js';
import { useAsync } from '../use-async.js';
import { useTitle } from '../use-title.js';

/**
 * The public page a company links to: current status, maintenance, 90 days of uptime,
 * incidents with the operators' updates, and a way to subscribe. The slug names a service,
 * or a category to cover all its services as one group. One request (the server composes the
 * page), refreshed live when anything of its services changes.
 */
export function StatusPage({ slug }: { slug: string }) {
  const page = useAsync(() => fetchStatusPage(slug), [slug]);
  const services = page.data?.services.map((s) => s.slug) ?? [];
  // A service page hears its own service; a category page hears every change (they are rare).
  useLive((topic) => topic !== 'reports.committed' && page.reload(), page.data?.kind === 'service' ? slug : undefined);
  useTitle(`${page.data?.name ?? slug} status`);
  if (page.error && !page.data) return <main id="main"><h1>Status page not found</h1><p class="notice err">{page.error}</p></main>;
  const p = page.data;
  if (!p) return <main id="main" class="status-page"><p class="muted">Loading status…</p></main>;
  const names = new Map(p.services.map((s) => [s.slug, s.name]));
  return (
    <main id="main" class="status-page" data-services={services.join(' ')}>
      <div class="status-title">
        {p.logo && <img class="service-logo" src={p.logo} alt="" width={40} height={40} referrerpolicy="no-referrer" />}
        <h1>{p.name} status</h1>
      </div>
      <StatusBanner status={p.status} />
      {p.kind === 'service' && p.services[0] && <StatusReasons reasons={p.services[0].reasons} />}
      {p.maintenances.active.map((m) => (
        <MaintenanceNotice key={m.id} m={m} active />
      ))}
      {p.kind === 'category' && (
        <section class="card" aria-labelledby="components-title">
          <h2 id="components-title">Services</h2>
          <ul class="components" data-testid="components">
            {p.services.map((s) => (
              <li key={s.slug}>
                <a href={`/status/${encodeURIComponent(s.slug)}`}>{s.name}</a> <StatusBadge status={s.status} />
                <StatusReasonLine reasons={s.reasons} />
              </li>
            ))}
          </ul>
        </section>
      )}
      <UptimeDays uptime={p.uptime} />
      <section class="card" aria-labelledby="open-title">
        <h2 id="open-title">Open incidents</h2>
        <IncidentList incidents={p.incidents.open} names={names} empty="No open incidents." />
      </section>
      {p.maintenances.upcoming.length > 0 && (
        <section class="card" aria-labelledby="upcoming-title">
          <h2 id="upcoming-title">Scheduled maintenance</h2>
          {p.maintenances.upcoming.map((m) => (
            <MaintenanceNotice key={m.id} m={m} active={false} />
          ))}
        </section>
      )}
      <section class="card" aria-labelledby="past-title">
        <h2 id="past-title">Past incidents (90 days)</h2>
        <IncidentList incidents={p.incidents.past} names={names} empty="No incidents in the last 90 days." />
      </section>
      <SubscribeBox scope={p.slug} email={p.subscribe.email} feeds={p.feeds} name={p.name} />
      {p.kind === 'service' && (
        <p class="muted small">
          <a href={`/services/${encodeURIComponent(slug)}`}>Live reports for {p.name}</a>
        </p>
      )}
    </main>
  );
}

function MaintenanceNotice({ m, active }: { m: Maintenance; active: boolean }) {
  return (
    <div class={`maintenance ${active ? 'maintenance-active notice' : ''}`} data-testid={active ? 'maintenance-active' : 'maintenance-upcoming'}>
      <strong>
        <a href={`/maintenance/${encodeURIComponent(m.id)}`}>{m.title}</a>
      </strong>{' '}
      <span class="small">
        {active ? 'in progress, until' : `${formatTime(m.startsAt)} –`} {formatTime(m.endsAt)}
      </span>
      {m.html && <div class="markdown small" dangerouslySetInnerHTML={{ __html: m.html }} />}
    </div>
  );
}
