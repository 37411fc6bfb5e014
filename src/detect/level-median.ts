/**
 * A running median of every level seen so far (levels 0…`levels`), kept as a histogram and a
 * pointer that walks one level at a time, as ARTime keeps it: close to the true median, O(1)
 * per value (the pointer skips empty levels) and fixed memory.
 */
export interface LevelMedianState {
  bins: number[];
  level: number;
  below: number;
  above: number;
  n: number;
}

export class LevelMedian {
  private readonly bins: Float64Array;
  private level = 0;
  private below = 0;
  private above = 0;
  private n = 0;

  constructor(
    private readonly levels: number,
    state?: LevelMedianState,
  ) {
    this.bins = new Float64Array(levels + 1);
    if (state) {
      this.bins.set(state.bins);
      ({ level: this.level, below: this.below, above: this.above, n: this.n } = state);
    }
  }

  /** Adds a level (an integer in 0…levels) and returns the median level. */
  add(level: number): number {
    const bins = this.bins;
    bins[level]++;
    this.n++;
    if (this.n === 1) this.level = level;
    if (level < this.level) this.below++;
    else if (level > this.level) this.above++;
    const half = Math.floor(this.n / 2);
    if (half < this.above) {
      this.below += bins[this.level];
      do this.level++;
      while (this.level < this.levels && bins[this.level] === 0);
      this.above -= bins[this.level];
    } else if (half < this.below) {
      this.above += bins[this.level];
      do this.level--;
      while (this.level > 0 && bins[this.level] === 0);
      this.below -= bins[this.level];
    }
    return this.level;
  }

  /** Moves every level seen to `map(level)` (the scale changed) and recounts around the median. */
  remap(map: (level: number) => number): void {
    const old = Float64Array.from(this.bins);
    this.bins.fill(0);
    for (let l = 0; l <= this.levels; l++) if (old[l] > 0) this.bins[map(l)] += old[l];
    this.level = map(this.level);
    this.below = 0;
    this.above = 0;
    for (let l = 0; l <= this.levels; l++) {
      if (l < this.level) this.below += this.bins[l];
      else if (l > this.level) this.above += this.bins[l];
    }
  }

  snapshot(): LevelMedianState {
    return { bins: Array.from(this.bins), level: this.level, below: this.below, above: this.above, n: this.n };
  }
}
