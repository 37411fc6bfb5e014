import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { learningPeriod, noiseOfMeans, ResonanceNovelty } from './resonance-novelty.js';
import type { ResonanceOptions, ResonanceState } from './resonance-novelty.js';
import { parseResonanceState } from './resonance-state.js';
import { seededRng as rng } from '../simulate/random.js';

const OPTIONS: ResonanceOptions = { learnPoints: 750, window: 8, windowsPerLearn: 13, levels: 80, chomp: 0.075, initialRho: 0.8, pad: 1, expandPad: 0.25, categories: 128 };

/** A regular series: a slow wave with noise, and a spike at `spikeAt`. */
function series(n: number, spikeAt: number, seed = 3): number[] {
  const rand = rng(seed);
  return Array.from({ length: n }, (_, i) => 100 + 20 * Math.sin((2 * Math.PI * i) / 288) + 4 * (rand() - 0.5) + (i >= spikeAt && i < spikeAt + 6 ? 150 : 0));
}

describe('ResonanceNovelty', () => {
  it('learns for NAB’s probationary period: blocks sized so that it holds 13 windows of 8', () => {
    expect(learningPeriod({ learnPoints: 750, window: 8, windowsPerLearn: 13 })).toEqual({ step: 7, learn: 107 });
    expect(learningPeriod({ learnPoints: 604, window: 8, windowsPerLearn: 13 })).toEqual({ step: 5, learn: 120 });
    expect(learningPeriod({ learnPoints: 243, window: 8, windowsPerLearn: 13 })).toEqual({ step: 2, learn: 121 });
    expect(learningPeriod({ learnPoints: 186, window: 8, windowsPerLearn: 13 })).toEqual({ step: 1, learn: 186 });
    // Never fewer than 4 windows of values.
    expect(learningPeriod({ learnPoints: 3, window: 8, windowsPerLearn: 13 })).toEqual({ step: 1, learn: 32 });
    // The coarse network: twice the step over the same values, so half the windows.
    expect(learningPeriod({ learnPoints: 750, window: 8, windowsPerLearn: 13, coarse: 2 })).toEqual({ step: 14, learn: 53 });
    expect(learningPeriod({ learnPoints: 604, window: 8, windowsPerLearn: 13, coarse: 2 })).toEqual({ step: 10, learn: 60 });
    expect(learningPeriod({ learnPoints: 3, window: 8, windowsPerLearn: 13, coarse: 2 })).toEqual({ step: 2, learn: 16 });
  });

  it('as the coarse network (block means, twice the step), scores a wave whose swing halves, which it never did before', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const rand = rng(seed);
      // A daily-like wave of 288 values; from value 2000 on it swings half as far, inside its usual values.
      const xs = Array.from({ length: 2300 }, (_, i) => 100 + (i < 2000 ? 20 : 10) * Math.sin((2 * Math.PI * i) / 288) + 4 * (rand() - 0.5));
      const r = new ResonanceNovelty({ ...OPTIONS, coarse: 2 });
      expect(r.step).toBe(14);
      const scores = xs.map((x) => r.update(x));
      expect(Math.max(...scores.slice(0, 2000))).toBe(0);
      expect(Math.max(...scores.slice(2000))).toBeGreaterThan(0.4);
      scores.forEach((s, i) => {
        if (s > 0) expect((i + 1) % 14).toBe(0);
      });
    }
  });

  it('as the coarse network, reports nothing on white noise: its chomp covers the sampling noise of block means', () => {
    // Uniform white noise like NAB's art_noisy (values 8–19, 4,032 rows, 604 learned). The
    // means of 10 values vary with sd ≈ 1, 2.4 of the 80 levels; the chomp alone (6 levels) let
    // a mean 2.5 sd out escape about once in 80 blocks, among a flat learned world, or snapped a
    // whole window to a median one level off: a new pattern either way.
    const options = { ...OPTIONS, learnPoints: 604, coarse: 2 };
    let reportedBefore = 0;
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const rand = rng(seed);
      const xs = Array.from({ length: 4032 }, () => 8 + 11 * rand());
      const covered = new ResonanceNovelty({ ...options, noise: 5 });
      expect(xs.map((x) => covered.update(x)).filter((s) => s > 0), `seed ${seed}`).toEqual([]);
      const chompOnly = new ResonanceNovelty({ ...options, noise: 0 });
      if (Math.max(...xs.map((x) => chompOnly.update(x))) > 0.5) reportedBefore++;
    }
    // Without it, 7 of these 8 series had reports of 0.53–0.92.
    expect(reportedBefore).toBeGreaterThanOrEqual(6);
  });

  it('estimates the noise of block means from their successive differences, unmoved by a level shift among them', () => {
    const rand = rng(11);
    const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    // Means of 10 values of sd 3: sd 3/√10 ≈ 0.95; 200 of them, with a shift of 20 halfway.
    const means = Array.from({ length: 200 }, (_, k) => (k < 100 ? 50 : 70) + (3 / Math.sqrt(10)) * gauss());
    expect(noiseOfMeans(means)).toBeGreaterThan(0.8);
    expect(noiseOfMeans(means)).toBeLessThan(1.1);
    expect(noiseOfMeans([5, 5, 5, 5])).toBe(0);
    expect(noiseOfMeans([5])).toBe(0);
    expect(noiseOfMeans([])).toBe(0);
    expect(noiseOfMeans([-1e308, 1e308, -1e308])).toBe(0);
  });

  it('scores nothing while learning, and a spike it has never seen at the end of the block that holds it', () => {
    const r = new ResonanceNovelty(OPTIONS);
    const xs = series(3000, 2400);
    const scores = xs.map((x) => r.update(x));
    expect(scores.slice(0, 749).every((s) => s === 0)).toBe(true);
    const spike = scores.slice(2400, 2400 + r.step);
    expect(Math.max(...spike)).toBeGreaterThan(0.5);
    // Scores come only at block ends.
    scores.forEach((s, i) => {
      if (s > 0) expect((i + 1) % r.step).toBe(0);
    });
  });

  it('does not flag a familiar pattern after the range widened', () => {
    const r = new ResonanceNovelty(OPTIONS);
    const xs = series(6000, 2400);
    const scores = xs.map((x) => r.update(x));
    // Days later the ordinary wave, re-expressed in the wider range, is still familiar.
    expect(Math.max(...scores.slice(4000))).toBeLessThan(0.3);
  });

  it('resumes from a JSON snapshot exactly, while learning and after', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1999 }), fc.constantFrom(1, 2), (cut, coarse) => {
        const xs = series(2000, 1500, 5);
        const o = { ...OPTIONS, learnPoints: 400, coarse, noise: coarse > 1 ? 5 : 0 };
        const a = new ResonanceNovelty(o);
        for (const x of xs.slice(0, cut)) a.update(x);
        const learn = learningPeriod({ ...OPTIONS, learnPoints: 400, coarse }).learn;
        const saved = parseResonanceState(JSON.parse(JSON.stringify(a.snapshot())), { window: 8, levels: 80, learn, categories: 128 });
        const b = new ResonanceNovelty(o, saved);
        for (const x of xs.slice(cut)) expect(b.update(x)).toBe(a.update(x));
        expect(b.snapshot()).toEqual(a.snapshot());
      }),
      { numRuns: 25 },
    );
  });

  it('keeps scores in [0, 1] on arbitrary finite input', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { maxLength: 400 }), (xs) => {
        const r = new ResonanceNovelty({ ...OPTIONS, learnPoints: 40 });
        for (const x of xs) {
          const s = r.update(x);
          if (!(s >= 0 && s <= 1)) return false;
        }
        return true;
      }),
    );
  });

  it('refuses a window that is not a power of two, and a snapshot that does not fit its options', () => {
    expect(() => new ResonanceNovelty({ ...OPTIONS, window: 6 })).toThrow(/power of two/);
    const r = new ResonanceNovelty(OPTIONS);
    for (const x of series(1000, 900)) r.update(x);
    const good = JSON.parse(JSON.stringify(r.snapshot())) as ResonanceState;
    const shape = { window: 8, levels: 80, learn: 107, categories: 128 };
    expect(() => parseResonanceState({ ...good, recent: [1, 2] }, shape)).toThrow(/resonance recent is not 8 finite numbers/);
    expect(() => parseResonanceState({ ...good, median: { ...good.median, level: 99 } }, shape)).toThrow(/median level is out of range/);
    expect(() => parseResonanceState({ ...good, vigilance: { ...good.vigilance, masking: 'no' } }, shape)).toThrow(/masking is not a boolean/);
    expect(() => parseResonanceState(good, { ...shape, levels: 60 })).toThrow(/bins is not 61 finite numbers/);
    expect(() => parseResonanceState(good, { ...shape, categories: 2 })).toThrow(/art count is not 0–2/);
    expect(() => parseResonanceState({ ...good, noise: -1 }, shape)).toThrow(/resonance noise is not a non-negative finite number/);
    expect(() => parseResonanceState({ ...good, usual: 81 }, shape)).toThrow(/resonance usual is not a level/);
    expect(() => parseResonanceState({ ...good, usual: 2.5 }, shape)).toThrow(/resonance usual is not a level/);
  });

  it('resumes a coarse network from a snapshot of an older build (no noise of means) chomping as that build did', () => {
    const rand = rng(4);
    const xs = Array.from({ length: 4032 }, () => 8 + 11 * rand());
    const options = { ...OPTIONS, learnPoints: 604, coarse: 2 };
    const learn = learningPeriod(options).learn;
    const shape = { window: 8, levels: 80, learn, categories: 128 };
    // The older build: the chomp alone (its snapshot had neither field).
    const old = new ResonanceNovelty({ ...options, noise: 0 });
    for (const x of xs.slice(0, 2000)) old.update(x);
    const { noise: _noise, usual: _usual, ...saved } = JSON.parse(JSON.stringify(old.snapshot())) as ResonanceState;
    const resumed = new ResonanceNovelty({ ...options, noise: 5 }, parseResonanceState(saved, shape));
    for (const x of xs.slice(2000)) expect(resumed.update(x)).toBe(old.update(x));
    // One saved while learning estimates the noise when its learning period ends.
    const learning = new ResonanceNovelty({ ...options, noise: 0 });
    for (const x of xs.slice(0, 300)) learning.update(x);
    const { noise: _n, usual: _u, ...early } = JSON.parse(JSON.stringify(learning.snapshot())) as ResonanceState;
    const fresh = new ResonanceNovelty({ ...options, noise: 5 });
    for (const x of xs.slice(0, 300)) fresh.update(x);
    const late = new ResonanceNovelty({ ...options, noise: 5 }, parseResonanceState(early, shape));
    for (const x of xs.slice(300)) expect(late.update(x)).toBe(fresh.update(x));
    expect(late.snapshot().noise).toBeGreaterThan(0);
    // A new snapshot resumed with the option off (noise 0) chomps as the older build did.
    const off = new ResonanceNovelty({ ...options, noise: 0 }, parseResonanceState(JSON.parse(JSON.stringify(fresh.snapshot())), shape));
    const chompOnly = new ResonanceNovelty({ ...options, noise: 0 }, parseResonanceState({ ...JSON.parse(JSON.stringify(fresh.snapshot())), noise: 0 }, shape));
    for (const x of xs) expect(off.update(x)).toBe(chompOnly.update(x));
  });
});
