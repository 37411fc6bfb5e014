import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DetectorStateError } from './detector-state.js';
import { parseReportMaskState, ReportMask } from './report-mask.js';

/** Feeds (novelty, onset) pairs, one per value, and returns the combined scores. */
function run(mask: ReportMask, pairs: [number, number][]): number[] {
  return pairs.map(([n, o]) => mask.combine(n, o));
}

describe('ReportMask', () => {
  it('passes either opinion through when the other has not reported lately', () => {
    const out = run(new ReportMask(3), [
      [0, 0],
      [0.6, 0],
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0.7],
      [0.2, 0.9],
    ]);
    // The onset at index 5 is 4 values after the novelty at 1 (span 3): in full. At index 6 both
    // report at once: each is masked by the other's last report (novelty by the onset of
    // index 5, the onset by nothing, since novelty's last report is 5 values back).
    expect(out).toEqual([0, 0.6, 0, 0, 0, 0.7, 0.9]);
  });

  it('counts a report within the span of the other opinion only by what it exceeds that report', () => {
    // A surge: the onset score reports at its first value, resonance novelty at the end of the block.
    const out = run(new ReportMask(12), [
      [0, 0.8],
      [0, 0],
      [0, 0],
      [0.5, 0],
      [0, 0],
      [1, 0],
    ]);
    expect(out[0]).toBe(0.8);
    expect(out[3]).toBe(0);
    // A clearly larger second report still counts, by its excess.
    expect(out[5]).toBeCloseTo(0.2, 12);
  });

  it('does not mask an opinion by its own earlier reports (each masks itself already)', () => {
    expect(run(new ReportMask(12), [[0.4, 0], [0.3, 0], [0.9, 0]])).toEqual([0.4, 0.3, 0.9]);
    expect(run(new ReportMask(12), [[0, 0.4], [0, 0.3], [0, 0.9]])).toEqual([0.4, 0.3, 0.9]);
  });

  it('remembers reports unmasked: a masked report still masks the other opinion', () => {
    // Novelty 0.5, then an onset 0.6 (counts 0.1), then novelty 0.55: masked by the onset's 0.6, not by 0.1.
    const out = run(new ReportMask(12), [[0.5, 0], [0, 0.6], [0.55, 0]]);
    expect(out[0]).toBe(0.5);
    expect(out[1]).toBeCloseTo(0.1, 12);
    expect(out[2]).toBe(0);
  });

  it('with a span of 0 masks nothing (reports of the same value are combined by their maximum)', () => {
    expect(run(new ReportMask(0), [[0.5, 0], [0, 0.6], [0.7, 0.4]])).toEqual([0.5, 0.6, 0.7]);
  });

  it('never raises a score and stays within [0, max], whatever the reports (property)', () => {
    const score = fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true }));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.array(fc.tuple(score, score), { maxLength: 200 }), (span, pairs) => {
        const out = run(new ReportMask(span), pairs);
        out.forEach((s, i) => {
          expect(s).toBeGreaterThanOrEqual(0);
          expect(s).toBeLessThanOrEqual(Math.max(pairs[i][0], pairs[i][1]));
        });
      }),
    );
  });

  it('resumes from a JSON snapshot exactly where it left off', () => {
    const pairs: [number, number][] = Array.from({ length: 60 }, (_, i) => [i % 7 === 3 ? 0.3 + (i % 5) / 10 : 0, i % 11 === 5 ? 0.5 + (i % 3) / 10 : 0]);
    const whole = run(new ReportMask(8), pairs);
    const first = new ReportMask(8);
    const head = run(first, pairs.slice(0, 30));
    const resumed = new ReportMask(8, parseReportMaskState(JSON.parse(JSON.stringify(first.snapshot()))));
    expect([...head, ...run(resumed, pairs.slice(30))]).toEqual(whole);
  });

  it('refuses a snapshot that is not one, naming what is wrong', () => {
    const good = { n: 5, noveltyAt: 3, noveltyScore: 0.5, onsetAt: -1, onsetScore: 0 };
    expect(parseReportMaskState(good)).toEqual(good);
    expect(() => parseReportMaskState([])).toThrow(DetectorStateError);
    expect(() => parseReportMaskState({ ...good, onsetScore: Number.NaN })).toThrow(/onsetScore/);
    expect(() => parseReportMaskState({ ...good, n: 1.5 })).toThrow(/n is not/);
    expect(() => parseReportMaskState({ ...good, noveltyAt: 5 })).toThrow(/noveltyAt/);
    expect(() => parseReportMaskState({ ...good, onsetAt: -2 })).toThrow(/onsetAt/);
    expect(() => new ReportMask(-1)).toThrow(RangeError);
  });
});
