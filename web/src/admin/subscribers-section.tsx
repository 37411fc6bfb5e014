import { formatTime } from '../format.js';
import { useAsync } from '../use-async.js';
import { admin } from './admin-api.js';
import { AddForm, AdminList } from './admin-list.js';

interface Subscriber {
  id: string;
  kind: 'email' | 'webhook';
  address: string;
  scope: string;
  confirmed: boolean;
  createdAt: number;
}

/** Who hears about incidents and maintenance. Addresses are masked: the server never shows them. */
export function SubscribersSection() {
  const list = useAsync(() => admin.get<{ subscribers: Subscriber[]; confirmed: number; pending: number }>('/api/v1/subscribers'), []);
  return (
    <>
      <section class="card" aria-labelledby="subscribers-title">
        <h2 id="subscribers-title">Subscribers</h2>
        {list.data && (
          <p>
            <strong>{list.data.confirmed}</strong> confirmed, <strong>{list.data.pending}</strong> waiting for confirmation. Addresses are shown masked.
          </p>
        )}
        <AdminList
          testId="admin-subscribers"
          items={list.data?.subscribers}
          rowKey={(s) => s.id}
          reload={list.reload}
          remove={{ path: (s) => `/api/v1/subscribers/${encodeURIComponent(s.id)}`, label: 'Remove', done: () => 'Removed.' }}
          row={(s) => (
            <>
              <span>{s.address}</span>{' '}
              <span class="muted small">
                {s.kind} · {s.scope === '*' ? 'whole page' : s.scope} · {s.confirmed ? 'confirmed' : 'not confirmed'} · {formatTime(s.createdAt)}
              </span>
            </>
          )}
        />
      </section>
      <section class="card" aria-labelledby="new-webhook-title">
        <h2 id="new-webhook-title">Add a webhook subscriber</h2>
        <AddForm
          submit="Add webhook"
          added={list.reload}
          send={async (v) => {
            await admin.post('/api/v1/subscribers', { kind: 'webhook', url: v.url, ...(v.scope ? { scope: v.scope } : {}), ...(v.secret ? { secret: v.secret } : {}) });
            return 'Webhook subscriber added.';
          }}
        >
          <label>
            URL <input name="url" type="url" required />
          </label>
          <div class="two-inputs">
            <label>
              Status page (slug; empty: whole page) <input name="scope" />
            </label>
            <label>
              Signing secret (16+ characters) <input name="secret" minLength={16} />
            </label>
          </div>
        </AddForm>
      </section>
    </>
  );
}
