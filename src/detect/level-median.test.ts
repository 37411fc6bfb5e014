import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LevelMedian } from './level-median.js';

describe('LevelMedian', () => {
  it('tracks the median of the levels seen, to within the levels next to it', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 300 }), (levels) => {
        const m = new LevelMedian(20);
        const seen: number[] = [];
        let median = 0;
        for (const l of levels) {
          median = m.add(l);
          seen.push(l);
        }
        // It walks one level per value, so it may trail the true median by what the last
        // values moved it; it never leaves the span of the values seen.
        expect(median).toBeGreaterThanOrEqual(Math.min(...seen));
        expect(median).toBeLessThanOrEqual(Math.max(...seen));
        const below = seen.filter((l) => l < median).length;
        const above = seen.filter((l) => l > median).length;
        const s = m.snapshot();
        expect([s.below, s.above, s.n]).toEqual([below, above, seen.length]);
      }),
    );
  });

  it('finds the median of a long stationary stream', () => {
    const m = new LevelMedian(80);
    let median = 0;
    for (let i = 0; i < 5000; i++) median = m.add(30 + ((i * 7919) % 21) - 10);
    expect(median).toBe(30);
  });

  it('moves every count when the levels are re-expressed, and keeps its counts consistent', () => {
    const m = new LevelMedian(10);
    for (const l of [2, 4, 4, 6, 8]) m.add(l);
    m.remap((l) => Math.round(l / 2) + 5);
    const s = m.snapshot();
    expect(s.level).toBe(7);
    expect(s.bins[6] + s.bins[7] + s.bins[8] + s.bins[9]).toBe(5);
    expect(s.below + s.bins[s.level] + s.above).toBe(5);
  });
});
