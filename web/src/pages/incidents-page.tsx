import { fetchIncidents, fetchServices } from '../api/client.js';
import { IncidentTimeline } from '../components/incident-timeline.js';
import { useLive } from '../live/events.js';
import { useAsync } from '../use-async.js';
import { useTitle } from '../use-title.js';

export function IncidentsPage() {
  const incidents = useAsync(fetchIncidents, []);
  const services = useAsync(fetchServices, []);
  const names = Object.fromEntries((services.data ?? []).map((s) => [s.slug, s.name]));
  useLive((topic) => (topic === 'incident.changed' || topic === 'resync') && incidents.reload());
  useTitle('Incidents');
  const all = incidents.data ?? [];
  return (
    <main id="main">
      <h1>Incidents</h1>
      {incidents.error && <p class="notice err">Could not load incidents: {incidents.error}</p>}
      <section class="card">
        <h2>Ongoing ({all.filter((i) => i.status === 'open').length})</h2>
        <IncidentTimeline incidents={all.filter((i) => i.status === 'open')} showService names={names} empty="No ongoing incidents." />
      </section>
      <section class="card">
        <h2>Resolved</h2>
        <IncidentTimeline incidents={all.filter((i) => i.status === 'closed')} showService names={names} empty="No resolved incidents." />
      </section>
    </main>
  );
}
