import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AlarmLabeller } from './alarm-labeller.js';
import type { Alarm, LabelledRow, ScoredRow } from './alarm-labeller.js';

function row(i: number, value: number, score: number): ScoredRow {
  return { line: i + 1, text: String(i), t: i, value, score, expected: 10, lower: 5, upper: 15 };
}

function label(rows: readonly ScoredRow[], threshold: number, maxHeld?: number): { out: LabelledRow[]; alarms: Alarm[] } {
  const l = new AlarmLabeller(threshold, maxHeld);
  const out: LabelledRow[] = [];
  const alarms: Alarm[] = [];
  for (const r of rows) {
    const s = l.push(r);
    out.push(...s.rows);
    alarms.push(...s.alarms);
  }
  const s = l.end();
  out.push(...s.rows);
  alarms.push(...s.alarms);
  return { out, alarms };
}

describe('AlarmLabeller', () => {
  it('ends a 20-point spike alarm when values are back and labels its highest-scoring point', () => {
    const rows = Array.from({ length: 60 }, (_, i) => {
      const spike = i >= 20 && i < 40;
      return row(i, spike ? 50 : 10, i === 20 ? 0.6 : i === 21 ? 0.9 : spike ? 0.1 : 0);
    });
    const { out, alarms } = label(rows, 0.5);
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ points: 20, open: false });
    expect([alarms[0].start.line, alarms[0].end.line, alarms[0].peak.line]).toEqual([21, 40, 22]);
    expect(out.filter((r) => r.label === 1).map((r) => r.line)).toEqual([22]);
  });

  it('keeps every row in order, labels exactly one point per alarm, and alarms never overlap', () => {
    const arb = fc.array(fc.record({ value: fc.integer({ min: 0, max: 20 }), score: fc.constantFrom(0, 0.2, 0.5, 0.7, 1) }), { maxLength: 300 });
    fc.assert(
      fc.property(arb, fc.integer({ min: 1, max: 50 }), (raw, maxHeld) => {
        const rows = raw.map((r, i) => row(i, r.value, r.score));
        const { out, alarms } = label(rows, 0.5, maxHeld);
        expect(out.map((r) => r.line)).toEqual(rows.map((r) => r.line));
        const labelled = out.filter((r) => r.label === 1).map((r) => r.line);
        expect(labelled).toHaveLength(alarms.length);
        let last = 0;
        alarms.forEach((a, k) => {
          expect(a.start.score).toBeGreaterThanOrEqual(0.5);
          expect(a.start.line).toBeGreaterThan(last);
          expect(a.end.line - a.start.line + 1).toBe(a.points);
          last = a.end.line;
          const inside = rows.slice(a.start.line - 1, a.end.line);
          // After its first point, an alarm holds only values outside the band.
          for (const r of inside.slice(1)) expect(r.value < r.lower || r.value > r.upper).toBe(true);
          if (a.points <= maxHeld) {
            expect(a.peak.score).toBe(Math.max(...inside.map((r) => r.score)));
            expect(labelled[k]).toBe(a.peak.line);
          }
          const next = rows[a.end.line];
          if (next) expect(next.value >= next.lower && next.value <= next.upper).toBe(true);
          else expect(a.open).toBe(true);
        });
      }),
    );
  });
});
