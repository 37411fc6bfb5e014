import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInstant } from './instant.js';

describe('parseInstant', () => {
  it.each([
    ['2025-03-10T13:30:00Z', Date.UTC(2025, 2, 10, 13, 30)],
    ['2025-03-10T13:30:00.123Z', Date.UTC(2025, 2, 10, 13, 30, 0, 123)],
    ['2025-03-10T09:30:00-04:00', Date.UTC(2025, 2, 10, 13, 30)],
    ['2025-03-10', Date.UTC(2025, 2, 10)],
    ['1741613400000', 1741613400000],
    ['0', 0],
  ])('%s', (raw, want) => expect(parseInstant(raw)).toBe(want));

  it.each(['', 'now', 'March 10 2025', '2025-13-45T99:99:99Z', '1e12', '12345678901234567890', '2025-03-10T13:30:00Zjunk'])('rejects %s', (raw) => {
    expect(parseInstant(raw)).toBeUndefined();
  });

  it.each([
    [1741613400000, 1741613400000],
    [0, 0],
  ])('the number %s', (raw, want) => expect(parseInstant(raw)).toBe(want));

  it.each([1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60])('rejects the number %s', (raw) => {
    expect(parseInstant(raw)).toBeUndefined();
  });

  it('round-trips every ISO time and epoch millisecond', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date(0), max: new Date(Date.UTC(2200, 0, 1)), noInvalidDate: true }), (d) => {
        expect(parseInstant(d.toISOString())).toBe(d.getTime());
        expect(parseInstant(String(d.getTime()))).toBe(d.getTime());
      }),
    );
  });

  it('never throws and gives a finite number or undefined for any string', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const t = parseInstant(s);
        expect(t === undefined || Number.isFinite(t)).toBe(true);
      }),
    );
  });
});
