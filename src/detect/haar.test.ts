import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { haarTransform, isPowerOfTwo } from './haar.js';

describe('haarTransform', () => {
  it('puts the scaled mean first and the details from coarsest to finest', () => {
    const out = new Float64Array(4);
    haarTransform(Float64Array.from([1, 1, 3, 3]), out, new Float64Array(4));
    // Averages (1+1)/√2 and (3+3)/√2, then their own: 8/2 = 4; coarse detail (2√2 − 6/√2)/√2 = −2.
    expect(Array.from(out).map((x) => Math.round(x * 1e9) / 1e9)).toEqual([4, -2, 0, 0]);
  });

  it('is orthonormal: it keeps the energy of any window', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 8, maxLength: 8 }), (xs) => {
        const out = new Float64Array(8);
        haarTransform(Float64Array.from(xs), out, new Float64Array(8));
        const e = (a: ArrayLike<number>): number => Array.from(a).reduce((s, x) => s + x * x, 0);
        expect(e(out)).toBeCloseTo(e(xs), 6);
      }),
    );
  });

  it('knows powers of two', () => {
    expect([1, 2, 3, 4, 6, 8, 16, 0.5].map(isPowerOfTwo)).toEqual([false, true, false, true, false, true, true, false]);
  });
});
