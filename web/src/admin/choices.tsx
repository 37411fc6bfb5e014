import type { Service, ServiceStatus } from '../api/types.js';

export const COMPONENT_STATUSES: { value: ServiceStatus | 'partial_outage' | 'degraded_performance' | 'under_maintenance'; label: string }[] = [
  { value: 'operational', label: 'Operational' },
  { value: 'degraded_performance', label: 'Degraded performance' },
  { value: 'partial_outage', label: 'Partial outage' },
  { value: 'major_outage', label: 'Major outage' },
  { value: 'under_maintenance', label: 'Under maintenance' },
];

/** A checkbox per service; the form reads them as `services`. */
export function ServiceChoices({ services, name = 'services', checked = [] }: { services: readonly Service[]; name?: string; checked?: readonly string[] }) {
  return (
    <fieldset class="choices">
      <legend>Services</legend>
      {services.map((s) => (
        <label key={s.slug} class="choice">
          <input type="checkbox" name={name} value={s.slug} defaultChecked={checked.includes(s.slug)} /> {s.name}
        </label>
      ))}
    </fieldset>
  );
}

/** "Leave as is" or a status, per service: the statuses an update sets. */
export function ComponentStatusChoices({ services }: { services: readonly Service[] }) {
  return (
    <fieldset class="choices">
      <legend>Status of the services after this update</legend>
      {services.map((s) => (
        <label key={s.slug} class="choice-row">
          <span>{s.name}</span>
          <select name={`status:${s.slug}`} defaultValue="">
            <option value="">leave as is</option>
            {COMPONENT_STATUSES.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
      ))}
    </fieldset>
  );
}

/** The `status:<slug>` selects of a form, as the API's `components`. */
export function componentsOf(values: Record<string, string>): { service: string; status: string }[] {
  return Object.entries(values)
    .filter(([k, v]) => k.startsWith('status:') && v !== '')
    .map(([k, v]) => ({ service: k.slice('status:'.length), status: v }));
}
