import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDetector } from '../detect/detector.js';
import type { Incident } from './incident.js';
import { dismissedSpan, feedWithout, sameUnlearned, spansToUnlearn } from './unlearn.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2025, 2, 3);

const incident = (over: Partial<Incident>): Incident => ({
  id: 'x-1', service: 'x', status: 'closed', severity: 'degraded', title: 't', openedAt: T0 + 10 * MINUTE, closedAt: T0 + 40 * MINUTE,
  peak: 9, reports: 90, phases: [{ start: T0 + 8 * MINUTE, end: T0 + 30 * MINUTE, detectedAt: T0 + 10 * MINUTE, peak: 9 }], breakdown: [], regions: [], updatedAt: T0, ...over,
});

describe('unlearning dismissed incidents', () => {
  it('spans an incident from its first wave to its close; probe incidents taught nothing', () => {
    expect(dismissedSpan(incident({}))).toEqual({ id: 'x-1', from: T0 + 8 * MINUTE, to: T0 + 40 * MINUTE });
    const { closedAt: _closed, ...open } = incident({ status: 'open' });
    expect(dismissedSpan(open)).toEqual({ id: 'x-1', from: T0 + 8 * MINUTE });
    expect(dismissedSpan(incident({ kind: 'probe' }))).toBeUndefined();
  });

  it('leaves out only closed spans that the state has processed, in id order', () => {
    const spans = [{ id: 'b', from: 1, to: 5 * MINUTE }, { id: 'a', from: 1, to: 2 * MINUTE }, { id: 'c', from: 1 }, { id: 'd', from: 1, to: 90 * MINUTE }];
    expect(spansToUnlearn(spans, 10 * MINUTE).map((s) => s.id)).toEqual(['a', 'b']);
    expect(sameUnlearned(['b', 'a'], spansToUnlearn(spans, 10 * MINUTE))).toBe(true);
    expect(sameUnlearned(undefined, [])).toBe(true);
    expect(sameUnlearned(['a'], spansToUnlearn(spans, 10 * MINUTE))).toBe(false);
  });

  it('expect(t) is the expected value the next update reports, and learns nothing', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(200), { minLength: 1, maxLength: 400 }), fc.integer({ min: 1, max: 3 }), (values, stepMinutes) => {
        const d = createDetector();
        for (let i = 0; i < values.length; i++) {
          const t = T0 + i * stepMinutes * MINUTE;
          const before = JSON.stringify(d.snapshot());
          const guess = d.expect(t);
          expect(JSON.stringify(d.snapshot())).toBe(before);
          const out = d.update({ t, value: values[i] });
          if (i > 0) expect(guess).toBeCloseTo(out.expected, 9);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('a masked minute teaches the detector what it expected anyway; outside the span it learns as usual', () => {
    const minutes = Array.from({ length: 3000 }, (_, i) => ({ minute: T0 + i * MINUTE, total: i >= 2000 && i < 2100 ? 400 : 20 + (i % 7) }));
    const span = { from: T0 + 2000 * MINUTE, to: T0 + 2100 * MINUTE };
    const masked = createDetector();
    feedWithout(masked, minutes, [span]);
    // By hand: the same minutes, each masked one replaced by the rounded expectation.
    const byHand = createDetector();
    for (const m of minutes) byHand.update({ t: m.minute, value: m.minute >= span.from && m.minute < span.to ? Math.round(byHand.expect(m.minute)) : m.total });
    expect(masked.snapshot()).toEqual(byHand.snapshot());
    const taught = createDetector();
    feedWithout(taught, minutes, []);
    const later = T0 + 3000 * MINUTE;
    expect(taught.expect(later)).toBeGreaterThan(masked.expect(later));
  });
});
