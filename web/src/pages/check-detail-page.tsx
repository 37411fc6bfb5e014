import { fetchCheckHistory, fetchCheckMatrix, fetchCheckStatus, HISTORY_WINDOWS, type HistoryWindow, type LocationReport, type MatrixRow } from '../api/checks.js';
import { fetchService } from '../api/client.js';
import { LatencyChart } from '../components/latency-chart.js';
import { StatusBadge } from '../components/status-badge.js';
import { formatTime } from '../format.js';
import { useLive } from '../live/events.js';
import { agoText, certText, classWords, durationMs, failureEpisodes, resultWords, STANDING_HINT, STANDING_WORDS, uptimeText } from '../model/check-labels.js';
import { chartStart } from '../model/latency-grid.js';
import { serverNow } from '../server-clock.js';
import { useAsync } from '../use-async.js';
import { useTitle } from '../use-title.js';
import { usePoll } from '../use-poll.js';

const WINDOW_LABEL: Record<HistoryWindow, string> = { '1h': '1 h', '24h': '24 h', '7d': '7 days' };
const WINDOW_WORDS: Record<HistoryWindow, string> = { '1h': 'last hour', '24h': 'last 24 hours', '7d': 'last 7 days' };
const CELLS = 20;

function windowOf(search: URLSearchParams): HistoryWindow {
  const w = search.get('window');
  return (HISTORY_WINDOWS as readonly string[]).includes(w ?? '') ? (w as HistoryWindow) : '24h';
}

/**
 * One check, check-host style: every location's latest result and its last runs (the
 * matrix), the response time per location over 1 h / 24 h / 7 days, uptime per location and
 * overall, and the latest failures with their class.
 */
