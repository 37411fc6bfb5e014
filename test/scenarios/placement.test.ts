import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reportBatches } from '../../src/simulate/expand-reports.js';
import { originalTime, placeScenario, replayCut, shiftToNow, SHIFT_STEP_MS } from '../../src/simulate/placement.js';
import { quietWeek } from '../../src/simulate/quiet-week.js';
import { MINUTE_MS, waveShape } from '../../src/simulate/scenario.js';
import { xOutage } from '../../src/simulate/x-outage.js';

/** The shift rule of `simulate --shift-to-now`, with fixed clocks. */
const NOW = Date.parse('2026-12-02T05:27:40Z');
const last = xOutage.waves[xOutage.waves.length - 1];

describe('shiftToNow', () => {
  it('cuts the X outage at the end of its last wave plateau (12:00 ET + 75 min = 17:15 UTC)', () => {
    expect(new Date(replayCut(xOutage)).toISOString()).toBe('2025-03-10T17:15:00.000Z');
    expect(waveShape(last, replayCut(xOutage) - MINUTE_MS)).toBe(1);
    expect(replayCut(quietWeek)).toBe(quietWeek.to);
  });

  it('with a fixed clock: the replay ends at 05:15, 12 minutes before 05:27:40, shifted by whole 15-minute steps', () => {
    const p = shiftToNow(xOutage, NOW);
    expect(p.until).toBe(replayCut(xOutage));
    expect(new Date(p.until + p.shiftMs).toISOString()).toBe('2026-12-02T05:15:00.000Z');
    expect(p.shiftMs % SHIFT_STEP_MS).toBe(0);
  });

  it('always ends 1 to 16 minutes before now, and runs within one step get the same placement', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('2025-04-01T00:00:00Z'), max: Date.parse('2030-01-01T00:00:00Z') }), fc.integer({ min: 0, max: SHIFT_STEP_MS - 1 }), (now, later) => {
        const p = shiftToNow(xOutage, now);
        const end = p.until + p.shiftMs;
        expect(p.shiftMs % SHIFT_STEP_MS).toBe(0);
        expect(now - end).toBeGreaterThanOrEqual(MINUTE_MS);
        expect(now - end).toBeLessThan(MINUTE_MS + SHIFT_STEP_MS);
        const q = shiftToNow(xOutage, now + later);
        // Same step: same shift; otherwise exactly one step later.
        expect([0, SHIFT_STEP_MS]).toContain(q.shiftMs - p.shiftMs);
        const stepStart = Math.floor((now - MINUTE_MS - p.until) / SHIFT_STEP_MS);
        const laterStep = Math.floor((now + later - MINUTE_MS - p.until) / SHIFT_STEP_MS);
        expect(q.shiftMs === p.shiftMs).toBe(stepStart === laterStep);
      }),
    );
  });
});

describe('placeScenario', () => {
  const o = { scale: 0.01, seed: 3 };
  it('sends the same reports as the original, later by the shift, and none from the cut on', () => {
    const p = shiftToNow(xOutage, NOW);
    const placed = placeScenario(xOutage, p);
    expect(placed.from).toBe(xOutage.from + p.shiftMs);
    expect(placed.to).toBe(p.until + p.shiftMs);
    expect(placed.waves.map((w) => w.start - p.shiftMs)).toEqual(xOutage.waves.map((w) => w.start));
    const original = [...reportBatches(xOutage, o, 10_000)].flat().filter((r) => Date.parse(r.ts) < p.until);
    const shifted = [...reportBatches(placed, o, 10_000)].flat();
    expect(shifted.length).toBe(original.length);
    expect(shifted.length).toBeGreaterThan(10_000);
    for (let i = 0; i < shifted.length; i += 997) {
      expect(Date.parse(shifted[i].ts) - Date.parse(original[i].ts)).toBe(p.shiftMs);
      expect({ ...shifted[i], ts: '' }).toEqual({ ...original[i], ts: '' });
    }
    expect(Date.parse(shifted[shifted.length - 1].ts)).toBeLessThan(NOW - MINUTE_MS);
  });
  it('at the original time is the scenario itself', () => {
    expect(placeScenario(xOutage, originalTime(xOutage))).toBe(xOutage);
  });
});
