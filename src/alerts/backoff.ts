export interface BackoffPolicy {
  maxAttempts: number;
  initialMs: number;
  maxMs: number;
}

/**
 * Wait before attempt `attempt` (2, 3, ...): initial, 2×, 4×, ... capped. No jitter: a
 * handful of channels cannot stampede a receiver, and fixed delays are easy to reason about.
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number): number {
  if (attempt <= 1) return 0;
  return Math.min(policy.maxMs, policy.initialMs * 2 ** (attempt - 2));
}
