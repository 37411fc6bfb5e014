import { fetchCheckStatuses } from '../api/checks.js';
import type { Service } from '../api/types.js';
import { useAsync } from '../use-async.js';
import { StatusBadge } from './status-badge.js';
import { StatusReasons } from './status-reasons.js';

/** Why the service has its status, and its checks with theirs (each links to its page). */
export function ServiceSignals({ service }: { service: Service }) {
  // Reloaded with the service: its status changing is when a check's verdict changed.
  const checks = useAsync(() => fetchCheckStatuses(service.slug), [service.slug, service.status, service.reasons.length]);
  const list = checks.data ?? [];
  return (
    <div class="service-signals">
      <StatusReasons reasons={service.reasons} />
      {list.length > 0 && (
        <div class="service-checks small" data-testid="service-checks">
          <span class="muted">Checks:</span>
          <ul>
            {list.map((c) => (
              <li key={c.check.id} data-check-id={c.check.id}>
                <a href={`/checks/${encodeURIComponent(c.check.id)}`}>{c.check.name}</a> {c.enabled ? <StatusBadge status={c.status} /> : <span class="muted">paused</span>}
              </li>
            ))}
          </ul>
          <a href={`/checks?service=${encodeURIComponent(service.slug)}`}>All checks of {service.name}</a>
        </div>
      )}
    </div>
  );
}
