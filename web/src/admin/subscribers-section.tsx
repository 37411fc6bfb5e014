import { formatTime } from '../format.js';
import { useAsync } from '../use-async.js';
import { admin, formValues } from './admin-api.js';
import { ActionOutcome, useAction } from './use-action.js';

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
  const add = useAction();
  const remove = useAction();
  return (
    <>
      <section class="card" aria-labelledby="subscribers-title">
        <h2 id="subscribers-title">Subscribers</h2>
        {list.data && (
          <p>
            <strong>{list.data.confirmed}</strong> confirmed, <strong>{list.data.pending}</strong> waiting for confirmation. Addresses are shown masked.
          </p>
        )}
        <ul class="admin-list" data-testid="admin-subscribers">
          {(list.data?.subscribers ?? []).map((s) => (
            <li key={s.id} class="admin-item">
              <div class="admin-item-head">
                <span>{s.address}</span>{' '}
                <span class="muted small">
                  {s.kind} · {s.scope === '*' ? 'whole page' : s.scope} · {s.confirmed ? 'confirmed' : 'not confirmed'} · {formatTime(s.createdAt)}
                </span>
                <button type="button" class="small-button" disabled={remove.busy} onClick={() => void remove.run(async () => { await admin.del(`/api/v1/subscribers/${encodeURIComponent(s.id)}`); list.reload(); return 'Removed.'; })}>
                  Remove
                </button>
              </div>
            </li>
          ))}
        </ul>
        <ActionOutcome action={remove} />
      </section>
      <section class="card" aria-labelledby="new-webhook-title">
        <h2 id="new-webhook-title">Add a webhook subscriber</h2>
        <form
          class="admin-form"
          onSubmit={(e) => {
            e.preventDefault();
            const form = e.currentTarget;
            const v = formValues(form);
            void add.run(async () => {
              await admin.post('/api/v1/subscribers', { kind: 'webhook', url: v.url, ...(v.scope ? { scope: v.scope } : {}), ...(v.secret ? { secret: v.secret } : {}) });
              form.reset();
              list.reload();
              return 'Webhook subscriber added.';
            });
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
          <button type="submit" disabled={add.busy}>Add webhook</button>
          <ActionOutcome action={add} />
        </form>
      </section>
    </>
  );
}
