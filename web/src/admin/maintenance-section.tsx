import { fetchServices } from '../api/client.js';
import { formatTime } from '../format.js';
import { useLive } from '../live/events.js';
import { useAsync } from '../use-async.js';
import { admin, formAll } from './admin-api.js';
import { AddForm, AdminList } from './admin-list.js';
import { ServiceChoices } from './choices.js';

interface AdminMaintenance {
  id: string;
  title: string;
  services: string[];
  startsAt: number;
  endsAt: number;
  status: 'scheduled' | 'in_progress' | 'completed';
}

const STATUS_LABEL = { scheduled: 'Scheduled', in_progress: 'In progress', completed: 'Completed' } as const;

/** `<input type="datetime-local">` is in the viewer's zone; the API takes UTC ISO. */
function localToIso(value: string): string {
  const t = new Date(value).getTime();
  if (!Number.isFinite(t)) throw new Error(`not a date and time: ${value}`);
  return new Date(t).toISOString();
}

/** Schedule maintenance windows; during one, the services read "under maintenance" and alerts wait. */
export function MaintenanceSection() {
  const services = useAsync(fetchServices, []);
  const windows = useAsync(async () => (await admin.get<{ maintenances: AdminMaintenance[] }>('/api/v1/maintenances?limit=50')).maintenances, []);
  useLive((topic) => (topic === 'maintenance.changed' || topic === 'resync') && windows.reload());
  return (
    <>
      <section class="card" aria-labelledby="new-maintenance-title">
        <h2 id="new-maintenance-title">Schedule maintenance</h2>
        <AddForm
          testId="new-maintenance"
          submit="Schedule"
          primary
          added={windows.reload}
          send={async (v, form) => {
            await admin.post('/api/v1/maintenances', { title: v.title, body: v.body, services: formAll(form, 'services'), startsAt: localToIso(v.startsAt), endsAt: localToIso(v.endsAt) });
            return 'Maintenance scheduled; subscribers hear when it starts and ends.';
          }}
        >
          <label>
            Title <input name="title" required maxLength={200} />
          </label>
          <ServiceChoices services={services.data ?? []} />
          <div class="two-inputs">
            <label>
              Starts <input name="startsAt" type="datetime-local" required />
            </label>
            <label>
              Ends <input name="endsAt" type="datetime-local" required />
            </label>
          </div>
          <label>
            What happens (Markdown)
            <textarea name="body" rows={3} maxLength={10_000} />
          </label>
        </AddForm>
      </section>
      <section class="card" aria-labelledby="maintenance-list-title">
        <h2 id="maintenance-list-title">Maintenance windows</h2>
        {windows.data?.length === 0 && <p class="muted">None scheduled.</p>}
        <AdminList
          testId="admin-maintenances"
          items={windows.data}
          rowKey={(m) => m.id}
          reload={windows.reload}
          remove={{ path: (m) => `/api/v1/maintenances/${encodeURIComponent(m.id)}`, label: 'Remove', done: (m) => `Removed “${m.title}”.` }}
          row={(m) => (
            <>
              <span class={`pill pill-maint-${m.status}`}>{STATUS_LABEL[m.status]}</span> <a href={`/maintenance/${encodeURIComponent(m.id)}`}>{m.title}</a>
              <span class="muted small">
                {' '}
                · {formatTime(m.startsAt)} – {formatTime(m.endsAt)} · {m.services.join(', ')}
              </span>
            </>
          )}
        />
      </section>
    </>
  );
}
