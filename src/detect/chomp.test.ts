import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chompLevels, snapsToMedian } from './chomp.js';

describe('the chomp', () => {
  it('snaps by whole levels: 0.075 of 80 levels snaps 5 levels away and never 6, whatever the median', () => {
    const within = chompLevels(0.075, 80);
    expect(within).toBe(6);
    for (let median = 0; median <= 80; median++) {
      for (const d of [-6, -5, 0, 5, 6]) {
        const level = median + d;
        if (level < 0 || level > 80) continue;
        expect(snapsToMedian(level, median, within), `median ${median}, ${d > 0 ? '+' : ''}${d}`).toBe(Math.abs(d) < 6);
      }
    }
  });

  it('depends only on the distance in levels (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 200 }), fc.double({ min: 0.01, max: 0.3, noNaN: true }), (a, b, shift, chomp) => {
        const within = chompLevels(chomp, 100);
        expect(snapsToMedian(a, b, within)).toBe(snapsToMedian(a + shift, b + shift, within));
        expect(snapsToMedian(a, b, within)).toBe(snapsToMedian(b, a, within));
      }),
    );
  });
});
