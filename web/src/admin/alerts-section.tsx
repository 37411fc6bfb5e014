import { formatTime } from '../format.js';
import { useAsync } from '../use-async.js';
import { admin, formAll, formValues } from './admin-api.js';
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
  const addChannel = useAction();
  const addRule = useAction();
  const remove = useAction();
  const del = (path: string, what: string, reload: () => void) =>
    void remove.run(async () => {
      await admin.del(path);
      reload();
      return `Removed ${what}.`;
    });
  return (
    <>
      <section class="card" aria-labelledby="channels-title">
        <h2 id="channels-title">Channels</h2>
        <ul class="admin-list">
          {(channels.data ?? []).map((c) => (
            <li key={c.name} class="admin-item">
              <div class="admin-item-head">
                <strong>{c.name}</strong> <span class="muted small">{c.type} {c.url ?? ''} · {c.source}</span>
                {c.source === 'api' && <button type="button" class="small-button" disabled={remove.busy} onClick={() => del(`/api/v1/alerts/channels/${encodeURIComponent(c.name)}`, c.name, channels.reload)}>Remove</button>}
              </div>
            </li>
          ))}
        </ul>
        <form
          class="admin-form"
          onSubmit={(e) => {
            e.preventDefault();
            const form = e.currentTarget;
            const v = formValues(form);
            void addChannel.run(async () => {
              await admin.post('/api/v1/alerts/channels', { name: v.name, type: v.type, url: v.url });
              form.reset();
              channels.reload();
              return `Channel ${v.name} added.`;
            });
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
          <button type="submit" disabled={addChannel.busy}>Add channel</button>
          <ActionOutcome action={addChannel} />
        </form>
      </section>
      <section class="card" aria-labelledby="rules-title">
        <h2 id="rules-title">Rules</h2>
        <ul class="admin-list">
          {(rules.data ?? []).map((r) => (
            <li key={r.id} class="admin-item">
              <div class="admin-item-head">
                <span>
                  {r.service === '*' ? 'every service' : r.service}: {r.on.join(', ')} → {r.channels.join(', ')}
                </span>
                <span class="muted small"> · {r.source}</span>
                {r.source === 'api' && <button type="button" class="small-button" disabled={remove.busy} onClick={() => del(`/api/v1/alerts/rules/${encodeURIComponent(r.id)}`, 'the rule', rules.reload)}>Remove</button>}
              </div>
            </li>
          ))}
        </ul>
        <form
          class="admin-form"
          onSubmit={(e) => {
            e.preventDefault();
            const form = e.currentTarget;
            const v = formValues(form);
            void addRule.run(async () => {
              await admin.post('/api/v1/alerts/rules', { service: v.service || '*', on: formAll(form, 'on'), channels: v.channels.split(',').map((c) => c.trim()).filter(Boolean) });
              form.reset();
              rules.reload();
              return 'Rule added.';
            });
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
          <button type="submit" disabled={addRule.busy}>Add rule</button>
          <ActionOutcome action={addRule} />
        </form>
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
