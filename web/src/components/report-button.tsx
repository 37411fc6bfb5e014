import { useRef, useState } from 'preact/hooks';
import { submitReport, type ReportOutcome } from '../api/client.js';
import { PROBLEMS } from '../api/types.js';

const PROBLEM_LABEL: Record<string, string> = {
  app: 'Mobile app',
  website: 'Website',
  login: 'Log in',
  feed: 'Feed / timeline',
  notifications: 'Notifications',
  connection: 'Server connection',
  other: 'Something else',
};

/** The page's main action: pick what is broken, send, and see plainly what happened. */
export function ReportButton({ slug, name, onReported }: { slug: string; name: string; onReported: () => void }) {
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<string>('app');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<ReportOutcome>();
  const first = useRef<HTMLInputElement>(null);

  const start = (): void => {
    setOutcome(undefined);
    setOpen(true);
    requestAnimationFrame(() => first.current?.focus());
  };
  const send = async (e: Event): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    const result = await submitReport(slug, problem);
    setBusy(false);
    setOutcome(result);
    setOpen(false);
    if (result.kind === 'accepted') onReported();
  };

  return (
    <section class="report-box" aria-labelledby="report-title">
      <h2 id="report-title" class="visually-hidden">
        Report a problem
      </h2>
      {!open && (
        <button type="button" class="report-cta" onClick={start} data-testid="report-cta">
          <span aria-hidden="true">⚠</span> I have a problem with {name}
        </button>
      )}
      {open && (
        <form class="report-form" onSubmit={(e) => void send(e)}>
          <fieldset>
            <legend>What is not working?</legend>
            <div class="problem-grid">
              {PROBLEMS.map((p, i) => (
                <label key={p} class="problem-option">
                  <input ref={i === 0 ? first : undefined} type="radio" name="problem" value={p} checked={problem === p} onChange={() => setProblem(p)} />
                  {PROBLEM_LABEL[p]}
                </label>
              ))}
            </div>
          </fieldset>
          <div class="form-actions">
            <button type="submit" class="primary" disabled={busy} data-testid="report-submit">
              {busy ? 'Sending…' : 'Send report'}
            </button>
            <button type="button" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      <div role="status" aria-live="polite" data-testid="report-outcome" data-kind={outcome?.kind ?? ''}>
        {outcome?.kind === 'accepted' && (
          <p class="notice ok">
            <span aria-hidden="true">✔</span> Thanks — your report about <strong>{PROBLEM_LABEL[problem] ?? problem}</strong> was counted.
          </p>
        )}
        {outcome?.kind === 'duplicate' && (
          <p class="notice warn">
            <span aria-hidden="true">ℹ</span> You have already reported a problem with this service recently: your first report counts, this one was not added.
          </p>
        )}
        {outcome?.kind === 'rate_limited' && (
          <p class="notice warn">
            <span aria-hidden="true">⚠</span> Too many reports come from your network right now, so this one was not counted.
            {outcome.retryAfterS ? ` Please try again in ${Math.ceil(outcome.retryAfterS / 60)} min.` : ' Please try again later.'} ({outcome.message})
          </p>
        )}
        {outcome?.kind === 'error' && (
          <p class="notice err">
            <span aria-hidden="true">✖</span> The report could not be sent: {outcome.message}
          </p>
        )}
      </div>
    </section>
  );
}
