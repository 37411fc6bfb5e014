import { useTitle } from '../use-title.js';

const RESULTS: Record<string, { title: string; text: string }> = {
  confirmed: { title: 'Subscription confirmed', text: 'You will get a mail when an incident opens, at each update, when it is resolved, and when maintenance starts and ends. Every mail has a link to unsubscribe.' },
  unsubscribed: { title: 'Unsubscribed', text: 'Your address was removed. You will get no more mail from this status page.' },
  invalid: { title: 'This link does not work', text: 'It has expired or was changed. Subscribe again from the status page to get a new one.' },
};

/** Where the links of subscription mails land: says what happened. */
export function SubscriptionPage({ search }: { search: URLSearchParams }) {
  const result = RESULTS[search.get('result') ?? ''] ?? RESULTS.invalid;
  const scope = search.get('scope');
  useTitle(result.title);
  return (
    <main id="main">
      <h1 data-testid="subscription-result">{result.title}</h1>
      <p>{result.text}</p>
      <p>
        {scope && scope !== '*' ? <a href={`/status/${encodeURIComponent(scope)}`}>Back to the status page</a> : <a href="/">Back to all services</a>}
      </p>
    </main>
  );
}