export function CheckDetailPage({ id, search }: { id: string; search: URLSearchParams }) {
  const win = windowOf(search);
  const status = useAsync(() => fetchCheckStatus(id), [id]);
  const matrix = useAsync(() => fetchCheckMatrix(id, CELLS), [id]);
  const history = useAsync(() => fetchCheckHistory(id, win), [id, win]);
  const serviceSlug = status.data?.check.service;
  const service = useAsync(() => (serviceSlug ? fetchService(serviceSlug).catch(() => undefined) : Promise.resolve(undefined)), [serviceSlug]);
  const reload = (): void => {
    status.reload();
    matrix.reload();
    history.reload();
  };
  useLive((topic) => {
    if (topic === 'status.changed' || topic === 'resync') reload();
  }, serviceSlug);
  usePoll(reload);
  useTitle(status.data ? `${status.data.check.name} from every location` : 'Check');

  if (status.error && !status.data) {
    return (
      <main id="main">
        <h1>Check not found</h1>
        <p class="notice err">{status.error}</p>
        <p>
          <a href="/checks">All checks</a>
        </p>
      </main>
    );
  }
  const s = status.data;
  const now = serverNow();
  const h = history.data;
  const standing = new Map((s?.locations ?? []).map((l) => [l.location, l]));
  const start = h ? chartStart(h) : 0;
  return (
    <main id="main">
      <p class="crumbs small">
        <a href="/checks">All checks</a>
        {serviceSlug && (
          <>
            {' · '}
            <a href={`/services/${encodeURIComponent(serviceSlug)}`} data-testid="service-link">
              {service.data?.name ?? serviceSlug}
            </a>
          </>
        )}
      </p>
      <div class="service-head">
        <div>
          <h1>{s?.check.name ?? id}</h1>
          {s && (s.enabled ? <StatusBadge status={s.status} large /> : <span class="status muted">Paused</span>)}
          {s?.reason && (
            <p class="status-reason" data-testid="check-reason">
              {s.reason}
            </p>
          )}
          {s && (
            <p class="muted small check-meta">
              <span>
                {s.check.type.toUpperCase()} <span class="check-target">{s.check.target}</span>
              </span>
              <span>every {s.check.interval}</span>
              <span>
                fails when {s.quorum} location{s.quorum === 1 ? '' : 's'} fail
              </span>
              {s.certDaysLeft !== undefined && (
                <span class={s.certDaysLeft < 14 ? 'cert-warn' : ''} data-testid="cert-days">
                  {certText(s.certDaysLeft)}
                </span>
              )}
            </p>
          )}
        </div>
      </div>

      <section class="card" aria-labelledby="matrix-title">
        <h2 id="matrix-title">From every location</h2>
        {matrix.error && <p class="notice err">Could not load results: {matrix.error}</p>}
        {matrix.data && matrix.data.length === 0 && <p class="muted">No results yet: the first run from each location appears here.</p>}
        <ul class="matrix" data-testid="matrix">
          {(matrix.data ?? []).map((row) => (
            <MatrixItem key={row.location} row={row} report={standing.get(row.location)} now={now} />
          ))}
        </ul>
      </section>

      <section class="card" aria-labelledby="history-title">
        <div class="card-head">
          <h2 id="history-title">Response time and uptime, {WINDOW_WORDS[win]}</h2>
          <nav class="seg" aria-label="Time range">
            {HISTORY_WINDOWS.map((w) => (
              <a key={w} href={`?window=${w}`} aria-current={w === win ? 'true' : undefined}>
                {WINDOW_LABEL[w]}
              </a>
            ))}
          </nav>
        </div>
        {history.error && <p class="notice err">Could not load the history: {history.error}</p>}
        {h && (
          <>
            <div class="uptime-summary" data-testid="uptime">
              <p class="uptime-overall">
                <span class="uptime-big" data-testid="uptime-overall">
                  {uptimeText(h.uptime)}
                </span>{' '}
                <span class="muted small">
                  of {h.uptime.runs.toLocaleString()} runs succeeded{h.dataFrom !== undefined && h.dataFrom > h.from ? ` (since the first result, ${formatTime(h.dataFrom)})` : ''}
                </span>
              </p>
              <ul class="uptime-locations">
                {h.locations.map((l) => (
                  <li key={l.location} data-location={l.location}>
                    <span>{l.location}</span> <strong data-testid="uptime-location">{uptimeText(l.uptime)}</strong>
                  </li>
                ))}
              </ul>
            </div>
            {h.locations.length === 0 && <p class="muted">No runs in this window.</p>}
            <div class="latency-grid">
              {h.locations.map((l) => (
                <LatencyChart key={l.location} location={l.location} buckets={l.buckets} bucketMs={h.bucketMs} from={start} to={h.to} now={now} />
              ))}
            </div>
            {h.locations.length > 0 && <p class="muted small">Each point is the mean of the successful runs in {Math.round(h.bucketMs / 1000) >= 60 ? `${Math.round(h.bucketMs / 60_000)} min` : `${Math.round(h.bucketMs / 1000)} s`}; times in your zone.</p>}
          </>
        )}
        {!h && !history.error && <p class="muted chart-placeholder">Loading the history…</p>}
      </section>

      <section class="card" aria-labelledby="failures-title">
        <h2 id="failures-title">Recent failures</h2>
        {h && h.failures.length === 0 && <p class="muted">No failed run in the {WINDOW_WORDS[win]}.</p>}
        {h && h.failures.length > 0 && (
          <ul class="failures" data-testid="failures">
            {failureEpisodes(h.failures, durationMs(h.check.interval) ?? 60_000).map((f) => (
              <li key={f.key} data-class={f.errorClass} data-runs={String(f.runs)}>
                <span class="failure-class">{resultWords({ ok: false, errorClass: f.errorClass, ...(f.status !== undefined ? { status: f.status } : {}) })}</span>
                <span class="small">
                  {f.location} · {f.runs === 1 ? formatTime(f.last) : `${f.runs} runs in a row, ${formatTime(f.first)} to ${formatTime(f.last)}`}
                </span>
                <span class="muted small failure-detail">{f.detail}</span>
              </li>
            ))}
          </ul>
        )}
        {h && h.failures.length >= 50 && <p class="muted small">The latest 50 failed runs.</p>}
      </section>
    </main>
  );
}

function MatrixItem({ row, report, now }: { row: MatrixRow; report: LocationReport | undefined; now: number }) {
  const last = row.last;
  const standing = report?.standing;
  return (
    <li class="matrix-row" data-location={row.location} data-ok={last ? String(last.ok) : undefined} data-standing={standing}>
      <span class="matrix-location">{row.location}</span>
      <span class={`matrix-result ${last ? (last.ok ? 'ok' : 'bad') : 'muted'}`} data-testid="matrix-result">
        {last ? resultWords(last) : 'waiting for the first result'}
        {last?.ok ? ` · ${last.latencyMs} ms` : ''}
      </span>
      {standing && (
        <span class={`standing standing-${standing}`} title={STANDING_HINT[standing]}>
          {STANDING_WORDS[standing]}
        </span>
      )}
      <span class="cells" role="img" aria-label={`${row.recent.filter((r) => r.ok).length} of ${row.recent.length} recent runs succeeded`}>
        {[...row.recent].reverse().map((r) => (
          <span key={r.id} class={r.ok ? 'cell-ok' : 'cell-bad'} title={`${formatTime(r.at)}: ${r.ok ? `OK, ${r.latencyMs} ms` : classWords(r.errorClass)}`} />
        ))}
      </span>
      {last && !last.ok && <span class="muted small matrix-detail">{last.detail}</span>}
      {last && <span class="muted small matrix-when">{agoText(last.at, now)}</span>}
    </li>
  );
}
