import type { CorpusFile } from './load-corpus.js';
import type { CostMatrix } from './profiles.js';
import { scoreFile } from './score-file.js';
import { sweepScores } from './sweep-scores.js';
import type { RowScores } from './sweep-scores.js';
import { bestThreshold, normalise } from './threshold-sweep.js';

/**
 * Scoring on part of a corpus, for cross-validation: NAB's optimiser picks the threshold on
 * the `train` files only, and the `test` files are scored at that threshold, so nothing about
 * the test files' labels reaches the choice (SCORING.md §7 does the same on the whole corpus).
 */
export interface SplitScore {
  threshold: number;
  /** Normalised score of the train files at their own best threshold. */
  train: number;
  /** Normalised score of the test files at the train threshold (NaN if they have no windows). */
  test: number;
  /** Raw score and window count of the test files, to pool several splits. */
  testRaw: number;
  testWindows: number;
  /** Detections outside every window among the test files. */
  testFalsePositives: number;
}

/** Sweep scores per file, computed once per profile and reused across every split. */
export function rowScores(corpus: readonly CorpusFile[], cost: CostMatrix): RowScores[] {
  return corpus.map((f) => sweepScores(f.values.length, f.windows, cost));
}

export function scoreSplit(
  scores: readonly ArrayLike<number>[],
  rows: readonly RowScores[],
  train: readonly number[],
  test: readonly number[],
  cost: CostMatrix,
): SplitScore {
  const { threshold } = bestThreshold(
    train.map((i) => ({ scores: scores[i], rows: rows[i] })),
    cost,
  );
  const at = (files: readonly number[]): { score: number; raw: number; windows: number; falsePositives: number } => {
    let raw = 0;
    let windows = 0;
    let falsePositives = 0;
    for (const i of files) {
      const s = scoreFile(scores[i], rows[i], cost, threshold);
      raw += s.rawScore;
      windows += rows[i].scoredWindows.length;
      falsePositives += s.falsePositives;
    }
    return { score: windows > 0 ? normalise(raw, windows, cost) : Number.NaN, raw, windows, falsePositives };
  };
  const t = at(test);
  return { threshold, train: at(train).score, test: t.score, testRaw: t.raw, testWindows: t.windows, testFalsePositives: t.falsePositives };
}
