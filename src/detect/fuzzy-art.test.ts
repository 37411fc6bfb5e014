import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DualVigilanceArt } from './fuzzy-art.js';

const v = (...xs: number[]): Float64Array => Float64Array.from(xs);

describe('DualVigilanceArt', () => {
  it('resonates with what it learned, starts a category of a known cluster between the vigilance levels, and reports a mismatch below both', () => {
    const art = new DualVigilanceArt(4, 16);
    art.rhoLow = 0.3;
    art.rhoHigh = 0.9;
    art.present(v(0, 0, 0, 0), false); // brings up the uncommitted node
    expect(art.present(v(0.2, 0.2, 0.2, 0.2), true)).toBe('mismatch');
    expect(art.present(v(0.2, 0.2, 0.2, 0.2), true)).toBe('resonance');
    expect(art.activation).toBe(1);
    expect(art.energy).toBe(1);
    // Close in shape and level: between the two vigilance levels.
    expect(art.present(v(0.2, 0.2, 0.2, 0.35), true)).toBe('new-category');
    expect(art.activation).toBeGreaterThanOrEqual(0.3);
    expect(art.activation).toBeLessThan(0.9);
    // Far away: a new cluster.
    expect(art.present(v(0.9, 0.9, 0.9, 0.9), true)).toBe('mismatch');
    expect(art.activation).toBeLessThan(0.3);
  });

  it('grows a box to take in what resonates with it', () => {
    const art = new DualVigilanceArt(4, 8);
    art.rhoLow = 0.5;
    art.rhoHigh = 0.5;
    art.present(v(0, 0, 0, 0), false);
    art.present(v(0.5, 0.5, 0.5, 0.5), true);
    expect(art.present(v(0.5, 0.5, 0.5, 0.55), true)).toBe('resonance');
    const box = art.snapshot().weights.slice(8, 16);
    // Lower corner, then one minus the upper corner: the last dimension now spans 0.5–0.55.
    expect(box[3]).toBeCloseTo(0.5);
    expect(1 - box[7]).toBeCloseTo(0.55);
    expect(art.present(v(0.5, 0.5, 0.5, 0.52), true)).toBe('resonance');
    expect(art.activation).toBe(1);
  });

  it('keeps at most its capacity of categories, giving up the one that resonated least recently', () => {
    const art = new DualVigilanceArt(4, 3);
    art.rhoLow = 0.95;
    art.rhoHigh = 0.95;
    art.present(v(0, 0, 0, 0), false);
    art.present(v(0.1, 0.1, 0.1, 0.1), true);
    art.present(v(0.9, 0.9, 0.9, 0.9), true);
    art.present(v(0.1, 0.1, 0.1, 0.1), true); // the first one is used again
    expect(art.present(v(0.5, 0.5, 0.5, 0.5), true)).toBe('mismatch');
    expect(art.snapshot().count).toBe(3);
    // 0.9 made way for 0.5; 0.1 is still known.
    expect(art.present(v(0.1, 0.1, 0.1, 0.1), true)).toBe('resonance');
    expect(art.present(v(0.9, 0.9, 0.9, 0.9), true)).toBe('mismatch');
  });

  it('re-expresses boxes when the scale of some dimensions changes, so the same raw values still resonate', () => {
    const art = new DualVigilanceArt(4, 8);
    art.rhoLow = 0.9;
    art.rhoHigh = 0.9;
    art.present(v(0, 0, 0, 0), false);
    art.present(v(0.3, 0.3, 0.4, 0.8), true);
    // Dimensions 2–3 now span twice the range, shifted: u → u/2 + 0.25.
    art.remap(2, 4, 0.5, 0.25);
    expect(art.present(v(0.3, 0.3, 0.45, 0.65), true)).toBe('resonance');
    expect(art.activation).toBe(1);
  });

  it('gives the same answers whether or not it remembers its last input (snapshots leave that out)', () => {
    // Inputs from a small set, so that repeats (the shortcut) are common.
    const inputs = [v(0.5, 0.5, 0.5, 0.5), v(0.5, 0.5, 0.5, 0.6), v(0.1, 0.4, 0.5, 0.5), v(0, 0, 1, 1), v(0.5, 0.45, 0.5, 0.5)];
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: inputs.length - 1 }), { minLength: 1, maxLength: 60 }), fc.double({ min: 0.2, max: 0.95, noNaN: true }), (picks, rho) => {
        const a = new DualVigilanceArt(4, 4);
        a.rhoLow = rho * 0.8;
        a.rhoHigh = rho;
        for (const p of picks) {
          const b = new DualVigilanceArt(4, 4, structuredClone(a.snapshot()));
          const ra = a.present(inputs[p], true);
          const rb = b.present(inputs[p], true);
          expect([ra, a.activation, a.energy]).toEqual([rb, b.activation, b.energy]);
          expect(a.snapshot()).toEqual(b.snapshot());
        }
      }),
    );
  });

  it('refuses a dimension that is not a multiple of 4 and a capacity below 2', () => {
    expect(() => new DualVigilanceArt(6, 8)).toThrow(/multiple of 4/);
    expect(() => new DualVigilanceArt(4, 1)).toThrow(/at least 2/);
  });
});
