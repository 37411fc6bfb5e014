/**
 * Anscombe's transform: Poisson counts of any mean come out with a variance close to 1, so one
 * robust z-score means the same at night (2 reports a minute) and by day (2,000). Negative
 * values are mirrored, so any series (NAB's included) passes through a monotone, continuous map.
 */
const ZERO = 2 * Math.sqrt(3 / 8);

export function stabilise(x: number): number {
  return x >= 0 ? 2 * Math.sqrt(x + 3 / 8) : 2 * ZERO - 2 * Math.sqrt(-x + 3 / 8);
}

/** The inverse of `stabilise`, to draw the baseline and the threshold in the value's own units. */
export function destabilise(y: number): number {
  // Floored so that rounding never turns stabilise(0) back into a tiny negative number.
  if (y >= ZERO) return Math.max(0, (y / 2) ** 2 - 3 / 8);
  return -(((2 * ZERO - y) / 2) ** 2 - 3 / 8);
}
