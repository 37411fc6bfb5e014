import { fmix32 } from './hash.js';

const LOG2_CELLS = 22;
const MASK = (1 << LOG2_CELLS) - 1;

/**
 * When each source was first seen, in fixed memory (2 × 2^22 cells, 32 MB) however many
 * sources a log holds: each cell keeps the earliest time of any source hashed to it, and a
 * source's first sighting is the latest of its two cells. Collisions can only make a source
 * look older than it is (probability about (distinct sources / 4M)², 0.06% at 100,000), so
 * a rare bot may be taken for a returning visitor (lower recall) but a visitor is never
 * taken for a new source. Sketches from several workers merge by min.
 */
export class FirstSeenSketch {
  readonly cells: Uint32Array;

  constructor(cells?: Uint32Array) {
    this.cells = cells ?? new Uint32Array(2 << LOG2_CELLS);
  }

  /** `t` in Unix seconds (stored +1 so that 0 means empty). */
  add(hash32: number, t: number): void {
    const v = t + 1;
    const a = hash32 & MASK;
    const b = (1 << LOG2_CELLS) + (fmix32(hash32 ^ 0x27d4eb2d) & MASK);
    const cells = this.cells;
    if (cells[a] === 0 || v < cells[a]) cells[a] = v;
    if (cells[b] === 0 || v < cells[b]) cells[b] = v;
  }

  /** Earliest possible first sighting, or +Infinity when never seen. */
  firstSeen(hash32: number): number {
    const x = this.cells[hash32 & MASK];
    const y = this.cells[(1 << LOG2_CELLS) + (fmix32(hash32 ^ 0x27d4eb2d) & MASK)];
    if (x === 0 || y === 0) return Number.POSITIVE_INFINITY;
    return Math.max(x, y) - 1;
  }

  merge(other: Uint32Array): void {
    const cells = this.cells;
    for (let i = 0; i < cells.length; i++) {
      const v = other[i];
      if (v !== 0 && (cells[i] === 0 || v < cells[i])) cells[i] = v;
    }
  }
}
