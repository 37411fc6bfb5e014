import { describe, expect, it } from 'vitest';
import { createDetector } from './detector.js';
import { freshRecurringState, RecurringExtremes } from './recurring-extremes.js';
import { seededRng } from '../simulate/random.js';

const FIVE_MIN = 300_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2025, 4, 5);

describe('RecurringExtremes', () => {
  it('explains an outlier that yesterday had near the same time, and counts only what exceeds it', () => {
    const r = new RecurringExtremes(12, 4, freshRecurringState());
    // Yesterday: flat at 10 with an outlier of 40 at 03:00.
    for (let i = 0; i < 288; i++) r.record(T0 + i * FIVE_MIN, i === 36 ? 40 : 10);
    const at = (hour: number): number => T0 + DAY + hour * 3_600_000;
    // Today at 03:40 (within an hour): 40 is fully explained, 55 only by its excess.
    expect(r.unexplained(at(3 + 40 / 60), 40, 30, 10, 1)).toBe(0);
    expect(r.unexplained(at(3 + 40 / 60), 55, 45, 10, 1)).toBe(15);
    // Two hours later nothing recurs; below the gate nothing is ever explained away.
    expect(r.unexplained(at(5), 40, 30, 10, 1)).toBe(30);
    expect(r.unexplained(at(3), 13, 3, 10, 1)).toBe(3);
    // A drop is not explained by yesterday's spike.
    expect(r.unexplained(at(3), 2, -8, 10, 1)).toBe(-8);
  });

  it("does not explain today with yesterday's ordinary noise (the extreme must be an outlier itself)", () => {
    const r = new RecurringExtremes(12, 4, freshRecurringState());
    for (let i = 0; i < 288; i++) r.record(T0 + i * FIVE_MIN, 10 + (i % 3));
    expect(r.unexplained(T0 + DAY + 36 * FIVE_MIN, 30, 20, 10, 1)).toBe(20);
  });

  it('survives a snapshot', () => {
    const a = new RecurringExtremes(12, 4, freshRecurringState());
    for (let i = 0; i < 400; i++) a.record(T0 + i * FIVE_MIN, i % 97);
    const b = new RecurringExtremes(12, 4, JSON.parse(JSON.stringify(a.snapshot())));
    for (const t of [T0 + DAY + 10 * FIVE_MIN, T0 + DAY + 96 * FIVE_MIN]) expect(b.unexplained(t, 200, 50, 10, 1)).toBe(a.unexplained(t, 200, 50, 10, 1));
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
});
