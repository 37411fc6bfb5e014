import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initialEngineState, stepEngine, type EngineState } from './engine.js';
import type { Incident } from './incident.js';

const T0 = Date.UTC(2025, 2, 10);

/** Any sequence of minutes: counts, what the detector expected, and whether it alarmed. */
const minutes = fc.array(
  fc.record({ total: fc.nat({ max: 5000 }), expected: fc.double({ min: 0, max: 200, noNaN: true }), spread: fc.double({ min: 1, max: 100, noNaN: true }), alarm: fc.boolean(), app: fc.double({ min: 0, max: 1, noNaN: true }) }),
  { maxLength: 400 },
);

describe('incident engine invariants (property-based)', () => {
  it('phases are ordered and disjoint, counts add up, closed means every phase ended', () => {
    fc.assert(
      fc.property(minutes, (rows) => {
        let state: EngineState = initialEngineState();
        const seen = new Map<string, Incident>();
        rows.forEach((r, i) => {
          const app = Math.round(r.total * r.app);
          const step = stepEngine('svc', state, { minute: T0 + i * 60_000, total: r.total, problems: { app, website: r.total - app }, regions: { GB: r.total } }, { score: r.alarm ? 1 : 0, expected: r.expected, upper: r.expected + r.spread, alarm: r.alarm });
          state = step.state;
          if (step.incident) seen.set(step.incident.id, step.incident);
          expect(step.status === 'operational').toBe(!state.tracked || state.tracked.closedAt !== undefined);
        });
        for (const inc of seen.values()) {
          expect(inc.phases.length).toBeGreaterThan(0);
          inc.phases.forEach((p, k) => {
            expect(p.detectedAt).toBeGreaterThan(p.start);
            if (p.end !== undefined) expect(p.end).toBeGreaterThanOrEqual(p.start);
            if (k > 0) expect(p.start).toBeGreaterThanOrEqual(inc.phases[k - 1].end ?? Number.POSITIVE_INFINITY);
          });
          expect(inc.peak).toBe(Math.max(...inc.phases.map((p) => p.peak)));
          const counted = inc.breakdown.reduce((a, b) => a + b.count, 0);
          expect(counted).toBe(inc.reports);
          // No minute counts twice: at most every minute of the run.
          expect(inc.reports).toBeLessThanOrEqual(rows.reduce((a, r) => a + r.total, 0));
          if (counted > 0) expect(Math.abs(inc.breakdown.reduce((a, b) => a + b.percent, 0) - 100)).toBeLessThanOrEqual(0.2);
          if (inc.status === 'closed') expect(inc.phases.every((p) => p.end !== undefined)).toBe(true);
          expect(inc.openedAt).toBe(inc.phases[0].start);
        }
      }),
      { numRuns: 300 },
    );
  });
});
