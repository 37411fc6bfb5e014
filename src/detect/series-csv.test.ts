import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseEpoch, parseRowTimestamp, parseSeriesCsv, parseTimestamp, SeriesCsvError, SeriesCsvParser } from './series-csv.js';

const MIN_T = Date.UTC(1990, 0, 1);
const MAX_T = Date.UTC(2060, 0, 1);

function nabStamp(t: number): string {
  const iso = new Date(t).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** Rows with whole-second timestamps in either accepted format and finite values. */
const rowsArb = fc
  .array(
    fc.record({
      gap: fc.integer({ min: 0, max: 86_400 }),
      value: fc.oneof(fc.integer({ min: -1e6, max: 1e6 }), fc.double({ min: -1e12, max: 1e12, noNaN: true })),
      iso: fc.boolean(),
    }),
    { minLength: 1, maxLength: 60 },
  )
  .chain((rows) =>
    fc.integer({ min: MIN_T / 1000, max: MAX_T / 1000 - 60 * 86_400 }).map((start) => {
      let t = start * 1000;
      return rows.map((r) => {
        t += r.gap * 1000;
        return { t, value: Object.is(r.value, -0) ? 0 : r.value, text: r.iso ? new Date(t).toISOString() : nabStamp(t) };
      });
    }),
  );

function render(rows: { text: string; value: number }[], header: boolean, eol: string, trailing: boolean): string {
  const lines = rows.map((r) => `${r.text},${r.value}`);
  if (header) lines.unshift('timestamp,value');
  return lines.join(eol) + (trailing ? eol : '');
}

/** Splits a string at arbitrary points, as a stream would deliver it. */
function chunks(text: string, cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let last = 0;
  for (const p of points) {
    out.push(text.slice(last, p));
    last = p;
  }
  out.push(text.slice(last));
  return out;
}

describe('series CSV parser', () => {
  it('reads back what was written, whatever the chunking, line endings, header and last newline', () => {
    fc.assert(
      fc.property(rowsArb, fc.boolean(), fc.constantFrom('\n', '\r\n'), fc.boolean(), fc.array(fc.nat(), { maxLength: 8 }), (rows, header, eol, trailing, cuts) => {
        const text = render(rows, header, eol, trailing);
        const p = new SeriesCsvParser();
        const parsed = chunks(text, cuts).flatMap((c) => p.push(c));
        parsed.push(...p.end());
        expect(parsed.map((r) => ({ t: r.t, value: r.value, text: r.text }))).toEqual(rows);
        expect(parsed.map((r) => r.line)).toEqual(rows.map((_, i) => i + 1 + (header ? 1 : 0)));
      }),
    );
  });

  it('names the line of the first bad row', () => {
    const bad = fc.constantFrom('2025-13-01 00:00:00,1', '2025-02-30 00:00:00,1', 'yesterday,1', '2025-01-01 00:00:00,abc', '2025-01-01 00:00:00,', '2025-01-01 00:00:00', '2025-01-01 00:00:00,1e999', '2025-01-01 25:00:00,3');
    fc.assert(
      fc.property(rowsArb, bad, fc.nat(), (rows, badLine, at) => {
        const lines = rows.map((r) => `${r.text},${r.value}`);
        const index = at % (lines.length + 1);
        // Keep the bad row from passing as a header: it is never on line 1 here.
        lines.splice(Math.max(1, index), 0, badLine);
        try {
          parseSeriesCsv(lines.join('\n'));
        } catch (err) {
          expect(err).toBeInstanceOf(SeriesCsvError);
          expect((err as SeriesCsvError).line).toBe(Math.max(1, index) + 1);
          return;
        }
        throw new Error('expected an error');
      }),
    );
  });

  it('passes rows through in input order, even when time steps back (the reader decides what that means)', () => {
    const rows = parseSeriesCsv('2025-01-01 00:05:00,1\n2025-01-01 00:00:00,2\n2025-01-01 00:00:00,3\n');
    expect(rows.map((r) => [r.line, r.t, r.value])).toEqual([
      [1, Date.UTC(2025, 0, 1, 0, 5), 1],
      [2, Date.UTC(2025, 0, 1), 2],
      [3, Date.UTC(2025, 0, 1), 3],
    ]);
  });

  it('reads epoch seconds, epoch milliseconds and ISO timestamps with zones', () => {
    const t = Date.UTC(2025, 2, 9, 12, 30);
    const rows = parseSeriesCsv(
      ['timestamp,value', `${t / 1000},1`, `${t},2`, `${t / 1000 + 0.25},3`, '2025-03-09T13:30:00+01:00,4', '2025-03-09 07:30:00 -0500,5', '2025-03-09 12:30:00 UTC,6', '2025-03-09T12:30:00.5Z,7'].join('\n'),
    );
    expect(rows.map((r) => r.t)).toEqual([t, t, t + 250, t, t, t, t + 500]);
  });

  it('accepts quoted fields, extra columns, blank lines and a byte-order mark', () => {
    const rows = parseSeriesCsv('\ufefftimestamp,value,extra\n"2025-01-01 00:00:00","7",x\n\n2025-01-01T00:01:00-01:00,8,y\n');
    expect(rows.map((r) => [r.t, r.value, r.line])).toEqual([
      [Date.UTC(2025, 0, 1), 7, 2],
      [Date.UTC(2025, 0, 1, 1, 1), 8, 4],
    ]);
  });
});

describe('parseTimestamp', () => {
  it('agrees with Date on ISO 8601 instants and treats zoneless times as UTC', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_T, max: MAX_T }), (t) => {
        const iso = new Date(t).toISOString();
        expect(parseTimestamp(iso)).toBe(t);
        expect(parseTimestamp(iso.slice(0, -1))).toBe(t);
        expect(parseTimestamp(nabStamp(t))).toBe(t - (t % 1000));
        expect(parseTimestamp(`${nabStamp(t)}.000000`)).toBe(t - (t % 1000));
      }),
    );
  });

  it('returns undefined for anything that is not a timestamp', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const t = parseTimestamp(s);
        return t === undefined || Number.isFinite(t);
      }),
    );
    for (const s of ['', '2025-02-29', '2025-04-31 00:00:00', '2025-01-01 00:60:00', '2025-01-01T00:00:00+25:00', '1700000000']) {
      expect(parseTimestamp(s)).toBeUndefined();
    }
  });
});

describe('parseEpoch', () => {
  it('reads numbers below 10^11 as seconds and from there to 10^14 as milliseconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1973, 3, 1), max: MAX_T }), (t) => {
        expect(parseEpoch(String(t))).toBe(t);
        expect(parseEpoch(String(Math.floor(t / 1000)))).toBe(t - (t % 1000));
        expect(parseRowTimestamp(String(t))).toBe(t);
      }),
    );
    for (const s of ['', '-5', '1e9', '0x10', '1.2.3', '100000000000000', ' 12']) expect(parseEpoch(s)).toBeUndefined();
  });
});
