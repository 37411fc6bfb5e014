import { fetchServices } from '../api/client.js';
import { formatTime } from '../format.js';
import { useLive } from '../live/events.js';
import { useAsync } from '../use-async.js';
import { admin, formAll, formValues } from './admin-api.js';
import { ServiceChoices } from './choices.js';
import { ActionOutcome, useAction } from './use-action.js';

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
  const action = useAction();
  const remove = useAction();
  return (
    <>
      <section class="card" aria-labelledby="new-maintenance-title">
        <h2 id="new-maintenance-title">Schedule maintenance</h2>
        <form
          class="admin-form"
          data-testid="new-maintenance"
          onSubmit={(e) => {
            e.preventDefault();
            const form = e.currentTarget;
            const v = formValues(form);
            void action.run(async () => {
              await admin.post('/api/v1/maintenances', { title: v.title, body: v.body, services: formAll(form, 'services'), startsAt: localToIso(v.startsAt), endsAt: localToIso(v.endsAt) });
              form.reset();
              windows.reload();
              return 'Maintenance scheduled; subscribers hear when it starts and ends.';
            });
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
          <button class="primary" type="submit" disabled={action.busy}>Schedule</button>
          <ActionOutcome action={action} />
        </form>
      </section>
      <section class="card" aria-labelledby="maintenance-list-title">
        <h2 id="maintenance-list-title">Maintenance windows</h2>
        {windows.data?.length === 0 && <p class="muted">None scheduled.</p>}
        <ul class="admin-list" data-testid="admin-maintenances">
          {(windows.data ?? []).map((m) => (
            <li key={m.id} class="admin-item">
              <div class="admin-item-head">
                <span class={`pill pill-maint-${m.status}`}>{STATUS_LABEL[m.status]}</span> <a href={`/maintenance/${encodeURIComponent(m.id)}`}>{m.title}</a>
                <span class="muted small">
                  {' '}
                  · {formatTime(m.startsAt)} – {formatTime(m.endsAt)} · {m.services.join(', ')}
                </span>
                <button type="button" class="small-button" disabled={remove.busy} onClick={() => void remove.run(async () => { await admin.del(`/api/v1/maintenances/${encodeURIComponent(m.id)}`); windows.reload(); return `Removed “${m.title}”.`; })}>
                  Remove
                </button>
              </div>
            </li>
          ))}
        </ul>
        <ActionOutcome action={remove} />
      </section>
    </>
  );
}
