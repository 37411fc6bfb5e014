import type { AlertRepository, Delivery, DeliveryStatus } from '../store/alert-repository.js';
import type { Clock } from '../time/clock.js';
import { backoffDelay, type BackoffPolicy } from './backoff.js';
import type { Notifier } from './notifier.js';

export type Sleep = (ms: number) => Promise<void>;

/**
 * Sends one delivery, retrying with exponential backoff while the failure is worth
 * retrying, and records every attempt (time, outcome, response code, error). When the
 * server stops, a delivery still worth retrying is left `retrying`: the next start resumes it.
 */
export async function deliverWithRetries(
  notifier: Notifier,
  delivery: Delivery,
  deps: { repo: AlertRepository; clock: Clock; sleep: Sleep; policy: BackoffPolicy; stopped?: () => boolean },
): Promise<DeliveryStatus> {
  const { policy } = deps;
  // A delivery resumed after a restart continues from its next attempt, at once: the
  // restart took longer than most backoffs.
  const first = delivery.attempts + 1;
  for (let attempt = first; attempt <= policy.maxAttempts; attempt++) {
    if (attempt > first) await deps.sleep(backoffDelay(policy, attempt));
    if (deps.stopped?.()) return 'retrying';
    const at = deps.clock.now();
    const started = performance.now();
    const result = await notifier.send(delivery.message);
    const durationMs = performance.now() - started;
    const last = attempt === policy.maxAttempts || !result.retryable;
    const status: DeliveryStatus = result.ok ? 'delivered' : last ? 'failed' : 'retrying';
    await deps.repo.recordAttempt(
      {
        deliveryId: delivery.id, attempt, at, ok: result.ok, durationMs,
        ...(result.statusCode !== undefined ? { responseCode: result.statusCode } : {}),
        ...(result.error !== undefined ? { error: result.error } : {}),
      },
      status,
    );
    if (status !== 'retrying' || deps.stopped?.()) return status;
  }
  return 'failed';
}
