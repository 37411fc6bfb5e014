import type { RowScores } from './sweep-scores.js';
import type { CostMatrix } from './profiles.js';

export interface SweepPoint {
  threshold: number;
  rawScore: number;
}

/**
 * NAB's optimiser (SCORING.md §7): pool every scored row of every file, lower the threshold
 * from 1.1 through each distinct anomaly score, update the corpus score incrementally, and keep
 * the best. Ties keep the higher threshold (the first one reached).
 */
export function bestThreshold(files: readonly { scores: ArrayLike<number>; rows: RowScores }[], cost: CostMatrix): SweepPoint {
  let total = 0;
  for (const f of files) total += f.scores.length;
  const score = new Float64Array(total);
  const sweep = new Float64Array(total);
  const window = new Int32Array(total);
  let windowCount = 0;
  let n = 0;
  for (const f of files) {
    for (let i = 0; i < f.scores.length; i++) {
      if (Number.isNaN(f.rows.sweep[i])) continue;
      score[n] = f.scores[i];
      sweep[n] = f.rows.sweep[i];
      window[n] = f.rows.window[i] < 0 ? -1 : windowCount + f.rows.window[i];
      n++;
    }
    windowCount += f.rows.windowCount;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[b] - score[a]);
  const contribution = new Float64Array(windowCount).fill(-cost.fnWeight);
  let scoredWindows = 0;
  for (const f of files) scoredWindows += f.rows.scoredWindows.length;
  let current = -cost.fnWeight * scoredWindows;
  let best: SweepPoint = { threshold: 1.1, rawScore: current };
  for (let k = 0; k < n; ) {
    const threshold = score[order[k]];
    for (; k < n && score[order[k]] === threshold; k++) {
      const i = order[k];
      const w = window[i];
      if (w < 0) current += sweep[i];
      else if (sweep[i] > contribution[w]) {
        current += sweep[i] - contribution[w];
        contribution[w] = sweep[i];
      }
    }
    if (current > best.rawScore) best = { threshold, rawScore: current };
  }
  return best;
}

/** Maps a raw corpus score onto 0 (null detector) .. 100 (perfect) for `windows` windows (§8). */
export function normalise(rawScore: number, windows: number, cost: CostMatrix): number {
  const nullScore = -cost.fnWeight * windows;
  const perfect = cost.tpWeight * windows;
  return (100 * (rawScore - nullScore)) / (perfect - nullScore);
}
