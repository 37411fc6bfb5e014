/**
 * NAB's scaled sigmoid of a relative position y in a window (SCORING.md §3): +0.987 at the
 * window's first row (y = -1), 0 at y = 0, falling towards -1 after it and clamped there past y = 3.
 */
export function scaledSigmoid(y: number): number {
  if (y > 3) return -1;
  return 2 / (1 + Math.exp(5 * y)) - 1;
}

/** The value at the earliest position of a window; in-window scores are divided by it. */
export const MAX_TP = scaledSigmoid(-1);
