/**
 * Yesterday's extremes near this time of day: a second model of normal behaviour for the
 * anomaly score. A machine with a nightly job spikes every day at about the same time, but not
 * at exactly the same 5-minute slot (AWS CloudWatch series drift by 5–40 minutes a day), so the
 * slot-by-slot seasonal baseline never learns the spike and every repetition looks new. Here a
 * deviation counts as explained by daily recurrence if, within ± `slots` 5-minute slots of the
 * same time yesterday, a deviation at least as large on the same side occurred that was itself an
 * outlier (at least `gate` noise scales); only its excess over yesterday's is evidence.
 * Deviations that only repeat yesterday's ordinary noise are not explained away, so a burst at
 * the time a smaller one happened yesterday still scores what it exceeds it by.
 *
 * Deviations, not values: each is the residual from the baseline of its own time (value −
 * expected, in the detector's stabilised units). Compared as values, yesterday's ordinary
 * readings from the other side of a daily ramp or step (an hour before the morning rise, an
 * hour after the evening fall) were "outliers" against today's baseline at the current slot,
 * and explained away the deviation of a day whose rise or fall did not come, for an hour.
 *
 * Memory: the lowest and highest residual of each 5-minute slot for the two most recent days it
 * was visited (today's being filled).
 */
import { DAY_MS, SLOT_MS, SLOTS } from './time-slots.js';

/** Days remembered per slot: today (being filled) and yesterday. */
export const RECURRING_DAYS = 2;

export interface RecurringState {
  /** Per slot and remembered day: the day number (days since the epoch, -1 = empty), min, max. */
  day: number[];
  min: number[];
  max: number[];
  /**
   * min and max are residuals (value − expected). Snapshots of older builds, which kept values,
   * lack it; their memory is dropped when loaded (detector-state.ts).
   */
  residuals: true;
}

export function freshRecurringState(): RecurringState {
  const n = SLOTS * RECURRING_DAYS;
  return { day: new Array<number>(n).fill(-1), min: new Array<number>(n).fill(0), max: new Array<number>(n).fill(0), residuals: true };
}

export class RecurringExtremes {
  private readonly day: Float64Array;
  private readonly min: Float64Array;
  private readonly max: Float64Array;

  constructor(
    private readonly slots: number,
    private readonly gate: number,
    state: RecurringState,
  ) {
    this.day = Float64Array.from(state.day);
    this.min = Float64Array.from(state.min);
    this.max = Float64Array.from(state.max);
  }

  /**
   * The deviation `z` (in noise scales `sd`; `r` the same deviation in the detector's units) that
   * yesterday's recurring extremes leave unexplained: `z` itself, or less if `z` is an outlier
   * (at least `gate`) and yesterday had an outlier deviation as large on the same side near this
   * time. Deviations below the gate are never explained away, which also keeps the cost down:
   * only outliers look back.
   */
  unexplained(t: number, r: number, z: number, sd: number): number {
    if (!(Math.abs(z) >= this.gate)) return z;
    const up = z > 0;
    const values = up ? this.max : this.min;
    // Walk the slots from (same time yesterday − slots) on, carrying the day across midnight.
    const first = Math.floor((t - DAY_MS) / SLOT_MS) - this.slots;
    let day = Math.floor(first / SLOTS);
    let at = (first - day * SLOTS) * RECURRING_DAYS;
    let extreme = up ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    for (let j = 2 * this.slots; j >= 0; j--) {
      for (let m = at; m < at + RECURRING_DAYS; m++) {
        if (this.day[m] !== day) continue;
        const v = values[m];
        if (up ? v > extreme : v < extreme) extreme = v;
      }
      at += RECURRING_DAYS;
      if (at === SLOTS * RECURRING_DAYS) {
        at = 0;
        day++;
      }
    }
    if (up) {
      if (!(extreme / sd >= this.gate)) return z;
      return r > extreme ? Math.min(z, (r - extreme) / sd) : 0;
    }
    if (!(-extreme / sd >= this.gate)) return z;
    return r < extreme ? Math.max(z, (r - extreme) / sd) : 0;
  }

  /** Adds a residual (value − expected) to today's extremes of its slot. */
  record(t: number, r: number): void {
    const abs = Math.floor(t / SLOT_MS);
    const day = Math.floor(abs / SLOTS);
    const at = (abs - day * SLOTS) * RECURRING_DAYS;
    let m = -1;
    let oldest = at;
    for (let i = at; i < at + RECURRING_DAYS; i++) {
      if (this.day[i] === day) m = i;
      if (this.day[i] < this.day[oldest]) oldest = i;
    }
    if (m < 0) {
      this.day[oldest] = day;
      this.min[oldest] = r;
      this.max[oldest] = r;
    } else {
      if (r < this.min[m]) this.min[m] = r;
      if (r > this.max[m]) this.max[m] = r;
    }
  }

  snapshot(): RecurringState {
    return { day: Array.from(this.day), min: Array.from(this.min), max: Array.from(this.max), residuals: true };
  }
}

