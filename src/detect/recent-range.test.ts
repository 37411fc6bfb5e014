import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DetectorStateError } from './detector-state.js';
import { parseRecentRangeState, RecentRange, select } from './recent-range.js';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const options = { step: 4, spanMs: 7 * DAY, quantile: 0.01, capacity: 2048 };

describe('select', () => {
  it('finds the same order statistics as a sort, with repeats, for any k and lower bound', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 }).map((x) => x / 2), { minLength: 1, maxLength: 60 }), fc.nat(), fc.nat(), (xs, p, q) => {
        const sorted = Float64Array.from(xs).sort();
        const a = Float64Array.from(xs);
        const k1 = p % xs.length;
        const k2 = k1 + (q % (xs.length - k1));
        select(a, k1, 0, a.length - 1);
        select(a, k2, k1, a.length - 1);
        return a[k1] === sorted[k1] && a[k2] === sorted[k2] && [...a].sort((x, y) => x - y).every((x, i) => x === sorted[i]);
      }),
    );
  });
});

describe('RecentRange', () => {
  it('is 0 inside the recent range and grows with the distance beyond it, in widths of the range', () => {
    const r = new RecentRange(options);
    // Two days of values between 10 and 20, every 5 minutes.
    let t = 0;
    for (let i = 0; i < 576; i++, t += 5 * MIN) r.add(t, 10 + (i % 11));
    expect(r.excess(t)).toBe(0);
    // A block reaching 25 is half a width above; one reaching 0 is a whole width below.
    r.add(t, 25);
    expect(r.excess(t)).toBeCloseTo(0.5, 10);
    for (let k = 1; k < 4; k++) r.add(t + k * 5 * MIN, 15);
    r.add(t + 20 * MIN, 0);
    expect(r.excess(t + 20 * MIN)).toBeCloseTo(1, 10);
  });

  it('judges the current block against finished blocks only, and forgets blocks older than the span', () => {
    const r = new RecentRange({ ...options, spanMs: DAY });
    let t = 0;
    // A day at 100, then a day at 10: the 100s drop out after a day.
    for (let i = 0; i < 288; i++, t += 5 * MIN) r.add(t, 100);
    for (let i = 0; i < 288; i++, t += 5 * MIN) r.add(t, 10);
    r.add(t, 100);
    expect(r.excess(t)).toBe(Number.POSITIVE_INFINITY);
    // The current block never explains itself: a first value has nothing to compare with.
    const fresh = new RecentRange(options);
    fresh.add(0, 5);
    expect(fresh.excess(0)).toBe(0);
  });

  it('ignores a single earlier outlier (the range is a quantile range, not min and max)', () => {
    const r = new RecentRange(options);
    let t = 0;
    for (let i = 0; i < 2000; i++, t += 5 * MIN) r.add(t, i === 700 ? 1000 : 10 + (i % 11));
    r.add(t, 40);
    expect(r.excess(t)).toBeGreaterThan(1);
  });

  it('keeps at most `capacity` blocks', () => {
    const r = new RecentRange({ ...options, capacity: 8 });
    let t = 0;
    for (let i = 0; i < 400; i++, t += MIN) r.add(t, i < 360 ? 1000 : 1);
    expect(r.snapshot().times).toHaveLength(8);
    r.add(t, 1);
    expect(r.excess(t)).toBe(0);
  });

  it('resumes from a snapshot exactly, blocks dated as they would have been (blocks of 1 and of several values)', () => {
    fc.assert(
      // −0 is left out: JSON writes it as 0, which the snapshot's equality below would tell apart.
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((v) => v + 0), { minLength: 1, maxLength: 300 }), fc.nat(299), fc.constantFrom(1, options.step), (values, cut, step) => {
        const o = { ...options, step, capacity: 16 };
        const a = new RecentRange(o);
        let b: RecentRange | undefined;
        for (const [i, v] of values.entries()) {
          if (i === Math.min(cut, values.length - 1)) b = new RecentRange(o, parseRecentRangeState(JSON.parse(JSON.stringify(a.snapshot()))));
          a.add(i * MIN, v);
          b?.add(i * MIN, v);
          if (b) expect(b.excess(i * MIN)).toBe(a.excess(i * MIN));
        }
        expect(b?.snapshot()).toEqual(a.snapshot());
      }),
      { numRuns: 100 },
    );
  });

  it('refuses a broken snapshot', () => {
    expect(() => parseRecentRangeState(null)).toThrow(DetectorStateError);
    expect(() => parseRecentRangeState({ n: 1, low: 0, high: 1, times: [1], lows: [], highs: [1] })).toThrow(DetectorStateError);
    expect(() => parseRecentRangeState({ n: -1, low: 0, high: 1, times: [], lows: [], highs: [] })).toThrow(DetectorStateError);
    expect(() => parseRecentRangeState({ n: 1, low: 0, high: Number.NaN, times: [], lows: [], highs: [] })).toThrow(DetectorStateError);
    expect(() => parseRecentRangeState({ n: 1, low: 0, high: 1, times: [], lows: [], highs: [], lastT: 'soon' })).toThrow(DetectorStateError);
  });
});
