import { describe, expect, it } from 'vitest';
import { dayLine } from '../../src/cli/replay-progress.js';
import { reportBatches } from '../../src/simulate/expand-reports.js';
import { placeScenario, shiftToNow } from '../../src/simulate/placement.js';
import { DayProgress, reportsPerDay } from '../../src/simulate/progress.js';
import { xOutage } from '../../src/simulate/x-outage.js';

/** Per-day progress of `simulate --target`: every day is reported once, with the running share of the total. */
describe('DayProgress', () => {
  it('counts batches that span several days and days that span many batches', () => {
    const p = new DayProgress([
      { day: '2025-03-08', reports: 3 },
      { day: '2025-03-09', reports: 0 },
      { day: '2025-03-10', reports: 5 },
    ]);
    const at = (day: string, n: number) => Array.from({ length: n }, () => ({ ts: `${day}T12:00:00.000Z` }));
    expect(p.add(at('2025-03-08', 2))).toEqual([]);
    // One batch finishes the 8th, covers the empty 9th and starts the 10th.
    expect(p.add([...at('2025-03-08', 1), ...at('2025-03-10', 2)]).map((d) => [d.day, d.sent])).toEqual([
      ['2025-03-08', 3],
      ['2025-03-09', 3],
    ]);
    expect(p.current).toBe('2025-03-10');
    expect(p.add(at('2025-03-10', 3))).toEqual([{ day: '2025-03-10', reports: 5, sent: 8, total: 8 }]);
    expect(p.current).toBeUndefined();
    expect(() => p.add(at('2025-03-11', 1))).toThrow(/outside/);
  });

  it('over the real X replay: one line per day, in order, summing to the total, ending at 100%', () => {
    const o = { scale: 0.02, seed: 1 };
    const placed = placeScenario(xOutage, shiftToNow(xOutage, Date.parse('2026-12-02T05:27:40Z')));
    const days = reportsPerDay(placed, o);
    const p = new DayProgress(days);
    const lines = [];
    let sent = 0;
    for (const batch of reportBatches(placed, o, 10_000)) {
      sent += batch.length;
      lines.push(...p.add(batch));
    }
    expect(lines.map((d) => d.day)).toEqual(days.map((d) => d.day));
    expect(lines.reduce((a, d) => a + d.reports, 0)).toBe(sent);
    expect(p.total).toBe(sent);
    expect(lines[lines.length - 1].sent).toBe(sent);
    expect(dayLine(lines[lines.length - 1])).toMatch(/^ {2}2026-12-02 +[\d,]+ reports +100%$/);
    // The outage day holds most of the reports; the quiet days before it are each a few percent.
    expect(lines[lines.length - 1].reports / sent).toBeGreaterThan(0.8);
  });
});
