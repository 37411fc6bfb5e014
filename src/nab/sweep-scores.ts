import type { CostMatrix } from './profiles.js';
import { MAX_TP, scaledSigmoid } from './scaled-sigmoid.js';
import { probationLength } from './labelled-file.js';
import type { Window } from './labelled-file.js';

/**
 * Per-row "sweep scores" (SCORING.md §3): what each row would add if it were a detection.
 * `window[i]` is the index of the window holding row i, or -1; probationary rows get NaN.
 */
export interface RowScores {
  sweep: Float64Array;
  window: Int32Array;
  /** Windows with at least one scored row: each is a possible miss. */
  scoredWindows: number[];
  windowCount: number;
}

export function sweepScores(rows: number, windows: readonly Window[], cost: CostMatrix): RowScores {
  const probation = probationLength(rows);
  const sweep = new Float64Array(rows);
  const window = new Int32Array(rows).fill(-1);
  let next = 0;
  let previous: Window | undefined;
  for (let i = 0; i < rows; i++) {
    while (next < windows.length && windows[next].end < i) previous = windows[next++];
    const w = next < windows.length && windows[next].start <= i ? windows[next] : undefined;
    if (w) {
      const width = w.end - w.start + 1;
      sweep[i] = (scaledSigmoid(-(w.end - i + 1) / width) * cost.tpWeight) / MAX_TP;
      window[i] = next;
    } else if (previous) {
      const width = previous.end - previous.start + 1;
      // A one-row window would divide by zero; NAB never builds one, treat it as far past.
      const y = width > 1 ? Math.abs(i - previous.end) / (width - 1) : Number.POSITIVE_INFINITY;
      sweep[i] = scaledSigmoid(y) * cost.fpWeight;
    } else {
      sweep[i] = -cost.fpWeight;
    }
    if (i < probation) sweep[i] = Number.NaN;
  }
  const scoredWindows = windows.map((_, k) => k).filter((k) => windows[k].end >= probation);
  return { sweep, window, scoredWindows, windowCount: windows.length };
}
