/**
 * A variance-stabilising transform for overdispersed counts. For a negative binomial with
 * dispersion r (variance μ + μ²/r), y = 2√r · asinh(√((x + 3/8) / r)) has a variance close to 1
 * at every mean: it is Anscombe's 2√(x + 3/8) for small counts (night-time reports are nearly
 * Poisson) and grows like a logarithm for large ones (daytime bursts are relative). Negative
 * values are mirrored, so any series passes through a monotone, continuous map.
 */
export interface Stabiliser {
  forward(x: number): number;
  inverse(y: number): number;
}

export function createStabiliser(dispersion: number): Stabiliser {
  const k = 2 * Math.sqrt(dispersion);
  const f = (v: number): number => k * Math.asinh(Math.sqrt((v + 3 / 8) / dispersion));
  const zero = f(0);
  const g = (y: number): number => {
    const s = Math.sinh(y / k);
    return dispersion * s * s - 3 / 8;
  };
  return {
    forward: (x) => (x >= 0 ? f(x) : 2 * zero - f(-x)),
    inverse: (y) => (y >= zero ? g(y) : -g(2 * zero - y)),
  };
}
