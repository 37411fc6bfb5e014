import { fetchServices } from '../api/client.js';
import { StatusBadge } from '../components/status-badge.js';
import { useAsync } from '../use-async.js';
import { admin } from './admin-api.js';
import { AddForm, AdminList } from './admin-list.js';

/** Add, rename and remove services (the components of the status pages). */
export function ServicesSection() {
  const services = useAsync(fetchServices, []);
  return (
    <>
      <section class="card" aria-labelledby="new-service-title">
        <h2 id="new-service-title">Add a service</h2>
        <AddForm
          submit="Add service"
          primary
          added={services.reload}
          send={async (v) => {
            await admin.post('/api/v1/services', { slug: v.slug, name: v.name, url: v.url, ...(v.category ? { category: v.category } : {}), ...(v.logo ? { logo: v.logo } : {}) });
            return `Service ${v.name} added.`;
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
        </AddForm>
      </section>
      <section class="card" aria-labelledby="service-list-title">
        <h2 id="service-list-title">Services</h2>
        <AdminList
          items={services.data}
          rowKey={(s) => s.slug}
          reload={services.reload}
          remove={{
            path: (s) => `/api/v1/services/${encodeURIComponent(s.slug)}`,
            label: 'Delete',
            confirm: (s) => `Delete ${s.name} and all its reports?`,
            done: (s) => `Deleted ${s.name}.`,
          }}
          row={(s) => (
            <>
              <a href={`/status/${encodeURIComponent(s.slug)}`}>{s.name}</a> <span class="muted small">{s.slug}{s.category ? ` · ${s.category}` : ''}</span> <StatusBadge status={s.status} />
            </>
          )}
        />
      </section>
    </>
  );
}
