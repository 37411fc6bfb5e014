/**
 * One benchmark file as the scorer sees it: row timestamps, the detector's scores, and the
 * anomaly windows located as row indices (SCORING.md §1, §2, §5).
 */
export interface LabelledFile {
  name: string;
  /** Detector scores in [0, 1], one per row. */
  scores: ArrayLike<number>;
  /** Windows as inclusive row ranges, sorted, not overlapping. */
  windows: readonly Window[];
}

export interface Window {
  start: number;
  end: number;
}

/** Rows below this index are not scored: min(floor(0.15 · rows), 750). */
export function probationLength(rows: number): number {
  return Math.min(Math.floor(0.15 * rows), 750);
}

/**
 * Turns window edges given as timestamps into row indices. NAB enters a window only on an exact
 * timestamp match, so an edge that is not a row of the file is an error, not a rounding.
 */
export function locateWindows(name: string, rowTimes: ArrayLike<number>, edges: readonly (readonly [number, number])[]): Window[] {
  const index = new Map<number, number>();
  for (let i = 0; i < rowTimes.length; i++) index.set(rowTimes[i], i);
  return edges.map(([a, b]) => {
    const start = index.get(a);
    const end = index.get(b);
    if (start === undefined || end === undefined || end < start) {
      throw new Error(`${name}: window ${new Date(a).toISOString()}..${new Date(b).toISOString()} does not match rows of the file`);
    }
    return { start, end };
  });
}
