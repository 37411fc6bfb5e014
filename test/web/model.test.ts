import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { densify } from '../../web/src/api/client.js';
import { toIncident, toRegions, toService, toShares, toStatus } from '../../web/src/api/normalize.js';
import type { Incident, ServiceStatus } from '../../web/src/api/types.js';
import { aggregateRegions, level, LEVELS } from '../../web/src/map/iso-codes.js';
import { categorySlug, groupSubject, worstStatus } from '../../web/src/model/status-subject.js';
import { phaseSpans, windowFrom } from '../../web/src/model/window.js';

/** The dashboard's pure parts, with plain data; the pages themselves are tested in Chromium. */

const T0 = Date.parse('2025-03-10T20:00:00Z');

describe('windowFrom', () => {
  it.each([
    ['', 86_400_000, '15m'],
    ['range=7d', 7 * 86_400_000, '1h'],
    ['range=7d&step=1m', 7 * 86_400_000, '1m'],
    ['step=constructor', 86_400_000, '15m'],
    ['range=bogus&step=2m', 86_400_000, '15m'],
  ])('?%s spans %d ms in steps of %s, ending on a step boundary after now', (q, span, step) => {
    const w = windowFrom(new URLSearchParams(q), T0 + 7 * 60_000);
    expect(w.to - w.from).toBe(span);
    expect(w.step).toBe(step);
    expect(w.to).toBeGreaterThan(T0 + 7 * 60_000);
    expect(w.to % 60_000).toBe(0);
  });
  it('ends at ?at= when given, to look back at an outage', () => {
    expect(windowFrom(new URLSearchParams('at=2025-03-10T18:00:00Z'), T0 + 86_400_000 * 30).to).toBe(Date.parse('2025-03-10T18:15:00Z'));
  });
});

describe('phaseSpans', () => {
  const inc = (phases: { start: number; end?: number }[], closedAt?: number): Incident => ({
    id: '1', service: 'x', status: closedAt ? 'closed' : 'open', title: 't', openedAt: phases[0].start, phases, breakdown: [], regions: [], ...(closedAt ? { closedAt } : {}),
  });
  const w = { from: T0 - 86_400_000, to: T0, step: '15m' as const };
  it('labels waves as phases and keeps only those inside the window', () => {
    const spans = phaseSpans([inc([{ start: T0 - 5e6, end: T0 - 4e6 }, { start: T0 - 3e6, end: T0 - 2e6 }], T0 - 2e6), inc([{ start: T0 - 9e7, end: T0 - 8.8e7 }], T0 - 8.8e7)], w);
    expect(spans.map((s) => s.label)).toEqual(['Phase 1', 'Phase 2']);
  });
  it('runs an open phase to the window end', () => {
    expect(phaseSpans([inc([{ start: T0 - 1e6 }])], w)).toEqual([{ start: T0 - 1e6, end: T0, label: 'Incident' }]);
  });
});

describe('regions on the maps', () => {
  it('sums states into their country and into the US states map', () => {
    const { countries, states } = aggregateRegions([
      { region: 'US-CA', count: 5 },
      { region: 'us-ny', count: 2 },
      { region: 'US', count: 1 },
      { region: 'DE', count: 4 },
      { region: 'ZZ', count: 9 },
    ]);
    expect(countries.get('840')).toBe(8);
    expect(countries.get('276')).toBe(4);
    expect(states.get('06')).toBe(5);
    expect(states.get('36')).toBe(2);
    expect(countries.size).toBe(2);
  });
  it('maps counts to levels 1..5, monotonic, 0 only for none', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e7 }), fc.integer({ min: 0, max: 1e7 }), fc.integer({ min: 0, max: 1e7 }), (max, a, b) => {
        const [lo, hi] = [Math.min(a, b, max), Math.min(Math.max(a, b), max)];
        expect(level(lo, max)).toBeLessThanOrEqual(level(hi, max));
        if (hi > 0) expect(level(hi, max)).toBeGreaterThanOrEqual(1);
        expect(level(max, max)).toBe(LEVELS);
      }),
    );
    expect(level(0, 10)).toBe(0);
  });
});

