import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DedupeWindow } from './dedupe.js';
import { Fingerprinter } from './fingerprint.js';
import { RateLimiter } from './rate-limit.js';

const MIN = 60_000;

describe('DedupeWindow', () => {
  it.each([
    // [gap since the last accepted report, admitted?]
    [0, false],
    [14 * MIN, false],
    [15 * MIN - 1, false],
    [15 * MIN, true],
    [-14 * MIN, false],
    [-15 * MIN, true],
  ])('a second report %i ms after the first is admitted: %s', (gap, admitted) => {
    const d = new DedupeWindow(15 * MIN, 100);
    expect(d.admit(1, 'k', 1_000_000_000)).toBe(true);
    expect(d.admit(1, 'k', 1_000_000_000 + gap)).toBe(admitted);
  });

  it('keeps keys apart and stays bounded, forgetting idle keys first', () => {
    const d = new DedupeWindow(15 * MIN, 4);
    expect(d.admit(1, 'a', 0)).toBe(true);
    expect(d.admit(1, 'b', 0)).toBe(true);
    expect(d.admit(1, 'a', 1)).toBe(false);
    expect(d.admit(2, 'a', 1)).toBe(true); // the same reporter, another service
    for (let i = 0; i < 10; i++) {
      d.admit(1, `flood-${i}`, 2);
      expect(d.admit(1, 'a', 3)).toBe(false); // in use, so kept
      expect(d.size).toBeLessThanOrEqual(4);
    }
    expect(d.admit(1, 'b', 4)).toBe(true); // idle through the flood, so forgotten
  });

  it('property: admitted reports of one key are at least a window apart, and the map stays bounded', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 120 * MIN })), { maxLength: 300 }), (events) => {
        const d = new DedupeWindow(15 * MIN, 1_000);
        const sorted = [...events].sort((a, b) => a[1] - b[1]);
        const admitted = new Map<number, number[]>();
        for (const [k, t] of sorted) if (d.admit(1, String(k), t)) admitted.set(k, [...(admitted.get(k) ?? []), t]);
        for (const ts of admitted.values()) for (let i = 1; i < ts.length; i++) expect(ts[i] - ts[i - 1]).toBeGreaterThanOrEqual(15 * MIN);
        expect(d.size).toBeLessThanOrEqual(4);
      }),
    );
  });
});

describe('RateLimiter', () => {
  it('allows a burst, then refills at the sustained rate', () => {
    const r = new RateLimiter(60, 3, 100); // one token per second
    expect([r.take('ip', 0), r.take('ip', 0), r.take('ip', 0), r.take('ip', 0)]).toEqual([true, true, true, false]);
    expect(r.retryAfterSeconds('ip', 0)).toBe(1);
    expect(r.retryAfterSeconds('ip', 0, 3)).toBe(3);
    expect(r.take('ip', 999)).toBe(false);
    expect(r.take('ip', 1_000)).toBe(true);
    expect(r.take('other', 1_000)).toBe(true);
  });

  it('property: never grants more than burst + rate × elapsed, and stays bounded', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 200 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 600 }), (gaps, burst, perMinute) => {
        const r = new RateLimiter(perMinute, burst, 10);
        let t = 0;
        let granted = 0;
        for (const g of gaps) {
          t += g;
          if (r.take('ip', t)) granted++;
          r.take(`noise-${g}`, t);
        }
        expect(granted).toBeLessThanOrEqual(burst + Math.floor((perMinute * t) / 60_000) + 1);
        expect(r.size).toBeLessThanOrEqual(10);
      }),
    );
  });
});

describe('Fingerprinter', () => {
  it('is stable within a UTC day, differs across days, secrets and senders, never contains the IP', () => {
    const f = new Fingerprinter('secret');
    const day = Date.parse('2025-03-10T00:00:00Z');
    const a = f.fingerprint('81.2.69.142', 'ua', day + 1_000);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(f.fingerprint('81.2.69.142', 'ua', day + 86_399_000)).toBe(a);
    expect(f.fingerprint('81.2.69.142', 'ua', day + 86_400_000)).not.toBe(a);
    expect(f.fingerprint('81.2.69.143', 'ua', day + 1_000)).not.toBe(a);
    expect(f.fingerprint('81.2.69.142', 'ua2', day + 1_000)).not.toBe(a);
    expect(new Fingerprinter('other').fingerprint('81.2.69.142', 'ua', day + 1_000)).not.toBe(a);
  });
});
