import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_TP, scaledSigmoid } from './scaled-sigmoid.js';
import { locateWindows, probationLength } from './labelled-file.js';
import type { Window } from './labelled-file.js';
import { PROFILES } from './profiles.js';
import { sweepScores } from './sweep-scores.js';
import { scoreFile } from './score-file.js';
import { bestThreshold, normalise } from './threshold-sweep.js';
import { scoreCorpus } from './score-corpus.js';

const std = PROFILES.standard;

/** Scores for a 100-row file (probation 15) with detections (score 1) at the given rows. */
function detectionsAt(rows: number[], length = 100): Float64Array {
  const scores = new Float64Array(length);
  for (const r of rows) scores[r] = 1;
  return scores;
}

function rawScore(detections: number[], windows: Window[], cost = std): number {
  const scores = detectionsAt(detections);
  return scoreFile(scores, sweepScores(scores.length, windows, cost), cost, 0.5).rawScore;
}

describe('scaled sigmoid', () => {
  it('matches the reference values of SCORING.md §3', () => {
    expect(scaledSigmoid(-1)).toBeCloseTo(0.986614, 6);
    expect(MAX_TP).toBeCloseTo(0.986614, 6);
    expect(scaledSigmoid(-0.5)).toBeCloseTo(0.848284, 6);
    expect(scaledSigmoid(0)).toBe(0);
    expect(scaledSigmoid(1)).toBeCloseTo(-0.986614, 6);
    expect(scaledSigmoid(3)).toBeCloseTo(-0.9999994, 7);
    expect(scaledSigmoid(3.0001)).toBe(-1);
  });
});

describe('probation', () => {
  it('is 15% of the rows up to 5000 rows, then 750', () => {
    expect(probationLength(100)).toBe(15);
    expect(probationLength(4032)).toBe(604);
    expect(probationLength(5000)).toBe(750);
    expect(probationLength(15_902)).toBe(750);
  });

  it('ignores detections in the probationary rows', () => {
    expect(rawScore([3, 14], [])).toBe(0);
    expect(rawScore([15], [])).toBeCloseTo(-0.11, 12);
  });
});

describe('file score', () => {
  const w = [{ start: 40, end: 49 }]; // width 10

  it('gives exactly tpWeight for a detection on the first row of a window', () => {
    expect(rawScore([40], w)).toBeCloseTo(1, 12);
  });

  it('counts only the earliest detection in a window', () => {
    const mid = scaledSigmoid(-0.5) / MAX_TP;
    expect(rawScore([45], w)).toBeCloseTo(mid, 12);
    expect(rawScore([45, 46, 47, 49], w)).toBeCloseTo(mid, 12);
    expect(rawScore([49], w)).toBeCloseTo(Math.tanh(2.5 / 10) / MAX_TP, 12);
  });

  it('penalises a miss with -fnWeight', () => {
    expect(rawScore([], w)).toBe(-1);
    expect(rawScore([], w, PROFILES.reward_low_FN_rate)).toBe(-2);
  });

  it('penalises false positives from the previous window with the sigmoid and W - 1', () => {
    // Row 58 is 9 rows (= W - 1) after the window's last row: y = 1.
    expect(rawScore([40, 58], w)).toBeCloseTo(1 + scaledSigmoid(1) * 0.11, 12);
    // Right after the window the penalty is small; far after, the full fpWeight.
    expect(rawScore([40, 50], w)).toBeCloseTo(1 + scaledSigmoid(1 / 9) * 0.11, 12);
    expect(rawScore([40, 90], w)).toBeCloseTo(1 - 0.11, 12);
    // Before any window, each detection costs exactly fpWeight, without debouncing.
    expect(rawScore([20, 21, 22, 40], w)).toBeCloseTo(1 - 3 * 0.11, 12);
  });

  it('does not give credit for firing just before a window', () => {
    expect(rawScore([39], w)).toBeCloseTo(-1 - 0.11, 12);
  });

  it('measures false positives from the most recent window only', () => {
    const two = [
      { start: 20, end: 29 },
      { start: 60, end: 69 },
    ];
    expect(rawScore([20, 60, 70], two)).toBeCloseTo(2 + scaledSigmoid(1 / 9) * 0.11, 12);
  });
});

