import { describe, expect, it } from 'vitest';
import type { DetectorOutput } from '../detect/detector.js';
import { initialEngineState, stepEngine, type ChangeKind, type EngineState, type MinuteCounts } from './engine.js';
import type { Incident } from './incident.js';

const T0 = Date.UTC(2025, 2, 10, 9, 0);
const MIN = 60_000;

/** One row per minute: reports, and whether the detector's alarm is up after it. */
type Row = [total: number, alarm: boolean];

function run(rows: Row[], start = initialEngineState()): { events: [number, ChangeKind][]; incident?: Incident; state: EngineState; statuses: string[] } {
  let state = start;
  let incident: Incident | undefined;
  const events: [number, ChangeKind][] = [];
  const statuses: string[] = [];
  rows.forEach(([total, alarm], i) => {
    const m: MinuteCounts = { minute: T0 + i * MIN, total, problems: { app: Math.round(total * 0.6), website: total - Math.round(total * 0.6) }, regions: { 'US-CA': total } };
    const out: DetectorOutput = { score: alarm ? 1 : 0, expected: 10, upper: 20, alarm };
    const step = stepEngine('x', state, m, out);
    state = step.state;
    if (step.incident) incident = step.incident;
    for (const k of step.events) events.push([i, k]);
    statuses.push(step.status);
  });
  return { events, incident, state, statuses };
}

const quiet = (n: number): Row[] => Array.from({ length: n }, () => [10, false] as Row);
const wave = (peak: number, n: number): Row[] => Array.from({ length: n }, () => [peak, true] as Row);
const tail = (n: number): Row[] => Array.from({ length: n }, () => [10, true] as Row);

describe('incident engine', () => {
  const cases: { name: string; rows: Row[]; events: [number, ChangeKind][]; phases: number; status: 'open' | 'closed' | 'none' }[] = [
    { name: 'quiet traffic opens nothing', rows: quiet(30), events: [], phases: 0, status: 'none' },
    {
      name: 'one wave opens, ends its phase, closes when the alarm drops',
      rows: [...quiet(5), [50, false], ...wave(50, 10), ...tail(12), ...quiet(3)],
      events: [[6, 'opened'], [20, 'updated'], [28, 'closed']],
      phases: 1,
      status: 'closed',
    },
    {
      name: 'a second wave while the alarm is up is a new phase',
      rows: [[50, true], ...wave(200, 5), ...tail(6), [150, true], ...wave(150, 5)],
      // 200 a minute is 20x the expected 10: the severity rises to major at once.
      events: [[0, 'opened'], [1, 'updated'], [10, 'updated'], [13, 'phase']],
      phases: 2,
      status: 'open',
    },
    {
      name: 'a wave after the alarm dropped, within the merge window, reopens as a phase',
      rows: [...wave(300, 3), ...tail(5), ...quiet(20), ...wave(300, 3)],
      events: [[0, 'opened'], [7, 'updated'], [8, 'closed'], [28, 'phase']],
      phases: 2,
      status: 'open',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = run(c.rows);
      expect(r.events).toEqual(c.events);
      if (c.status === 'none') expect(r.incident).toBeUndefined();
      else {
        expect(r.incident?.status).toBe(c.status);
        expect(r.incident?.phases).toHaveLength(c.phases);
      }
    });
  }

  it('a wave after the merge window opens a new incident', () => {
    const first = run([...wave(300, 3), ...quiet(3)]);
    let state = first.state;
    const later = T0 + 5 * 3_600_000;
    state = stepEngine('x', state, { minute: later, total: 300, problems: {}, regions: {} }, { score: 1, expected: 10, upper: 20, alarm: true }).state;
    expect(state.tracked?.id).not.toBe(first.incident?.id);
    expect(state.tracked?.openedAt).toBe(later);
  });

  it('counts peak, breakdown, regions, and the minutes before recognition', () => {
    const r = run([...quiet(2), [100, false], [400, true], [1000, true], ...tail(6)]);
    const inc = r.incident!;
    expect(inc.openedAt).toBe(T0 + 2 * MIN);
    expect(inc.phases[0]).toMatchObject({ start: T0 + 2 * MIN, detectedAt: T0 + 4 * MIN, peak: 1000 });
    expect(inc.peak).toBe(1000);
    expect(inc.breakdown.map((b) => [b.problem, b.percent])).toEqual([['app', 60], ['website', 40]]);
    expect(inc.regions).toEqual([{ region: 'US-CA', count: inc.reports }]);
    expect(inc.id).toBe('x-20250310T0902Z');
  });

  it('status: major outage at 10x baseline, degraded below, operational when closed', () => {
    const r = run([[50, true], [500, true], ...tail(5), ...quiet(1)]);
    expect(r.statuses.slice(0, 3)).toEqual(['degraded', 'major_outage', 'major_outage']);
    expect(r.statuses[6]).toBe('degraded'); // the phase has ended: reports are back near baseline
    expect(r.statuses[7]).toBe('operational');
    expect(r.incident?.severity).toBe('major_outage');
  });

  it('state survives a JSON round trip mid-incident', () => {
    const rows: Row[] = [...wave(300, 4), ...tail(6), ...quiet(2)];
    const whole = run(rows);
    const firstHalf = run(rows.slice(0, 5));
    const resumed = JSON.parse(JSON.stringify(firstHalf.state)) as EngineState;
    let state = resumed;
    let last: Incident | undefined;
    rows.slice(5).forEach(([total, alarm], j) => {
      const i = j + 5;
      const step = stepEngine('x', state, { minute: T0 + i * MIN, total, problems: { app: Math.round(total * 0.6), website: total - Math.round(total * 0.6) }, regions: { 'US-CA': total } }, { score: 0, expected: 10, upper: 20, alarm });
      state = step.state;
      last = step.incident ?? last;
    });
    expect(last).toEqual(whole.incident);
  });
});
