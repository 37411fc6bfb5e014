import { fetchService, fetchServiceIncidents, fetchServices, fetchUptime, HttpError } from '../api/client.js';
import type { Incident, ServiceStatus } from '../api/types.js';
import { IncidentTimeline } from '../components/incident-timeline.js';
import { StatusBadge } from '../components/status-badge.js';
import { UptimeBars } from '../components/uptime-bars.js';
import { useLive } from '../live/events.js';
import { useAsync } from '../use-async.js';
import { useTitle } from '../use-title.js';
import { groupSubject, type StatusSubject } from '../model/status-subject.js';
import { mergeUptime, type Uptime } from '../model/uptime.js';
import { StatusReasonLine, StatusReasons } from '../components/status-reasons.js';

async function loadSubject(slug: string): Promise<StatusSubject> {
  try {
    const svc = await fetchService(slug);
    return { name: svc.name, group: false, services: [svc], status: svc.status };
  } catch (err) {
    if (!(err instanceof HttpError) || err.status !== 404) throw err;
    const group = groupSubject(slug, await fetchServices());
    if (!group) throw err;
    return group;
  }
}

async function loadUptime(subject: StatusSubject): Promise<Uptime> {
  return mergeUptime(await Promise.all(subject.services.map((s) => fetchUptime(s.slug))));
}

const BANNER: Record<ServiceStatus, string> = {
  operational: 'All systems operational',
  degraded_performance: 'Some people are having problems',
  partial_outage: 'Partial outage: it fails for some people or places',
  major_outage: 'Major outage: it is down for many people',
  under_maintenance: 'Under maintenance',
};

async function loadIncidents(subject: StatusSubject): Promise<Incident[]> {
  const lists = await Promise.all(subject.services.map((s) => fetchServiceIncidents(s.slug)));
  return lists.flat().sort((a, b) => b.openedAt - a.openedAt);
}

/**
 * The public page a company links to: current status, 90 days of uptime, incidents. The slug
 * names a service, or a category to cover all its services as one group.
 */
export function StatusPage({ slug }: { slug: string }) {
  const subject = useAsync(() => loadSubject(slug), [slug]);
  const incidents = useAsync(async () => (subject.data ? loadIncidents(subject.data) : []), [subject.data]);
  const uptime = useAsync(async () => (subject.data ? loadUptime(subject.data) : undefined), [subject.data]);
  useLive((topic) => {
    if (topic !== 'reports.committed') subject.reload();
  }, subject.data?.group ? undefined : slug);
  useTitle(`${subject.data?.name ?? slug} status`);
  if (subject.error && !subject.data) return <main id="main"><h1>Status page not found</h1><p class="notice err">{subject.error}</p></main>;
  const sub = subject.data;
  const all = incidents.data ?? [];
  const open = all.filter((i) => i.status === 'open');
  const past = all.filter((i) => i.status === 'closed');
  const names = Object.fromEntries((sub?.services ?? []).map((s) => [s.slug, s.name]));
  return (
    <main id="main" class="status-page">
      <h1>{sub?.name ?? slug} status</h1>
      {sub && (
        <div class={`status-banner banner-${sub.status}`} data-testid="status-banner" data-status={sub.status}>
          <StatusBadge status={sub.status} large />
          <span>{BANNER[sub.status]}</span>
        </div>
      )}
      {sub && !sub.group && <StatusReasons reasons={sub.services[0].reasons} />}
      {sub?.group && (
        <section class="card" aria-labelledby="components-title">
          <h2 id="components-title">Services</h2>
          <ul class="components" data-testid="components">
            {sub.services.map((s) => (
              <li key={s.slug}>
                <a href={`/status/${encodeURIComponent(s.slug)}`}>{s.name}</a> <StatusBadge status={s.status} />
                <StatusReasonLine reasons={s.reasons} />
              </li>
            ))}
          </ul>
        </section>
      )}
      <UptimeBars uptime={uptime.data} />
      <section class="card" aria-labelledby="open-title">
        <h2 id="open-title">Open incidents</h2>
        <IncidentTimeline incidents={open} showService={sub?.group ?? false} names={names} empty="No open incidents." />
      </section>
      <section class="card" aria-labelledby="past-title">
        <h2 id="past-title">Past incidents</h2>
        <IncidentTimeline incidents={past} showService={sub?.group ?? false} names={names} empty="No past incidents." />
      </section>
      {sub && !sub.group && (
        <p class="muted small">
          <a href={`/services/${encodeURIComponent(slug)}`}>Live reports for {sub.name}</a>
        </p>
      )}
    </main>
  );
}
