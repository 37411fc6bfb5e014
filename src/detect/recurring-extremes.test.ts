import { describe, expect, it } from 'vitest';
import { createDetector } from './detector.js';
import type { DetectorState } from './detector-state.js';
import { freshRecurringState, RecurringExtremes } from './recurring-extremes.js';
import { seededRng } from '../simulate/random.js';

const FIVE_MIN = 300_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2025, 4, 5);

describe('RecurringExtremes', () => {
  it('explains an outlier deviation that yesterday had near the same time, and counts only what exceeds it', () => {
    const r = new RecurringExtremes(12, 4, freshRecurringState());
    // Yesterday: on its baseline (residual 0) with an outlier 30 above it at 03:00.
    for (let i = 0; i < 288; i++) r.record(T0 + i * FIVE_MIN, i === 36 ? 30 : 0);
    const at = (hour: number): number => T0 + DAY + hour * 3_600_000;
    // Today at 03:40 (within an hour): 30 above is fully explained, 45 above only by its excess.
    expect(r.unexplained(at(3 + 40 / 60), 30, 30, 1)).toBe(0);
    expect(r.unexplained(at(3 + 40 / 60), 45, 45, 1)).toBe(15);
    // Two hours later nothing recurs; below the gate nothing is ever explained away.
    expect(r.unexplained(at(5), 30, 30, 1)).toBe(30);
    expect(r.unexplained(at(3), 3, 3, 1)).toBe(3);
    // A drop is not explained by yesterday's spike.
    expect(r.unexplained(at(3), -8, -8, 1)).toBe(-8);
  });

  it("does not explain today with yesterday's ordinary noise (the extreme must be an outlier itself)", () => {
    const r = new RecurringExtremes(12, 4, freshRecurringState());
    for (let i = 0; i < 288; i++) r.record(T0 + i * FIVE_MIN, i % 3);
    expect(r.unexplained(T0 + DAY + 36 * FIVE_MIN, 20, 20, 1)).toBe(20);
  });

  it("does not explain a daily step that fails to come with yesterday's values from before the step", () => {
    // Yesterday the series stepped from 10 to 30 at 06:00 and its baseline followed (residuals
    // 0). Today at 06:30 it stays at 10, 20 below a baseline of 30. Yesterday's values at
    // 05:30–06:00 were 10 as well, far below today's baseline, but they were no deviation then.
    const r = new RecurringExtremes(12, 4, freshRecurringState());
    for (let i = 0; i < 288; i++) r.record(T0 + i * FIVE_MIN, 0);
    expect(r.unexplained(T0 + DAY + 78 * FIVE_MIN, -20, -20, 1)).toBe(-20);
  });

  it('survives a snapshot', () => {
    const a = new RecurringExtremes(12, 4, freshRecurringState());
    for (let i = 0; i < 400; i++) a.record(T0 + i * FIVE_MIN, (i % 97) - 10);
    const b = new RecurringExtremes(12, 4, JSON.parse(JSON.stringify(a.snapshot())));
    for (const t of [T0 + DAY + 10 * FIVE_MIN, T0 + DAY + 96 * FIVE_MIN]) expect(b.unexplained(t, 190, 50, 1)).toBe(a.unexplained(t, 190, 50, 1));
  });
});

describe('detector score with recurring extremes', () => {
  /** CPU-like series: noise around 2, a daily job spike to 30 whose time drifts by up to 30 minutes. */
  function series(days: number, special?: { day: number; value: number }): { t: number; value: number; spike: boolean; special: boolean }[] {
    const rand = seededRng(3);
    const out = [];
    const jobSlots = Array.from({ length: days }, () => 60 + Math.floor(rand() * 7) - 3);
    for (let i = 0; i < days * 288; i++) {
      const day = Math.floor(i / 288);
      const isJob = i % 288 === jobSlots[day];
      const isSpecial = special !== undefined && day === special.day && i % 288 === 200;
      const value = isSpecial ? special.value : isJob ? 30 + rand() * 2 : 2 + rand() * 0.5;
      out.push({ t: T0 + i * FIVE_MIN, value, spike: isJob && day >= 3, special: isSpecial });
    }
    return out;
  }

  it('stops scoring a daily job that drifts, but still scores a new spike of the same size', () => {
    const scoreOf = (options = {}) => {
      const d = createDetector(options);
      let jobDaysScored = 0;
      let special = 0;
      for (const p of series(10, { day: 8, value: 31 })) {
        const s = d.update({ t: p.t, value: p.value }).score;
        if (p.spike && s > 0.3) jobDaysScored++;
        if (p.special) special = s;
      }
      return { jobDaysScored, special };
    };
    const on = scoreOf();
    // From day 3 on the job recurs 7 times; only a day it outgrows yesterday's by far scores.
    expect(on.jobDaysScored).toBeLessThanOrEqual(1);
    expect(on.special).toBeGreaterThan(0.9);
    // Without it, the drifting job scores like an anomaly every day.
    expect(scoreOf({ recurringSlots: -1 }).jobDaysScored).toBe(7);
  });

  it('scores a daily step that fails to come at once, not an hour later', () => {
    // 20 ± 2 all day, 80 from 08:00 to 16:00; on day 8 the step does not come. Before yesterday's
    // extremes were kept as deviations, yesterday's 20s from before 08:00 explained today's 20s
    // after it for an hour (onset score alone: first score at 09:00).
    const rand = seededRng(5);
    const d = createDetector({ resonanceWindow: 0 });
    let first = -1;
    for (let i = 0; i < 9 * 288; i++) {
      const day = Math.floor(i / 288);
      const slot = i % 288;
      const high = slot >= 96 && slot < 192 && day !== 8;
      const s = d.update({ t: T0 + i * FIVE_MIN, value: (high ? 80 : 20) + rand() * 4 }).score;
      if (day === 8 && first < 0 && s > 0.1) first = slot;
    }
    expect(first).toBe(96);
  });

  it('drops the memory of a snapshot from a build that kept values, not deviations', () => {
    const d = createDetector({ resonanceWindow: 0 });
    for (let i = 0; i < 600; i++) d.update({ t: T0 + i * FIVE_MIN, value: 10 + (i % 7) });
    const state = d.snapshot() as DetectorState;
    const old = { ...state, recurring: { day: state.recurring.day, min: state.recurring.min, max: state.recurring.max } };
    expect((createDetector({ resonanceWindow: 0 }, old).snapshot() as DetectorState).recurring.day.every((x) => x === -1)).toBe(true);
    expect((createDetector({ resonanceWindow: 0 }, JSON.parse(JSON.stringify(state))).snapshot() as DetectorState).recurring).toEqual(state.recurring);
  });
});
