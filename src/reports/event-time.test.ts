import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEventTime } from './event-time.js';

/** The rule before the fast path: shape check, then Date.parse. */
function reference(ts: string): number | undefined {
  if (ts.length < 10 || ts.charCodeAt(4) !== 45 || ts.charCodeAt(7) !== 45) return undefined;
  const ms = Date.parse(ts);
  return Number.isFinite(ms) ? ms : undefined;
}

describe('parseEventTime', () => {
  it('reads toISOString output exactly', () => {
    expect(parseEventTime('2026-11-22T00:25:30.123Z')).toBe(Date.UTC(2026, 10, 22, 0, 25, 30, 123));
    expect(parseEventTime('2024-02-29T23:59:59.999Z')).toBe(Date.UTC(2024, 1, 29, 23, 59, 59, 999));
    expect(parseEventTime('2026-13-01T00:00:00.000Z')).toBe(reference('2026-13-01T00:00:00.000Z'));
    expect(parseEventTime('2026-11-22T24:00:00.000Z')).toBe(reference('2026-11-22T24:00:00.000Z'));
    expect(parseEventTime('0050-01-01T00:00:00.000Z')).toBe(reference('0050-01-01T00:00:00.000Z'));
    expect(parseEventTime('2026-11-22')).toBe(reference('2026-11-22'));
    expect(parseEventTime('not a time')).toBeUndefined();
  });

  it('property: agrees with Date.parse on any date', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date(Date.UTC(0, 0, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true }), (d) => {
        const s = d.toISOString();
        expect(parseEventTime(s)).toBe(reference(s));
      }),
      { numRuns: 2000 },
    );
  });

  it('property: agrees with Date.parse on ISO-shaped strings with arbitrary digits and separators', () => {
    const digit = fc.constantFrom(...'0123456789');
    const any = fc.constantFrom(...'0123456789:.TZ-+ x');
    const shaped = fc.tuple(fc.array(digit, { minLength: 4, maxLength: 4 }), fc.array(any, { minLength: 0, maxLength: 22 })).map(([y, rest]) => {
      const chars = [...y, '-', ...rest.slice(0, 2), '-', ...rest.slice(2)];
      return chars.join('');
    });
    const template = fc.array(digit, { minLength: 17, maxLength: 17 }).map((d) => `${d.slice(0, 4).join('')}-${d[4]}${d[5]}-${d[6]}${d[7]}T${d[8]}${d[9]}:${d[10]}${d[11]}:${d[12]}${d[13]}.${d[14]}${d[15]}${d[16]}Z`);
    const n = (lo: number, hi: number): fc.Arbitrary<string> => fc.integer({ min: lo, max: hi }).map((v) => String(v).padStart(2, '0'));
    const nearRange = fc
      .tuple(fc.integer({ min: 0, max: 9999 }), n(0, 13), n(0, 32), n(0, 24), n(0, 60), n(0, 60), fc.integer({ min: 0, max: 999 }))
      .map(([y, mo, d, h, mi, s, ms]) => `${String(y).padStart(4, '0')}-${mo}-${d}T${h}:${mi}:${s}.${String(ms).padStart(3, '0')}Z`);
    fc.assert(
      fc.property(fc.oneof(shaped, template, nearRange), (s) => {
        expect(parseEventTime(s)).toBe(reference(s));
      }),
      { numRuns: 5000 },
    );
  });
});
