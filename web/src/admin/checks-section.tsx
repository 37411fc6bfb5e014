import { fetchServices } from '../api/client.js';
import { useAsync } from '../use-async.js';
import { admin } from './admin-api.js';
import { AddForm, AdminList } from './admin-list.js';

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
  return (
    <>
      <section class="card" aria-labelledby="new-check-title">
        <h2 id="new-check-title">Add a check</h2>
        <AddForm
          submit="Add check"
          primary
          added={checks.reload}
          send={async (v) => {
            await admin.post('/api/v1/checks', { name: v.name, type: v.type, target: v.target, interval: v.interval || '30s', ...(v.service ? { service: v.service } : {}) });
            return `Check ${v.name} added.`;
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
        </AddForm>
      </section>
      <section class="card" aria-labelledby="check-list-title">
        <h2 id="check-list-title">Checks</h2>
        {checks.error && <p class="notice err">{checks.error}</p>}
        <AdminList
          items={checks.data}
          rowKey={(c) => c.id}
          reload={checks.reload}
          // Checks from the config file are changed there, not here.
          remove={{ path: (c) => (c.source !== 'config' ? `/api/v1/checks/${encodeURIComponent(c.id)}` : undefined), label: 'Remove', done: (c) => `Removed ${c.name}.` }}
          row={(c) => (
            <>
              <a href={`/checks/${encodeURIComponent(c.id)}`}>{c.name}</a>{' '}
              <span class="muted small">
                {c.type} {c.target}
                {c.service ? ` · ${c.service}` : ''}
                {c.interval ? ` · every ${c.interval}` : ''}
              </span>
            </>
          )}
        />
      </section>
    </>
  );
}
