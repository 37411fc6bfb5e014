import { fetchServiceChecks } from '../api/client.js';
import type { Service } from '../api/types.js';
import { useAsync } from '../use-async.js';
import { StatusReasons } from './status-reasons.js';

/** Why the service has its status, and its checks (each links to its page). */
export function ServiceSignals({ service }: { service: Service }) {
  const checks = useAsync(() => fetchServiceChecks(service.slug), [service.slug]);
  return (
    <div class="service-signals">
      <StatusReasons reasons={service.reasons} />
      {checks.data && checks.data.length > 0 && (
        <p class="muted small" data-testid="service-checks">
          Checks:{' '}
          {checks.data.map((c, i) => (
            <span key={c.id}>
              {i > 0 ? ' · ' : ''}
              <a href={`/checks/${encodeURIComponent(c.id)}`}>{c.name}</a>
            </span>
          ))}
        </p>
      )}
    </div>
  );
}
