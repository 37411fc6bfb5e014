import { fmix32 } from './hash.js';

/**
 * Fixed-size Bloom filter over 32-bit hashes: "was this source seen behaving normally
 * before the attack" in bounded memory however many sources a log holds. Filters built by
 * different workers over the same size merge by OR.
 */
export class BloomFilter {
  readonly bits: Uint32Array;
  private readonly mask: number;

  constructor(readonly log2Bits: number, bits?: Uint32Array, private readonly k = 3) {
    this.bits = bits ?? new Uint32Array((1 << log2Bits) >>> 5);
    this.mask = ((1 << log2Bits) - 1) >>> 0;
  }

  add(hash32: number): void {
    const h2 = fmix32(hash32 ^ 0x5bd1e995) | 1;
    for (let i = 0; i < this.k; i++) {
      const bit = ((hash32 + Math.imul(i, h2)) & this.mask) >>> 0;
      this.bits[bit >>> 5] |= 1 << (bit & 31);
    }
  }

  has(hash32: number): boolean {
    const h2 = fmix32(hash32 ^ 0x5bd1e995) | 1;
    for (let i = 0; i < this.k; i++) {
      const bit = ((hash32 + Math.imul(i, h2)) & this.mask) >>> 0;
      if ((this.bits[bit >>> 5] & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }

  merge(other: Uint32Array): void {
    for (let i = 0; i < this.bits.length; i++) this.bits[i] |= other[i];
  }
}
