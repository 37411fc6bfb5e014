import { useState } from 'preact/hooks';
import { fetchServices } from '../api/client.js';
import type { Service } from '../api/types.js';
import { formatTime } from '../format.js';
import { useLive } from '../live/events.js';
import { useAsync } from '../use-async.js';
import { admin, formAll, formValues } from './admin-api.js';
import { AddForm } from './admin-list.js';
import { ComponentStatusChoices, componentsOf, ServiceChoices } from './choices.js';
import { ActionOutcome, useAction } from './use-action.js';

/** The parts of an incident answer this section shows. */
interface AdminIncident {
  id: string;
  source: 'automatic' | 'operator';
  title: string;
  status: 'open' | 'closed';
  lifecycle: string;
  impact: string;
  services: string[];
  openedAt: number;
  dismissedAt?: number;
  postmortem?: { body: string };
  updates: { id: string; source: string; status: string; html: string; createdAt: number }[];
}

const UPDATE_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
const IMPACTS = ['none', 'minor', 'major', 'critical'] as const;

/** Open an incident, post updates to any incident, dismiss false automatic ones, publish postmortems. */
export function IncidentsSection() {
  const services = useAsync(fetchServices, []);
  const incidents = useAsync(async () => (await admin.get<{ incidents: AdminIncident[] }>('/api/v1/incidents?limit=50')).incidents, []);
  useLive((topic) => (topic === 'incident.changed' || topic === 'resync') && incidents.reload());
  const all = services.data ?? [];
  return (
    <>
      <NewIncident services={all} onDone={incidents.reload} />
      <section class="card" aria-labelledby="incident-list-title">
        <h2 id="incident-list-title">Incidents</h2>
        {incidents.error && <p class="notice err">{incidents.error}</p>}
        {incidents.data?.length === 0 && <p class="muted">No incidents yet.</p>}
        <ul class="admin-list" data-testid="admin-incidents">
          {(incidents.data ?? []).map((i) => (
            <IncidentRow key={i.id} incident={i} services={all} onDone={incidents.reload} />
          ))}
        </ul>
      </section>
    </>
  );
}

function NewIncident({ services, onDone }: { services: readonly Service[]; onDone: () => void }) {
  const action = useAction();
  return (
    <details class="card">
      <summary>
        <h2 class="inline">Open an incident</h2>
      </summary>
      <form
        class="admin-form"
        data-testid="new-incident"
        onSubmit={(e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const v = formValues(form);
          void action.run(async () => {
            await admin.post('/api/v1/incidents', { title: v.title, impact: v.impact, services: formAll(form, 'services'), update: { status: v.status, body: v.body } });
            form.reset();
            onDone();
            return 'Incident opened and announced.';
          });
        }}
      >
        <label>
          Title <input name="title" required maxLength={200} />
        </label>
        <label>
          Impact
          <select name="impact" defaultValue="minor">
            {IMPACTS.map((i) => <option key={i} value={i}>{i}</option>)}
          </select>
        </label>
        <ServiceChoices services={services} />
        <label>
          Status
          <select name="status" defaultValue="investigating">
            {UPDATE_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <label>
          First update (Markdown)
          <textarea name="body" required maxLength={10_000} rows={4} />
        </label>
        <button class="primary" type="submit" disabled={action.busy}>Open incident</button>
        <ActionOutcome action={action} />
      </form>
    </details>
  );
}

function IncidentRow({ incident: i, services, onDone }: { incident: AdminIncident; services: readonly Service[]; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const affected = services.filter((s) => i.services.includes(s.slug));
  return (
    <li class="admin-item" data-incident={i.id}>
      <div class="admin-item-head">
        <span class={`pill pill-${i.status}`}>{i.dismissedAt !== undefined ? 'Dismissed' : i.status === 'open' ? `● ${i.lifecycle}` : `✔ ${i.lifecycle}`}</span>{' '}
        <a href={`/incidents/${encodeURIComponent(i.id)}`}>{i.title}</a>
        <span class="muted small"> · {i.source === 'automatic' ? 'detected' : 'by an operator'} · {formatTime(i.openedAt)}</span>
        <button type="button" class="small-button" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Close' : 'Update'}
        </button>
      </div>
      {open && (
        <div class="admin-item-body">
          <PostUpdate incident={i} services={affected.length > 0 ? affected : services} onDone={onDone} />
          {i.source === 'automatic' && i.dismissedAt === undefined && <Dismiss id={i.id} onDone={onDone} />}
          {i.status === 'closed' && i.dismissedAt === undefined && <Postmortem incident={i} onDone={onDone} />}
        </div>
      )}
    </li>
  );
}

function PostUpdate({ incident, services, onDone }: { incident: AdminIncident; services: readonly Service[]; onDone: () => void }) {
  if (incident.dismissedAt !== undefined) return null;
  return (
    <AddForm
      submit="Post update"
      primary
      testId="post-update"
      send={async (v) => {
        const components = componentsOf(v);
        await admin.post(`/api/v1/incidents/${encodeURIComponent(incident.id)}/updates`, { status: v.status, body: v.body, ...(components.length > 0 ? { components } : {}) });
        return 'Update posted and announced.';
      }}
      added={onDone}
    >
      <label>
        Status
        <select name="status" defaultValue={incident.lifecycle === 'postmortem' ? 'resolved' : incident.lifecycle}>
          {UPDATE_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
      </label>
      <label>
        Update (Markdown)
        <textarea name="body" required maxLength={10_000} rows={3} />
      </label>
      <ComponentStatusChoices services={services} />
    </AddForm>
  );
}

function Dismiss({ id, onDone }: { id: string; onDone: () => void }) {
  const action = useAction();
  return (
    <form
      class="admin-form inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        const reason = formValues(e.currentTarget).reason;
        void action.run(async () => {
          await admin.post(`/api/v1/incidents/${encodeURIComponent(id)}/dismiss`, reason ? { reason } : {});
          onDone();
          return 'Dismissed: kept in the history, left out of uptime and status.';
        });
      }}
    >
      <label>
        A false alarm? Why <input name="reason" maxLength={1000} />
      </label>
      <button type="submit" disabled={action.busy}>Dismiss</button>
      <ActionOutcome action={action} />
    </form>
  );
}

function Postmortem({ incident, onDone }: { incident: AdminIncident; onDone: () => void }) {
  const action = useAction();
  return (
    <form
      class="admin-form"
      onSubmit={(e) => {
        e.preventDefault();
        const body = formValues(e.currentTarget).postmortem;
        void action.run(async () => {
          await admin.patch(`/api/v1/incidents/${encodeURIComponent(incident.id)}`, { postmortem: body ? body : null });
          onDone();
          return body ? 'Postmortem published.' : 'Postmortem removed.';
        });
      }}
    >
      <label>
        Postmortem (Markdown)
        <textarea name="postmortem" rows={4} maxLength={50_000} defaultValue={incident.postmortem?.body ?? ''} />
      </label>
      <button type="submit" disabled={action.busy}>Publish postmortem</button>
      <ActionOutcome action={action} />
    </form>
  );
}
