import { fmix32 } from './hash.js';

/**
 * HyperLogLog distinct counter over 32-bit hashes (Flajolet et al. 2007, with linear
 * counting for small cardinalities). Fixed memory: 2^p bytes; standard error 1.04/sqrt(2^p).
 * Registers are a plain Uint8Array so that worker threads can ship and merge them.
 */
export class HyperLogLog {
  readonly registers: Uint8Array;
  private readonly shift: number;

  constructor(readonly p: number, registers?: Uint8Array) {
    if (p < 4 || p > 16) throw new RangeError('HyperLogLog precision must be in [4, 16]');
    this.registers = registers ?? new Uint8Array(1 << p);
    this.shift = 32 - p;
  }

  add(hash32: number): void {
    addToRegisters(this.registers, 0, this.p, this.shift, hash32);
  }

  merge(other: Uint8Array): void {
    mergeRegisters(this.registers, 0, other, 0, this.registers.length);
  }

  count(): number {
    return estimate(this.registers, 0, this.registers.length);
  }
}

/** Register update at `offset` (many small counters can share one array). */
export function addToRegisters(regs: Uint8Array, offset: number, p: number, shift: number, hash32: number): void {
  const idx = hash32 >>> shift;
  // The remaining bits get a second mix so that the rank is independent of the index.
  const w = (fmix32(hash32 ^ 0x9e3779b9) << p) >>> 0;
  const rank = w === 0 ? 33 - p : Math.clz32(w) + 1;
  const at = offset + idx;
  if (rank > regs[at]) regs[at] = rank;
}

export function mergeRegisters(into: Uint8Array, intoOffset: number, from: Uint8Array, fromOffset: number, m: number): void {
  for (let i = 0; i < m; i++) {
    const v = from[fromOffset + i];
    if (v > into[intoOffset + i]) into[intoOffset + i] = v;
  }
}

export function estimate(regs: Uint8Array, offset: number, m: number): number {
  let sum = 0;
  let zeros = 0;
  for (let i = 0; i < m; i++) {
    const r = regs[offset + i];
    sum += 2 ** -r;
    if (r === 0) zeros++;
  }
  const alpha = m === 16 ? 0.673 : m === 32 ? 0.697 : m === 64 ? 0.709 : 0.7213 / (1 + 1.079 / m);
  const raw = (alpha * m * m) / sum;
  if (raw <= 2.5 * m && zeros > 0) return Math.round(m * Math.log(m / zeros));
  return Math.round(raw);
}
