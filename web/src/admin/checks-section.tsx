import { fetchServices } from '../api/client.js';
import { useAsync } from '../use-async.js';
import { admin, formValues } from './admin-api.js';
import { ActionOutcome, useAction } from './use-action.js';

interface AdminCheck {
  id: string;
  name: string;
  service?: string;
  type: string;
  target: string;
  interval?: string;
  source?: string;
}

/** Active checks: add an HTTP, TCP, DNS, TLS or ICMP check, remove one. Details: docs/probes.md. */
export function ChecksSection() {
  const services = useAsync(fetchServices, []);
  const checks = useAsync(async () => (await admin.get<{ checks: AdminCheck[] }>('/api/v1/checks')).checks, []);
  const action = useAction();
  const remove = useAction();
  return (
    <>
      <section class="card" aria-labelledby="new-check-title">
        <h2 id="new-check-title">Add a check</h2>
        <form
          class="admin-form"
          onSubmit={(e) => {
            e.preventDefault();
            const form = e.currentTarget;
            const v = formValues(form);
            void action.run(async () => {
              await admin.post('/api/v1/checks', { name: v.name, type: v.type, target: v.target, interval: v.interval || '30s', ...(v.service ? { service: v.service } : {}) });
              form.reset();
              checks.reload();
              return `Check ${v.name} added.`;
            });
          }}
        >
          <div class="two-inputs">
            <label>
              Name <input name="name" required maxLength={100} />
            </label>
            <label>
              Service
              <select name="service" defaultValue="">
                <option value="">none</option>
                {(services.data ?? []).map((s) => <option key={s.slug} value={s.slug}>{s.name}</option>)}
              </select>
            </label>
          </div>
          <div class="two-inputs">
            <label>
              Type
              <select name="type" defaultValue="http">
                {['http', 'tcp', 'dns', 'tls', 'icmp'].map((t) => <option key={t} value={t}>{t}</option>)}
              </select>
            </label>
            <label>
              Interval <input name="interval" placeholder="30s" pattern="[0-9]+(ms|s|m|h)" />
            </label>
          </div>
          <label>
            Target <input name="target" required placeholder="https://example.com/ or host:443" />
          </label>
          <button class="primary" type="submit" disabled={action.busy}>Add check</button>
          <ActionOutcome action={action} />
        </form>
      </section>
      <section class="card" aria-labelledby="check-list-title">
        <h2 id="check-list-title">Checks</h2>
        {checks.error && <p class="notice err">{checks.error}</p>}
        <ul class="admin-list">
          {(checks.data ?? []).map((c) => (
            <li key={c.id} class="admin-item">
              <div class="admin-item-head">
                <a href={`/checks/${encodeURIComponent(c.id)}`}>{c.name}</a>{' '}
                <span class="muted small">
                  {c.type} {c.target}
                  {c.service ? ` · ${c.service}` : ''}
                  {c.interval ? ` · every ${c.interval}` : ''}
                </span>
                {c.source !== 'config' && (
                  <button type="button" class="small-button" disabled={remove.busy} onClick={() => void remove.run(async () => { await admin.del(`/api/v1/checks/${encodeURIComponent(c.id)}`); checks.reload(); return `Removed ${c.name}.`; })}>
                    Remove
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
        <ActionOutcome action={remove} />
      </section>
    </>
  );
}