describe('locating windows', () => {
  it('needs exact timestamp matches', () => {
    const times = [0, 300, 600, 900];
    expect(locateWindows('f', times, [[300, 600]])).toEqual([{ start: 1, end: 2 }]);
    expect(() => locateWindows('f', times, [[301, 600]])).toThrow(/does not match/);
  });
});

describe('threshold sweep and normalisation', () => {
  it('normalises with the window count of the scored subset', () => {
    expect(normalise(-39, 39, std)).toBe(0);
    expect(normalise(39, 39, std)).toBe(100);
    expect(normalise(-78, 39, PROFILES.reward_low_FN_rate)).toBe(0);
    expect(normalise(0, 116, std)).toBe(50);
  });

  it('scores the null detector 0 and a perfect detector 100', () => {
    const windows = [{ start: 40, end: 49 }];
    const constant = { name: 'a', scores: new Float64Array(100).fill(0.5), windows };
    const perfect = { name: 'a', scores: detectionsAt([40]), windows };
    const quiet = { name: 'b', scores: new Float64Array(100), windows: [] };
    for (const cost of Object.values(PROFILES)) {
      expect(scoreCorpus([constant, quiet], cost).score).toBe(0);
      expect(scoreCorpus([perfect, quiet], cost).score).toBe(100);
    }
  });

  it('picks the threshold among the distinct scores that maximises the corpus score', () => {
    const windows = [{ start: 40, end: 49 }];
    const scores = new Float64Array(100);
    scores[20] = 0.9; // FP before the window: costs 0.11
    scores[45] = 0.8; // detection halfway: +0.86
    scores[60] = 0.3; // FP: not worth it
    const best = bestThreshold([{ scores, rows: sweepScores(100, windows, std) }], std);
    expect(best.threshold).toBe(0.8);
    expect(best.rawScore).toBeCloseTo(scaledSigmoid(-0.5) / MAX_TP - 0.11, 12);
  });

  it('finds the same optimum as scoring every candidate threshold from scratch', () => {
    const file = fc
      .record({
        length: fc.integer({ min: 20, max: 120 }),
        cuts: fc.uniqueArray(fc.integer({ min: 0, max: 119 }), { maxLength: 6 }),
        levels: fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 120, maxLength: 120 }),
      })
      .map(({ length, cuts, levels }) => {
        const edges = cuts.filter((c) => c < length).sort((a, b) => a - b);
        const windows: Window[] = [];
        for (let k = 0; k + 1 < edges.length; k += 2) windows.push({ start: edges[k], end: edges[k + 1] });
        return { scores: Float64Array.from(levels.slice(0, length), (v) => v / 8), windows };
      });
    fc.assert(
      fc.property(fc.array(file, { minLength: 1, maxLength: 4 }), fc.constantFrom(...Object.values(PROFILES)), (files, cost) => {
        const prepared = files.map((f) => ({ scores: f.scores, rows: sweepScores(f.scores.length, f.windows, cost) }));
        const fast = bestThreshold(prepared, cost);
        let brute = -Infinity;
        for (const t of [1.1, ...new Set(files.flatMap((f) => Array.from(f.scores)))]) {
          const total = prepared.reduce((s, p) => s + scoreFile(p.scores, p.rows, cost, t).rawScore, 0);
          brute = Math.max(brute, total);
        }
        const corpus = scoreCorpus(
          files.map((f, i) => ({ name: String(i), ...f })),
          cost,
        );
        return Math.abs(fast.rawScore - brute) < 1e-9 && Math.abs(corpus.rawScore - brute) < 1e-9;
      }),
    );
  });

  it('rejects scores outside [0, 1]', () => {
    expect(() => scoreCorpus([{ name: 'x', scores: [0.2, 1.5], windows: [] }], std)).toThrow(/outside \[0, 1\]/);
  });
});
