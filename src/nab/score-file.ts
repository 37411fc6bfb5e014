import type { RowScores } from './sweep-scores.js';
import type { CostMatrix } from './profiles.js';

/** One file's raw score at a threshold, with the counts that explain it (SCORING.md §6). */
export interface FileScore {
  rawScore: number;
  /** Rows at or above the threshold outside probation. */
  detections: number;
  /** Windows with at least one detection / without any. */
  windowsHit: number;
  windowsMissed: number;
  /** Detected rows outside every window. */
  falsePositives: number;
}

export function scoreFile(scores: ArrayLike<number>, rows: RowScores, cost: CostMatrix, threshold: number): FileScore {
  const best = new Map<number, number>();
  let fpSum = 0;
  let detections = 0;
  let falsePositives = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = rows.sweep[i];
    if (Number.isNaN(s) || !(scores[i] >= threshold)) continue;
    detections++;
    const w = rows.window[i];
    if (w < 0) {
      fpSum += s;
      falsePositives++;
    } else if (!best.has(w) || s > (best.get(w) as number)) {
      best.set(w, s);
    }
  }
  let windowSum = 0;
  let windowsHit = 0;
  for (const w of rows.scoredWindows) {
    const s = best.get(w);
    if (s === undefined) windowSum -= cost.fnWeight;
    else {
      windowSum += s;
      windowsHit++;
    }
  }
  return {
    rawScore: windowSum + fpSum,
    detections,
    windowsHit,
    windowsMissed: rows.scoredWindows.length - windowsHit,
    falsePositives,
  };
}
