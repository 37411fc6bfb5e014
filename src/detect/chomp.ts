/**
 * The chomp of resonance novelty: a quantised level this close to the running median level is
 * taken to be the usual level (ordinary noise around it). The test is made on whole levels.
 *
 * Why not on normalised values (|level/levels − median/levels| < chomp, as ARTime writes it):
 * with the default 0.075 of 80 levels the chomp is exactly 6 levels, and whether a difference of
 * 6 levels passed a strict `<` then depended on floating-point rounding of the two quotients,
 * which differs from one median level to the next (31 of the 75 possible median levels snapped
 * +6, a different 31 snapped −6). Whole levels make "within" mean what it says: strictly fewer
 * than chomp × levels levels away.
 */
export function chompLevels(chomp: number, levels: number): number {
  // chomp × levels is meant as an exact count when it is one (0.075 × 80 = 6).
  return Math.round(chomp * levels * 1e9) / 1e9;
}

/** Whether `level` counts as the median level `median` (both whole levels). */
export function snapsToMedian(level: number, median: number, within: number): boolean {
  return Math.abs(level - median) < within;
}
