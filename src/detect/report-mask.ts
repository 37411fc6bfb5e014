import { DetectorStateError } from './detector-state.js';

/**
 * One event, one report. `score` has two opinions on the same series: resonance novelty (at
 * the end of each block of values) and the onset score (at full resolution). A surge is often
 * reported by both, a few values apart: the onset score at its first value, resonance novelty
 * at the end of its block. Inside an anomaly window that costs nothing (NAB counts the first
 * detection of a window), outside it is two false positives for one event.
 *
 * Each opinion already masks itself: resonance novelty for 1.5 of its windows after an anomaly
 * (unless the new match is clearly worse), the onset score by counting only what exceeds its
 * recent peak. The mask does the same across them: within `span` values after one opinion
 * reported, a report of the other counts only by what it exceeds that report (so a clearly
 * larger second report still counts, in part). Reports are remembered unmasked, so a masked
 * report still masks the other opinion in turn.
 */
export interface ReportMaskState {
  /** Values seen. */
  n: number;
  /** Per opinion: the value index of its last report (−1: none yet) and its score. */
  noveltyAt: number;
  noveltyScore: number;
  onsetAt: number;
  onsetScore: number;
}

export class ReportMask {
  private s: ReportMaskState;

  constructor(
    private readonly span: number,
    state?: ReportMaskState,
  ) {
    if (!(span >= 0)) throw new RangeError(`report mask span must be non-negative, not ${span}`);
    this.s = state ? { ...state } : { n: 0, noveltyAt: -1, noveltyScore: 0, onsetAt: -1, onsetScore: 0 };
  }

  /**
   * The two opinions' scores for the next value (0: no report), combined into one: the larger
   * of the two after each is masked by the other's recent report.
   */
  combine(novelty: number, onset: number): number {
    const s = this.s;
    const i = s.n++;
    const n = novelty > 0 ? this.masked(novelty, i, s.onsetAt, s.onsetScore) : 0;
    const o = onset > 0 ? this.masked(onset, i, s.noveltyAt, s.noveltyScore) : 0;
    if (novelty > 0) {
      s.noveltyAt = i;
      s.noveltyScore = novelty;
    }
    if (onset > 0) {
      s.onsetAt = i;
      s.onsetScore = onset;
    }
    return Math.max(n, o);
  }

  snapshot(): ReportMaskState {
    return { ...this.s };
  }

  private masked(score: number, i: number, otherAt: number, otherScore: number): number {
    return otherAt >= 0 && i - otherAt <= this.span ? Math.max(0, score - otherScore) : score;
  }
}

/** Checks a report-mask snapshot (from a database, perhaps of another build) before it is used. */
export function parseReportMaskState(value: unknown): ReportMaskState {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DetectorStateError('detector state: reportMask is not an object');
  const s = value as Record<string, unknown>;
  for (const k of ['n', 'noveltyAt', 'noveltyScore', 'onsetAt', 'onsetScore']) {
    if (typeof s[k] !== 'number' || !Number.isFinite(s[k])) throw new DetectorStateError(`detector state: reportMask ${k} is not a finite number`);
  }
  if (!Number.isInteger(s.n) || (s.n as number) < 0) throw new DetectorStateError('detector state: reportMask n is not a non-negative integer');
  for (const k of ['noveltyAt', 'onsetAt']) {
    if (!Number.isInteger(s[k]) || (s[k] as number) < -1 || (s[k] as number) >= (s.n as number)) throw new DetectorStateError(`detector state: reportMask ${k} is not −1 or a value index before n`);
  }
  return { n: s.n as number, noveltyAt: s.noveltyAt as number, noveltyScore: s.noveltyScore as number, onsetAt: s.onsetAt as number, onsetScore: s.onsetScore as number };
}
