import type { LabelledFile } from './labelled-file.js';
import type { CostMatrix } from './profiles.js';
import { scoreFile } from './score-file.js';
import type { FileScore } from './score-file.js';
import { sweepScores } from './sweep-scores.js';
import { bestThreshold, normalise } from './threshold-sweep.js';

export interface CorpusScore {
  threshold: number;
  rawScore: number;
  /** 0 = null detector, 100 = perfect, for this corpus's window count. */
  score: number;
  windows: number;
  files: (FileScore & { name: string; windows: number })[];
}

/** Scores a detector's output over a set of files under one profile, as NAB does (§6–§8). */
export function scoreCorpus(files: readonly LabelledFile[], cost: CostMatrix): CorpusScore {
  for (const f of files) {
    for (let i = 0; i < f.scores.length; i++) {
      const s = f.scores[i];
      if (!(s >= 0 && s <= 1)) throw new Error(`${f.name}: anomaly score ${s} at row ${i} is outside [0, 1]`);
    }
  }
  const prepared = files.map((f) => ({ file: f, scores: f.scores, rows: sweepScores(f.scores.length, f.windows, cost) }));
  const best = bestThreshold(prepared, cost);
  const perFile = prepared.map(({ file, rows }) => ({
    name: file.name,
    windows: rows.scoredWindows.length,
    ...scoreFile(file.scores, rows, cost, best.threshold),
  }));
  const windows = perFile.reduce((sum, f) => sum + f.windows, 0);
  const rawScore = perFile.reduce((sum, f) => sum + f.rawScore, 0);
  return { threshold: best.threshold, rawScore, score: normalise(rawScore, windows, cost), windows, files: perFile };
}
