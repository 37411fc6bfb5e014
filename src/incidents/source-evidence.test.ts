import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DetectorOutput } from '../detect/detector.js';
import { initialEngineState, stepEngine, type EngineState } from './engine.js';
import { evidenceSince, KEPT_SUSPICIONS } from './source-evidence.js';

const T0 = Date.UTC(2025, 3, 1, 15);
const MIN = 60_000;

/** One row per minute: reports, fresh sources among them, and whether the detector alarms (expected 10, threshold 20). */
type Row = [total: number, sources: number, alarm: boolean];

function run(rows: Row[], start: EngineState = initialEngineState()) {
  let state = start;
  const events: [number, string][] = [];
  const statuses: string[] = [];
  rows.forEach(([total, sources, alarm], i) => {
    const out: DetectorOutput = { score: alarm ? 1 : 0, expected: 10, upper: 20, alarm };
    const step = stepEngine('x', state, { minute: T0 + i * MIN, total, sources, problems: { app: total }, regions: { DE: total } }, out);
    state = step.state;
    for (const e of step.events) events.push([i, e]);
    statuses.push(step.status);
  });
  return { state, events, statuses };
}

const quiet = (n: number): Row[] => Array.from({ length: n }, () => [10, 10, false] as Row);

describe('distinct-source evidence', () => {
  it('needs minSources and more fresh sources than the threshold allows', () => {
    const m = (minute: number, total: number, sources: number | undefined, upper: number) => ({ minute, total, sources, upper });
    expect(evidenceSince([m(0, 100, 4, 2)], 0, 5).ok).toBe(false);
    expect(evidenceSince([m(0, 100, 5, 2)], 0, 5).ok).toBe(true);
    expect(evidenceSince([m(0, 100, 30, 20), m(60_000, 100, 5, 20)], 0, 5)).toMatchObject({ ok: false, reports: 200, peak: 100, sources: 35, threshold: 40 });
    expect(evidenceSince([m(0, 100, 30, 20), m(60_000, 100, 15, 20)], 60_000, 5).ok).toBe(false);
    // Trusted history (no sources given): every report is its own source.
    expect(evidenceSince([m(0, 100, undefined, 20)], 0, 5).ok).toBe(true);
  });

  it('a spike from a handful of networks opens nothing and is kept as a suspicion', () => {
    // Background of 10 a minute from 10 sources, then 100 a minute of which only 3 are new sources.
    const r = run([...quiet(3), ...Array.from({ length: 10 }, () => [110, 10, true] as Row), ...quiet(3)]);
    expect(r.events).toEqual([]);
    expect(r.statuses.every((s) => s === 'operational')).toBe(true);
    expect(r.state.tracked).toBeUndefined();
    expect(r.state.suspect).toBeUndefined();
    expect(r.state.suspicions).toEqual([{ start: T0 + 3 * MIN, end: T0 + 13 * MIN, flaggedAt: T0 + 4 * MIN, peak: 110, reports: 1100, sources: 100, threshold: 200 }]);
  });

  it('the same spike from a crowd opens an incident at once; a spike that finds its crowd later opens then', () => {
    expect(run([...quiet(3), [110, 100, true], [110, 100, true]]).events).toEqual([[3, 'opened']]);
    const late = run([...quiet(3), [110, 3, true], [110, 3, true], [110, 100, true], [110, 100, true]]);
    expect(late.events).toEqual([[5, 'opened']]);
    expect(late.state.tracked?.openedAt).toBe(T0 + 3 * MIN);
    expect(late.state.suspicions).toEqual([expect.objectContaining({ start: T0 + 3 * MIN, end: T0 + 5 * MIN, incidentId: late.state.tracked?.id })]);
  });

  it('a new phase of an open incident needs the same evidence', () => {
    const r = run([[300, 300, true], [300, 300, true], ...Array.from({ length: 6 }, () => [10, 10, true] as Row), ...Array.from({ length: 5 }, () => [300, 2, true] as Row)]);
    expect(r.events.filter(([, e]) => e === 'phase')).toEqual([]);
    expect(r.state.suspect).toMatchObject({ peak: 300 });
  });

  it('property: no incident ever opens from fewer than minSources fresh sources, and at most 20 suspicions are kept', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: 2000 }), fc.nat({ max: 4 }), fc.boolean()), { maxLength: 300 }), (rows) => {
        const r = run(rows.map(([total, sources, alarm]) => [total, Math.min(total, sources), alarm] as Row));
        expect(r.events).toEqual([]);
        expect(r.state.suspicions?.length ?? 0).toBeLessThanOrEqual(KEPT_SUSPICIONS);
      }),
    );
  });
});
