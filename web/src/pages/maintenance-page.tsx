import { formatTime } from '../format.js';
import { useLive } from '../live/events.js';
import { useAsync } from '../use-async.js';
import { useTitle } from '../use-title.js';
import { fetchMaintenance } from '../api/client.js';

const STATUS = { scheduled: 'Scheduled', in_progress: 'In progress', completed: 'Completed' } as const;

/** One maintenance window: what, when, which services. */
export function MaintenancePage({ id }: { id: string }) {
  const m = useAsync(() => fetchMaintenance(id), [id]);
  useLive((topic) => (topic === 'maintenance.changed' || topic === 'resync') && m.reload());
  useTitle(m.data?.title ?? 'Maintenance');
  if (m.error && !m.data) return <main id="main"><h1>Maintenance not found</h1><p class="notice err">{m.error}</p></main>;
  const w = m.data;
  if (!w) return <main id="main"><p class="muted">Loading…</p></main>;
  return (
    <main id="main">
      <h1>{w.title}</h1>
      <p>
        <span class={`pill pill-maint-${w.status}`}>{STATUS[w.status]}</span> {formatTime(w.startsAt)} – {formatTime(w.endsAt)}
      </p>
      {/* Rendered and sanitised by the server (src/text/markdown.ts). */}
      {w.html && <div class="card markdown" dangerouslySetInnerHTML={{ __html: w.html }} />}
      <p>
        Services:{' '}
        {w.services.map((s, i) => (
          <span key={s}>
            {i > 0 && ', '}
            <a href={`/status/${encodeURIComponent(s)}`}>{s}</a>
          </span>
        ))}
      </p>
    </main>
  );
}
