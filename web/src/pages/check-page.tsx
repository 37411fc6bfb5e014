import { useEffect, useRef, useState } from 'preact/hooks';
import { HttpError } from '../api/client.js';
import { INSTANT_TYPES, isInstantType, startInstant, type InstantType } from '../api/instant.js';
import { useInstantCheck } from '../live/instant-stream.js';
import { classText, findings, tally } from '../model/instant-rows.js';
import { navigate, replaceLocation } from '../router.js';
import { useTitle } from '../use-title.js';
import './check-page.css';

const PLACEHOLDER: Record<InstantType, string> = {
  http: 'https://example.com/',
  tcp: 'example.com:443',
  dns: 'example.com',
  tls: 'example.com:443',
  icmp: 'example.com',
};

const STATE_TEXT = { pending: 'Checking…', ok: 'OK', failed: 'Failed', expired: 'No answer' } as const;

/**
 * `/check?type=http&target=...`: checks a target from every location now and fills one
 * row per location as the answers arrive. The address is the share link: without `id` the
 * page starts a check and adds its id to the address, so the link shows that check's rows.
 */
export function CheckPage({ search }: { search: URLSearchParams }) {
  const typeParam = search.get('type');
  const type: InstantType = isInstantType(typeParam) ? typeParam : 'http';
  const target = search.get('target') ?? '';
  const id = search.get('id') ?? undefined;
  const [startError, setStartError] = useState<{ status: number; message: string }>();
  const started = useRef<string | undefined>(undefined);
  useTitle(target ? `Check ${target}` : 'Check a target');

  useEffect(() => {
    if (id || !target) return;
    // Once per address: a re-render must not start a second check.
    const key = `${type} ${target}`;
    if (started.current === key) return;
    started.current = key;
    setStartError(undefined);
    startInstant(type, target).then(
      (check) => replaceLocation(`/check?${new URLSearchParams({ type, target, id: check.id })}`),
      (err: unknown) => setStartError({ status: err instanceof HttpError ? err.status : 0, message: err instanceof Error ? err.message : String(err) }),
    );
  }, [type, target, id]);

  const { check, error } = useInstantCheck(id);
  const counts = check ? tally(check) : undefined;

  return (
    <main id="main" class="check-page">
      <h1>Check a target from every location</h1>
      <form
        class="card check-form"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const nextType = String(form.get('type') ?? 'http');
          const nextTarget = String(form.get('target') ?? '').trim();
          if (!nextTarget) return;
          started.current = undefined;
          navigate(`/check?${new URLSearchParams({ type: nextType, target: nextTarget })}`);
        }}
      >
        <label>
          <span>Type</span>
          <select name="type" value={type} key={`type-${type}`}>
            {INSTANT_TYPES.map((t) => (
              <option value={t}>{t.toUpperCase()}</option>
            ))}
          </select>
        </label>
        <label class="check-target">
          <span>Target</span>
          <input name="target" type="text" required maxLength={2048} placeholder={PLACEHOLDER[type]} defaultValue={target} key={`target-${target}`} autocomplete="off" spellcheck={false} />
        </label>
        <button type="submit">Check</button>
      </form>

      {startError && (
        <p class="notice err" role="alert">
          {startError.status === 403
            ? 'Instant checks are not open to everyone on this server. Sign in on the Admin page to run one.'
            : startError.status === 429
              ? `Too many checks from your address: ${startError.message}`
              : `Could not start the check: ${startError.message}`}
        </p>
      )}
      {error && <p class="notice err">Could not load this check: {error}</p>}

      {check && counts && (
        <section class="card" aria-live="polite" aria-busy={!check.complete}>
          <div class="card-head">
            <h2>
              {check.type.toUpperCase()} <code class="check-shown-target">{check.target}</code>
            </h2>
            <span class="muted small" data-testid="check-summary">
              {counts.answered} of {counts.total} locations answered{counts.answered > 0 ? `, ${counts.ok} OK` : ''}
              {check.complete ? '' : ' · live'}
            </span>
          </div>
          <div class="check-table-wrap">
            <table class="check-table">
              <thead>
                <tr>
                  <th scope="col">Location</th>
                  <th scope="col">Result</th>
                  <th scope="col">Latency</th>
                  <th scope="col">Address</th>
                  <th scope="col">Found</th>
                </tr>
              </thead>
              <tbody>
                {check.rows.map((row) => (
                  <tr key={row.location} data-state={row.state} data-location={row.location}>
                    <th scope="row" data-label="Location">{row.location}</th>
                    <td data-label="Result">
                      <span class={`check-state check-${row.state}`}>{STATE_TEXT[row.state]}</span>
                      {row.state === 'failed' && <span class="check-class"> · {classText(row.errorClass)}</span>}
                      {row.state === 'failed' && row.detail && <span class="muted small check-detail">{row.detail}</span>}
                    </td>
                    <td data-label="Latency">{row.latencyMs !== undefined ? `${row.latencyMs} ms` : ''}</td>
                    <td data-label="Address"><code>{row.address ?? ''}</code></td>
                    <td data-label="Found">{findings(row)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {check.rows.length === 0 && <p class="muted">No location is connected to run this check.</p>}
          <p class="muted small">
            Share this check: <a href={`/check?${new URLSearchParams({ type: check.type, target, id: check.id })}`}>link to these results</a>. Latency is the probe
            itself, after the name was resolved; response bodies are never shown.
          </p>
        </section>
      )}
      {!id && !target && <p class="muted">Enter a URL, host:port or name: every location checks it at once and its row appears here as it answers.</p>}
    </main>
  );
}
