/**
 * The alarm's state machine: it opens once the score has stayed at or above `high` for
 * `openAfter` points and closes once it has stayed below `low` for `closeAfter` points, so a
 * single noisy minute neither opens nor closes an incident.
 */
export interface HysteresisOptions {
  high: number;
  low: number;
  openAfter: number;
  closeAfter: number;
}

export interface HysteresisState {
  alarm: boolean;
  /** Consecutive points counting towards the next transition. */
  streak: number;
}

export function stepHysteresis(opts: HysteresisOptions, state: HysteresisState, score: number): void {
  if (!state.alarm) {
    state.streak = score >= opts.high ? state.streak + 1 : 0;
    if (state.streak >= opts.openAfter) {
      state.alarm = true;
      state.streak = 0;
    }
  } else {
    state.streak = score < opts.low ? state.streak + 1 : 0;
    if (state.streak >= opts.closeAfter) {
      state.alarm = false;
      state.streak = 0;
    }
  }
}
