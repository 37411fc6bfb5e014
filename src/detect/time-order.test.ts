import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { describeRun, TimeOrder } from './time-order.js';
import type { OutOfOrderRun } from './time-order.js';

/** Lines whose timestamp is not later than every timestamp before it. */
function lateLines(times: readonly number[]): number[] {
  let latest = Number.NEGATIVE_INFINITY;
  const late: number[] = [];
  times.forEach((t, i) => {
    if (t <= latest) late.push(i + 1);
    else latest = t;
  });
  return late;
}

function feed(times: readonly number[]): { seen: number[]; runs: OutOfOrderRun[]; total: number } {
  const order = new TimeOrder();
  const runs: OutOfOrderRun[] = [];
  const seen = times.map((t, i) => {
    const s = order.admit(i + 1, t);
    runs.push(...order.drain());
    return s;
  });
  order.end();
  runs.push(...order.drain());
  return { seen, runs, total: order.outOfOrder };
}

describe('TimeOrder', () => {
  it('reports every row that repeats or steps back, exactly once, and the detector clock never runs backwards', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 200 }), (raw) => {
        const times = raw.map((x) => x * 60_000);
        const { seen, runs, total } = feed(times);
        const reported = runs.flatMap((r) => Array.from({ length: r.toLine - r.fromLine + 1 }, (_, i) => r.fromLine + i));
        expect(reported).toEqual(lateLines(times));
        expect(total).toBe(reported.length);
        for (const r of runs) expect(r.rows).toBe(r.toLine - r.fromLine + 1);
        for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]);
        seen.forEach((s, i) => expect(s).toBe(Math.max(...times.slice(0, i + 1))));
        for (const r of runs) expect(describeRun(r)).toMatch(/^lines? \d+/);
      }),
    );
  });

  it('describes a repeated hour (as in NAB machine_temperature) as one run', () => {
    const hour = 3_600_000;
    const step = 5 * 60_000;
    const times = [...Array.from({ length: 24 }, (_, i) => i * step), ...Array.from({ length: 12 }, (_, i) => hour + i * step), 2 * hour + step];
    const { runs } = feed(times);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ fromLine: 25, toLine: 36, rows: 12, repeats: 1, maxBackMs: hour - 5 * 60_000 });
    expect(describeRun(runs[0])).toBe('lines 25–36: 12 rows step back in time (up to 55 min, 1 repeated); scored as arriving at 1970-01-01T01:55:00.000Z');
  });
});
