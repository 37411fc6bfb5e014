import type { DeliveryResult } from '../notifier.js';

/**
 * POSTs a JSON body and classifies the answer: 2xx delivered; 408, 429 and 5xx worth
 * retrying; any other 4xx permanent (the URL or payload is wrong and will stay wrong);
 * network errors and timeouts worth retrying.
 */
export async function postJson(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<DeliveryResult> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Stormwatch-Alerts/1', ...headers },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text().catch(() => '');
    if (res.status >= 200 && res.status < 300) return { ok: true, statusCode: res.status, retryable: false };
    const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
    return { ok: false, statusCode: res.status, retryable, error: `HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}` };
  } catch (err) {
    const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
    const timedOut = e.name === 'TimeoutError' || e.name === 'AbortError';
    const detail = timedOut ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.cause?.message ?? e.message ?? String(err));
    return { ok: false, retryable: true, error: detail };
  }
}