describe('API readers', () => {
  it('accept percentages, fractions and plain counts alike', () => {
    const pct = toShares({ problems: [{ problem: 'app', count: 56, percent: 56 }, { problem: 'website', count: 33, percent: 33 }] });
    const frac = toShares({ breakdown: [{ problem: 'app', count: 56, share: 0.56 }, { problem: 'website', count: 33, share: 0.33 }] });
    const counts = toShares({ problems: { app: 56, website: 33, other: 11 } });
    expect(pct.map((s) => Math.round(s.percent))).toEqual([56, 33]);
    expect(frac.map((s) => Math.round(s.percent))).toEqual([56, 33]);
    expect(counts.map((s) => Math.round(s.percent))).toEqual([56, 33, 11]);
  });
  it('read Statuspage-style and plain statuses', () => {
    expect(toStatus('major_outage')).toBe('major_outage');
    expect(toStatus('partial_outage')).toBe('partial_outage');
    expect(toStatus('degraded_performance')).toBe('degraded_performance');
    expect(toStatus('degraded')).toBe('degraded_performance');
    expect(toStatus('under_maintenance')).toBe('under_maintenance');
    expect(toStatus(undefined)).toBe('operational');
    expect(toService({ slug: 'x', name: 'X', url: 'u', status: { status: 'major_outage' } })?.status).toBe('major_outage');
  });
  it('read incidents with ISO or epoch times and default a single phase', () => {
    const i = toIncident({ id: 7, service: 'x', status: 'resolved', openedAt: '2025-03-10T09:30:00Z', closedAt: Date.parse('2025-03-10T17:30:00Z') / 1000 });
    expect(i?.status).toBe('closed');
    expect(i?.phases).toEqual([{ start: Date.parse('2025-03-10T09:30:00Z'), end: Date.parse('2025-03-10T17:30:00Z') }]);
  });
  it('read the probe correlation of an incident when the API gives one', () => {
    const base = { id: 'x-1', service: 'x', status: 'open', openedAt: 1 };
    expect(toIncident(base)?.correlation).toBeUndefined();
    const i = toIncident({ ...base, correlation: { confidence: 'confirmed', cause: 'connection timeouts from 7 of 9 locations', failingLocations: 7, totalLocations: 9, errorClasses: [] } });
    expect(i?.correlation).toEqual({ confidence: 'confirmed', cause: 'connection timeouts from 7 of 9 locations', failingLocations: 7, totalLocations: 9 });
  });
  it('never throw on arbitrary JSON and never return NaN shares', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        for (const s of toShares(v)) expect(Number.isFinite(s.percent)).toBe(true);
        toRegions(v);
        toIncident(v);
        toService(v);
      }),
      { numRuns: 500 },
    );
  });
  it('densify gives one bucket per step and keeps every count', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ m: fc.integer({ min: 0, max: 95 }), n: fc.integer({ min: 0, max: 50 }) })), (rows) => {
        const pts = densify(rows.map((r) => ({ t: T0 + r.m * 60_000, total: r.n })), T0, T0 + 96 * 60_000, 15 * 60_000);
        expect(pts).toHaveLength(7);
        expect(pts.reduce((a, p) => a + p.total, 0)).toBe(rows.reduce((a, r) => a + r.n, 0));
      }),
    );
  });
});

describe('group status pages', () => {
  const svc = (slug: string, status: ServiceStatus, category?: string) => ({ slug, name: slug, url: '', status, reasons: [], ...(category ? { category } : {}) });
  it('slugs categories the way URLs spell them', () => {
    expect(categorySlug('Social media')).toBe('social-media');
    expect(categorySlug('  Dev / Tools ')).toBe('dev-tools');
  });
  it('collects a category and takes the worst status', () => {
    const g = groupSubject('social-media', [svc('x', 'major_outage', 'Social media'), svc('m', 'partial_outage', 'Social media'), svc('gh', 'operational', 'Dev')]);
    expect(g?.services.map((s) => s.slug)).toEqual(['x', 'm']);
    expect(g?.status).toBe('major_outage');
    expect(groupSubject('nothing', [svc('x', 'operational', 'Social media')])).toBeUndefined();
    expect(worstStatus([])).toBe('operational');
  });
});
