import type { Detector, DetectorOutput, Observation } from '../detect/detector.js';

/**
 * NAB's "windowed Gaussian" baseline, rebuilt from its description: the mean and (population)
 * standard deviation of the last 6,400 values, refreshed every 100 values once the window is
 * full; the score of a value is the normal CDF of its z-score (so only high values score near 1).
 * Kept here to check the scorer against a published number, not used by the product.
 */
export function createWindowedGaussian(windowSize = 6400, stepSize = 100): Detector {
  const ring = new Float64Array(windowSize);
  let filled = 0;
  let head = 0;
  let pending: number[] = [];
  let sum = 0;
  let sumSq = 0;
  let mean = 0;
  let std = 1;
  const refresh = (): void => {
    mean = sum / filled;
    const variance = Math.max(0, sumSq / filled - mean * mean);
    std = variance > 0 ? Math.sqrt(variance) : 0.000001;
  };
  return {
    update(obs: Observation): DetectorOutput {
      const x = obs.value;
      const score = filled > 0 ? normalCdf((x - mean) / std) : 0;
      if (filled < windowSize) {
        ring[filled++] = x;
        sum += x;
        sumSq += x * x;
        refresh();
      } else {
        pending.push(x);
        if (pending.length === stepSize) {
          for (const v of pending) {
            const old = ring[head];
            sum += v - old;
            sumSq += v * v - old * old;
            ring[head] = v;
            head = (head + 1) % windowSize;
          }
          pending = [];
          refresh();
        }
      }
      return { score, expected: mean, upper: mean + 3 * std, lower: mean - 3 * std, alarm: false };
    },
    expect: () => mean,
    snapshot: () => ({ filled, mean, std }),
  };
}

/** Φ(z) through erfc (Numerical Recipes' Chebyshev fit, relative error below 1.2e-7). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
