import { useState } from 'preact/hooks';
import { subscribe } from '../api/client.js';

/** Mail sign-up (when the server has SMTP) and the history feeds. */
export function SubscribeBox({ scope, email, feeds, name }: { scope: string; email: boolean; feeds: { atom: string; rss: string }; name: string }) {
  const [state, setState] = useState<{ busy: boolean; ok?: boolean; message?: string }>({ busy: false });
  return (
    <section class="card" aria-labelledby="subscribe-title">
      <h2 id="subscribe-title">Get updates</h2>
      {email && (
        <form
          class="subscribe-form"
          data-testid="subscribe"
          onSubmit={(e) => {
            e.preventDefault();
            const address = (new FormData(e.currentTarget).get('email') as string | null) ?? '';
            setState({ busy: true });
            void subscribe(address, scope).then((r) => setState({ busy: false, ok: r.ok, message: r.message }));
          }}
        >
          <label for="subscribe-email">Mail me when {name} has an incident or maintenance</label>
          <div class="subscribe-row">
            <input id="subscribe-email" name="email" type="email" required maxLength={254} autoComplete="email" placeholder="you@example.com" />
            <button class="primary" type="submit" disabled={state.busy}>Subscribe</button>
          </div>
          <p role="status" aria-live="polite" class={state.message ? (state.ok ? 'notice ok' : 'notice err') : 'visually-hidden'}>
            {state.message ?? ''}
          </p>
        </form>
      )}
      <p class="small">
        Feeds: <a href={feeds.atom}>Atom</a> · <a href={feeds.rss}>RSS</a>
      </p>
    </section>
  );
}
