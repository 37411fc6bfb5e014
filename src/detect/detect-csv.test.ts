import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { detectCsv } from './detect-csv.js';
import type { DetectCsvOptions } from './detect-csv.js';

const T0 = Date.UTC(2024, 0, 1);

async function run(text: string, options: DetectCsvOptions = {}): Promise<{ out: string; warnings: string[] }> {
  const warnings: string[] = [];
  let out = '';
  async function* chunks(): AsyncGenerator<string> {
    // Odd chunk sizes, so rows are cut anywhere.
    for (let i = 0; i < text.length; i += 97) yield text.slice(i, i + 97);
  }
  for await (const o of detectCsv(chunks(), { ...options, onWarning: (w) => warnings.push(w) })) out += o;
  return { out, warnings };
}

/** Expands "line N" / "lines A–B" of the per-run warnings into line numbers. */
function warnedLines(warnings: readonly string[]): number[] {
  return warnings.flatMap((w) => {
    const m = /^lines? (\d+)(?:–(\d+))?:/.exec(w);
    if (!m) return [];
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    return Array.from({ length: b - a + 1 }, (_, i) => a + i);
  });
}

function stamp(t: number, style: number): string {
  const iso = new Date(t).toISOString();
  if (style === 0) return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  if (style === 1) return String(t / 1000);
  if (style === 2) return String(t);
  return iso.replace('Z', '+00:00');
}

describe('detectCsv on rows in any order', () => {
  it('never fails, writes every row in input order, and reports exactly the rows that repeat or step back', async () => {
    const rowsArb = fc.array(fc.record({ step: fc.integer({ min: 0, max: 600 }), value: fc.integer({ min: 0, max: 500 }), style: fc.integer({ min: 0, max: 3 }) }), {
      minLength: 1,
      maxLength: 400,
    });
    await fc.assert(
      fc.asyncProperty(rowsArb, fc.boolean(), async (raw, json) => {
        const times = raw.map((r) => T0 + r.step * 300_000);
        const text = `timestamp,value\n${raw.map((r, i) => `${stamp(times[i], r.style)},${r.value}`).join('\n')}\n`;
        const { out, warnings } = await run(text, { json });
        const lines = out.trimEnd().split('\n');
        const body = json ? lines : lines.slice(1);
        expect(body).toHaveLength(raw.length);
        body.forEach((l, i) => {
          const [value, score] = json ? [(JSON.parse(l) as { value: number }).value, (JSON.parse(l) as { anomaly_score: number }).anomaly_score] : l.split(',').slice(1, 3).map(Number);
          expect(value).toBe(raw[i].value);
          expect(score >= 0 && score <= 1).toBe(true);
        });
        let latest = Number.NEGATIVE_INFINITY;
        const late: number[] = [];
        times.forEach((t, i) => {
          if (t <= latest) late.push(i + 2);
          else latest = t;
        });
        expect(warnedLines(warnings)).toEqual(late);
        expect(warnings.length > 0).toBe(late.length > 0);
        if (late.length > 0) expect(warnings.at(-1)).toMatch(new RegExp(`^${late.length} rows? out of time order`));
      }),
      { numRuns: 60 },
    );
  });

  it('writes one line per alarm with --alarm-only, as CSV or JSON', async () => {
    const lines = ['timestamp,value'];
    for (let i = 0; i < 2000; i++) lines.push(`${(T0 + i * 300_000) / 1000},${10 + (i % 7) + (i >= 1500 && i < 1520 ? 80 : 0)}`);
    const text = `${lines.join('\n')}\n`;
    const csv = await run(text, { output: 'alarms' });
    const rows = csv.out.trimEnd().split('\n');
    expect(rows[0]).toBe('start,end,peak,value,anomaly_score,points,open');
    const spike = rows.slice(1).find((r) => r.startsWith(String((T0 + 1500 * 300_000) / 1000)));
    const [end, peak, value, , points, open] = (spike ?? '').split(',').slice(1).map(Number);
    expect([end, points, open]).toEqual([(T0 + 1519 * 300_000) / 1000, 20, 0]);
    // The label goes to the highest score: the spike's first value, where the onset score opens
    // the alarm (resonance novelty, at the end of the first block of 7 values that holds the
    // spike, counts only by what it exceeds that report: report-mask.ts).
    const peakRow = ((peak * 1000 - T0) / 300_000) as number;
    expect(peakRow).toBeGreaterThanOrEqual(1500);
    expect(peakRow).toBeLessThan(1507);
    expect(value).toBe(10 + (peakRow % 7) + 80);
    const json = await run(text, { output: 'alarms', json: true });
    const alarms = json.out.trimEnd().split('\n').map((l) => JSON.parse(l) as { start: string; points: number; open: boolean });
    expect(alarms).toHaveLength(rows.length - 1);
    expect(alarms.find((a) => a.start === String((T0 + 1500 * 300_000) / 1000))).toMatchObject({ points: 20, open: false });
  });
});
