import { describe, expect, it } from 'vitest';
import { createWindowedGaussian, normalCdf } from './windowed-gaussian.js';

describe('windowed Gaussian baseline', () => {
  it('uses an accurate normal CDF', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-3)).toBeCloseTo(0.0013499, 6);
  });

  it('scores against the mean and population deviation of the values before each one', () => {
    const d = createWindowedGaussian(4, 2);
    expect(d.update({ t: 0, value: 1 }).score).toBe(0);
    // Window [1]: std 0 → 1e-6, so a higher value is certain, an equal one is 0.5.
    expect(d.update({ t: 1, value: 1 }).score).toBeCloseTo(0.5, 7);
    d.update({ t: 2, value: 3 });
    d.update({ t: 3, value: 3 }); // window [1, 1, 3, 3]: mean 2, std 1
    expect(d.update({ t: 4, value: 3 }).score).toBeCloseTo(normalCdf(1), 7);
    // The window slides only every 2 values once full: [3, 3, 3, 5] after these two.
    d.update({ t: 5, value: 5 });
    expect(d.update({ t: 6, value: 3.5 }).score).toBeCloseTo(normalCdf((3.5 - 3.5) / Math.sqrt(0.75)), 7);
  });
});
