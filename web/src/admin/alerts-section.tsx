import { formatTime } from '../format.js';
import { useAsync } from '../use-async.js';
import { admin, formAll } from './admin-api.js';
import { AddForm, AdminList } from './admin-list.js';
import { ActionOutcome, useAction } from './use-action.js';

interface Channel {
  name: string;
  type: string;
  url?: string;
  source: 'config' | 'api';
}
interface Rule {
  id: string;
  service: string;
  on: string[];
  channels: string[];
  source: 'config' | 'api';
}
interface Delivery {
  id: string;
  channel: string;
  kind: string;
  service: string;
  status: string;
  attempts: number;
  lastError?: string;
  createdAt: number;
}

const EVENTS = ['open', 'phase', 'update', 'close', 'probe_failure'] as const;

/** Alert channels and rules made here (config ones are shown, read only), and the delivery log. */
export function AlertsSection() {
  const channels = useAsync(async () => (await admin.get<{ channels: Channel[] }>('/api/v1/alerts/channels')).channels, []);
  const rules = useAsync(async () => (await admin.get<{ rules: Rule[] }>('/api/v1/alerts/rules')).rules, []);
  const deliveries = useAsync(async () => (await admin.get<{ deliveries: Delivery[] }>('/api/v1/alerts/deliveries?limit=20')).deliveries, []);
  // One delete action for both lists: its outcome shows once, at the end of the section.
  const remove = useAction();
  return (
    <>
      <section class="card" aria-labelledby="channels-title">
        <h2 id="channels-title">Channels</h2>
        <AdminList
          items={channels.data}
          rowKey={(c) => c.name}
          reload={channels.reload}
          action={remove}
          // Channels from the config file are changed there, not here.
          remove={{ path: (c) => (c.source === 'api' ? `/api/v1/alerts/channels/${encodeURIComponent(c.name)}` : undefined), label: 'Remove', done: (c) => `Removed ${c.name}.` }}
          row={(c) => (
            <>
              <strong>{c.name}</strong> <span class="muted small">{c.type} {c.url ?? ''} · {c.source}</span>
            </>
          )}
        />
        <AddForm
          submit="Add channel"
          added={channels.reload}
          send={async (v) => {
            await admin.post('/api/v1/alerts/channels', { name: v.name, type: v.type, url: v.url });
            return `Channel ${v.name} added.`;
          }}
        >
          <div class="two-inputs">
            <label>
              Name <input name="name" required pattern="[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}" />
            </label>
            <label>
              Type
              <select name="type" defaultValue="webhook">
                {['webhook', 'slack', 'discord'].map((t) => <option key={t} value={t}>{t}</option>)}
              </select>
            </label>
          </div>
          <label>
            URL <input name="url" type="url" required />
          </label>
        </AddForm>
      </section>
      <section class="card" aria-labelledby="rules-title">
        <h2 id="rules-title">Rules</h2>
        <AdminList
          items={rules.data}
          rowKey={(r) => r.id}
          reload={rules.reload}
          action={remove}
          remove={{ path: (r) => (r.source === 'api' ? `/api/v1/alerts/rules/${encodeURIComponent(r.id)}` : undefined), label: 'Remove', done: () => 'Removed the rule.' }}
          row={(r) => (
            <>
              <span>
                {r.service === '*' ? 'every service' : r.service}: {r.on.join(', ')} → {r.channels.join(', ')}
              </span>
              <span class="muted small"> · {r.source}</span>
            </>
          )}
        />
        <AddForm
          submit="Add rule"
          added={rules.reload}
          send={async (v, form) => {
            await admin.post('/api/v1/alerts/rules', { service: v.service || '*', on: formAll(form, 'on'), channels: v.channels.split(',').map((c) => c.trim()).filter(Boolean) });
            return 'Rule added.';
          }}
        >
          <div class="two-inputs">
            <label>
              Service <input name="service" placeholder="* (every service)" />
            </label>
            <label>
              Channels <input name="channels" required placeholder="ops, oncall" />
            </label>
          </div>
          <fieldset class="choices">
            <legend>On</legend>
            {EVENTS.map((ev) => (
              <label key={ev} class="choice">
                <input type="checkbox" name="on" value={ev} defaultChecked={ev === 'open' || ev === 'close'} /> {ev}
              </label>
            ))}
          </fieldset>
        </AddForm>
      </section>
      <section class="card" aria-labelledby="deliveries-title">
        <h2 id="deliveries-title">Latest deliveries</h2>
        <ul class="admin-list small">
          {(deliveries.data ?? []).map((d) => (
            <li key={d.id}>
              {formatTime(d.createdAt)} · {d.kind} · {d.service} → {d.channel}: <strong>{d.status}</strong> ({d.attempts} attempt{d.attempts === 1 ? '' : 's'}){d.lastError ? ` — ${d.lastError}` : ''}
            </li>
          ))}
        </ul>
      </section>
      <ActionOutcome action={remove} />
    </>
  );
}
