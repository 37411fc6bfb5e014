/**
 * Anscombe's transform: Poisson counts of any mean come out with a variance close to 1, so one
 * robust z-score means the same at night (2 reports a minute) and by day (2,000). Extended to
 * negative values by mirroring, so arbitrary series (NAB) pass through a monotone, continuous map.
 */
const OFFSET = Math.sqrt(3 / 8);

export function stabilise(x: number): number {
  return x >= 0 ? 2 * Math.sqrt(x + 3 / 8) : 2 * (2 * OFFSET - Math.sqrt(-x + 3 / 8));
}

/** The inverse of `stabilise`, used to draw the baseline and the threshold in the value's own units. */
export function destabilise(y: number): number {
  const zero = 2 * OFFSET;
  if (y >= zero) {
    const h = y / 2;
    return h * h - 3 / 8;
  }
  const h = 2 * OFFSET - y / 2;
  return -(h * h - 3 / 8);
}
