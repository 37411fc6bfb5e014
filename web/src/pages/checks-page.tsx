import { fetchCheckStatuses, type CheckStatusView } from '../api/checks.js';
import { fetchServices } from '../api/client.js';
import { StatusBadge } from '../components/status-badge.js';
import { useLive } from '../live/events.js';
import { agoText, certText, lastResult, locationsText, resultWords } from '../model/check-labels.js';
import { STATUS_RANK } from '../model/status-subject.js';
import { serverNow } from '../server-clock.js';
import { useAsync } from '../use-async.js';
import { usePoll } from '../use-poll.js';
import { useTitle } from '../use-title.js';

function sortChecks(list: readonly CheckStatusView[]): CheckStatusView[] {
  return [...list].sort((a, b) => Number(b.enabled) - Number(a.enabled) || STATUS_RANK[b.status] - STATUS_RANK[a.status] || a.check.name.localeCompare(b.check.name));
}

/** Every check, failing ones first, with its verdict, its locations and its latest result. */
export function ChecksPage({ search }: { search: URLSearchParams }) {
  const service = search.get('service') ?? undefined;
  const checks = useAsync(() => fetchCheckStatuses(service), [service]);
  const names = useAsync(async () => new Map((await fetchServices()).map((s) => [s.slug, s.name])), []);
  useTitle(service ? `Checks of ${names.data?.get(service) ?? service}` : 'Checks');
  useLive((topic) => {
    if (topic === 'status.changed' || topic === 'resync') checks.reload();
  });
  usePoll(checks.reload);
  const now = serverNow();
  const list = sortChecks(checks.data ?? []);
  return (
    <main id="main">
      <h1>{service ? `Checks of ${names.data?.get(service) ?? service}` : 'Checks'}</h1>
      <p class="lead">
        Active probes from every location. A check fails when enough locations fail several runs in a row; that turns its service's status.
        {service && (
          <>
            {' '}
            <a href="/checks">All checks</a> · <a href={`/services/${encodeURIComponent(service)}`}>{names.data?.get(service) ?? service}</a>
          </>
        )}
      </p>
      {checks.error && <p class="notice err">Could not load checks: {checks.error}</p>}
      {checks.data && list.length === 0 && <p class="muted">No checks yet. Add them in the config file (`checks:`) or in the admin area.</p>}
      <ul class="check-list" data-testid="check-list">
        {list.map((c) => {
          const last = lastResult(c.locations);
          return (
            <li key={c.check.id} class="check-row" data-check-id={c.check.id} data-status={c.enabled ? c.status : 'paused'}>
              <div class="check-main">
                <a href={`/checks/${encodeURIComponent(c.check.id)}`} class="check-link">
                  {c.check.name}
                </a>
                <span class="muted small check-target">
                  {c.check.type.toUpperCase()} {c.check.target}
                </span>
                <span class="small">
                  {c.check.service && (
                    <>
                      <a href={`/services/${encodeURIComponent(c.check.service)}`}>{names.data?.get(c.check.service) ?? c.check.service}</a>
                      {' · '}
                    </>
                  )}
                  <span data-testid="check-locations">{c.reason ?? locationsText(c)}</span>
                  {c.certDaysLeft !== undefined && (
                    <span class={c.certDaysLeft < 14 ? 'cert-warn' : ''} data-testid="cert-days">
                      {' · '}
                      {certText(c.certDaysLeft)}
                    </span>
                  )}
                </span>
              </div>
              <div class="check-side">
                {c.enabled ? <StatusBadge status={c.status} /> : <span class="status muted">Paused</span>}
                {last && (
                  <span class="muted small" data-testid="last-result">
                    {resultWords({ ok: last.lastOk, errorClass: last.lastErrorClass })}
                    {last.lastOk ? ` · ${last.lastLatencyMs} ms` : ''} · {last.location} · {agoText(last.lastAt, now)}
                  </span>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </main>
  );
}
