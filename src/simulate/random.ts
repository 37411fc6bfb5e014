/**
 * Seeded randomness for the simulator: the same seed gives the same reports, so scenario
 * tests and benchmarks are reproducible.
 */
export type Rng = () => number;

/** mulberry32: small, fast, and good enough for synthetic traffic. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(rng: Rng): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** Poisson variate: exact (Knuth) for small means, normal approximation above 30. */
export function poisson(rng: Rng, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(rng)));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng();
  while (p > limit) {
    k++;
    p *= rng();
  }
  return k;
}

/** Binomial variate: exact for small n, normal approximation for large n. */
function binomial(rng: Rng, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (n <= 60) {
    let k = 0;
    for (let i = 0; i < n; i++) if (rng() < p) k++;
    return k;
  }
  const k = Math.round(n * p + Math.sqrt(n * p * (1 - p)) * normal(rng));
  return Math.min(n, Math.max(0, k));
}

/** Splits `n` items over categories with the given weights (a multinomial draw). */
export function multinomial(rng: Rng, n: number, weights: readonly number[]): number[] {
  const out = new Array<number>(weights.length).fill(0);
  let left = n;
  let rest = weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < weights.length && left > 0; i++) {
    const k = i === weights.length - 1 ? left : binomial(rng, left, rest > 0 ? weights[i] / rest : 0);
    out[i] = k;
    left -= k;
    rest -= weights[i];
  }
  return out;
}
