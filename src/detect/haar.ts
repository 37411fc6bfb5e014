/**
 * The orthonormal Haar wavelet transform of a window whose length is a power of two, written
 * to `out` as [overall average, coarsest detail, …, finest details] (the usual ordering of a
 * full decomposition). `scratch` has the window's length. No allocation.
 */
export function haarTransform(input: Float64Array, out: Float64Array, scratch: Float64Array): void {
  let n = input.length;
  scratch.set(input);
  while (n > 1) {
    const half = n >> 1;
    for (let k = 0; k < half; k++) {
      const a = scratch[2 * k];
      const b = scratch[2 * k + 1];
      out[k] = (a + b) * Math.SQRT1_2;
      out[half + k] = (a - b) * Math.SQRT1_2;
    }
    for (let k = 0; k < half; k++) scratch[k] = out[k];
    n = half;
  }
  out[0] = scratch[0];
}

export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 2 && (n & (n - 1)) === 0;
}
