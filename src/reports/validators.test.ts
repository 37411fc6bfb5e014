import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregate } from './ingest-queue.js';
import { MAX_POINTS, parseRange, parseSeriesRange } from './range.js';
import { zeroFilledSeries, withPercentages } from './series.js';
import { normaliseRegion } from './vocabulary.js';

describe('normaliseRegion', () => {
  it.each([
    ['DE', 'DE'],
    ['de', 'DE'],
    ['US-CA', 'US-CA'],
    ['us-ca', 'US-CA'],
    ['GB-ENG', 'GB-ENG'],
    ['FR-75', 'FR-75'],
    ['XX', undefined],
    ['ZZ', undefined],
    ['US-', undefined],
    ['US_CA', undefined],
    ['USA', undefined],
    ['US-CALI', undefined],
    ['', undefined],
  ])('%s → %s', (raw, expected) => {
    expect(normaliseRegion(raw)).toBe(expected);
  });

  it('property: any string gives undefined or a valid upper-case code, never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), (s) => {
        const r = normaliseRegion(s);
        if (r !== undefined) expect(r).toMatch(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/);
      }),
    );
  });
});

describe('ranges', () => {
  const now = Date.parse('2025-03-10T12:00:00Z');
  it('defaults to the last 24 hours and accepts ISO or epoch ms', () => {
    expect(parseRange({}, now)).toEqual({ ok: true, value: { from: now - 86_400_000, to: now } });
    expect(parseRange({ from: '2025-03-10T00:00:00Z', to: String(now) }, now)).toEqual({ ok: true, value: { from: now - 12 * 3_600_000, to: now } });
  });

  it.each([
    [{ from: 'x' }, 'from'],
    [{ to: 'tomorrow' }, 'to'],
    [{ from: '2025-03-10T12:00:00Z', to: '2025-03-10T12:00:00Z' }, 'from'],
    [{ from: '2024-01-01', to: '2025-03-10' }, 'from'],
  ])('%j is refused on %s', (q, field) => {
    const r = parseRange(q, now);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.field).toBe(field);
  });

  it('aligns series to whole buckets and caps the number of points', () => {
    expect(parseSeriesRange({ from: '2025-03-10T10:07:00Z', to: '2025-03-10T11:01:00Z', step: '15m' }, now)).toEqual({
      ok: true,
      value: { from: Date.parse('2025-03-10T10:00:00Z'), to: Date.parse('2025-03-10T11:15:00Z'), step: '15m', stepMs: 900_000 },
    });
    const r = parseSeriesRange({ from: '2025-01-01', to: '2025-03-10', step: '1m' }, now);
    expect(r.ok).toBe(false);
    expect(parseSeriesRange({ step: '2m' }, now)).toMatchObject({ ok: false, field: 'step' });
  });

  it('property: accepted series ranges are aligned, non-empty and within MAX_POINTS', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2e12 }), fc.integer({ min: 1, max: 100 * 86_400_000 }), fc.constantFrom('1m', '5m', '15m', '1h', 'zz'), (from, span, step) => {
        const r = parseSeriesRange({ from: String(from), to: String(from + span), step }, now);
        if (!r.ok) return;
        expect(r.value.from % r.value.stepMs).toBe(0);
        expect(r.value.to).toBeGreaterThan(r.value.from);
        expect((r.value.to - r.value.from) / r.value.stepMs).toBeLessThanOrEqual(MAX_POINTS);
      }),
    );
  });
});

describe('rollup and series', () => {
  it('property: aggregate preserves the count of a batch per service and minute', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ serviceId: fc.integer({ min: 1, max: 3 }), ts: fc.integer({ min: 0, max: 10 * 60_000 }), problem: fc.constantFrom('app', 'login'), region: fc.constantFrom('DE', 'unknown') }), { maxLength: 200 }), (rows) => {
        const reports = rows.map((r) => ({ ...r, client: null, fingerprint: 'f' }));
        const deltas = aggregate(reports);
        expect(deltas.reduce((a, d) => a + d.count, 0)).toBe(rows.length);
        for (const d of deltas) expect(d.minute % 60_000).toBe(0);
        expect(new Set(deltas.map((d) => `${d.serviceId}|${d.minute}|${d.problem}|${d.region}`)).size).toBe(deltas.length);
      }),
    );
  });

  it('zero-fills every bucket and sums problems into the total', () => {
    const points = zeroFilledSeries([{ t: 300_000, problem: 'app', count: 2 }, { t: 300_000, problem: 'login', count: 1 }], 0, 900_000, 300_000);
    expect(points.map((p) => p.total)).toEqual([0, 3, 0]);
    expect(points[1].problems).toMatchObject({ app: 2, login: 1, feed: 0 });
    expect(withPercentages([{ count: 1 }, { count: 2 }])).toEqual({ total: 3, rows: [{ count: 1, percent: 33.3 }, { count: 2, percent: 66.7 }] });
  });
});

describe('reports config', () => {
  it('fills every default and keeps given values', async () => {
    const { reportsDefaults } = await import('./config.js');
    expect(reportsDefaults({ rateBurst: 3 })).toEqual({
      dedupeMinutes: 15, ratePerMinute: 30, rateBurst: 3, prefixRatePerMinute: 120, prefixRateBurst: 40, serviceRatePerMinute: 10, serviceRateBurst: 20,
      sourceWindowMinutes: 15, prefixLengthV4: 24, prefixLengthV6: 64, maxTrackedClients: 100_000, maxTrackedFingerprints: 500_000,
      flushDelayMs: 2, maxBatchSize: 2_000, maxQueued: 200_000, maxBatchLines: 10_000, parseWorkers: 1,
    });
  });
});
