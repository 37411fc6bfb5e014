import { fetchServices } from '../api/client.js';
import { StatusBadge } from '../components/status-badge.js';
import { useAsync } from '../use-async.js';
import { admin, formValues } from './admin-api.js';
import { ActionOutcome, useAction } from './use-action.js';

/** Add, rename and remove services (the components of the status pages). */
export function ServicesSection() {
  const services = useAsync(fetchServices, []);
  const action = useAction();
  const remove = useAction();
  return (
    <>
      <section class="card" aria-labelledby="new-service-title">
        <h2 id="new-service-title">Add a service</h2>
        <form
          class="admin-form"
          onSubmit={(e) => {
            e.preventDefault();
            const form = e.currentTarget;
            const v = formValues(form);
            void action.run(async () => {
              await admin.post('/api/v1/services', { slug: v.slug, name: v.name, url: v.url, ...(v.category ? { category: v.category } : {}), ...(v.logo ? { logo: v.logo } : {}) });
              form.reset();
              services.reload();
              return `Service ${v.name} added.`;
            });
          }}
        >
          <div class="two-inputs">
            <label>
              Slug <input name="slug" required pattern="[a-z0-9][a-z0-9\-]{0,62}" />
            </label>
            <label>
              Name <input name="name" required maxLength={120} />
            </label>
          </div>
          <label>
            URL <input name="url" type="url" required />
          </label>
          <div class="two-inputs">
            <label>
              Category <input name="category" maxLength={64} />
            </label>
            <label>
              Logo URL <input name="logo" type="url" />
            </label>
          </div>
          <button class="primary" type="submit" disabled={action.busy}>Add service</button>
          <ActionOutcome action={action} />
        </form>
      </section>
      <section class="card" aria-labelledby="service-list-title">
        <h2 id="service-list-title">Services</h2>
        <ul class="admin-list">
          {(services.data ?? []).map((s) => (
            <li key={s.slug} class="admin-item">
              <div class="admin-item-head">
                <a href={`/status/${encodeURIComponent(s.slug)}`}>{s.name}</a> <span class="muted small">{s.slug}{s.category ? ` · ${s.category}` : ''}</span> <StatusBadge status={s.status} />
                <button
                  type="button"
                  class="small-button"
                  disabled={remove.busy}
                  onClick={() => {
                    if (confirm(`Delete ${s.name} and all its reports?`)) void remove.run(async () => { await admin.del(`/api/v1/services/${encodeURIComponent(s.slug)}`); services.reload(); return `Deleted ${s.name}.`; });
                  }}
                >
                  Delete
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
