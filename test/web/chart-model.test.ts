import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Incident, Service } from '../../web/src/api/types.js';
import { regionName } from '../../web/src/map/region-names.js';
import { barXRange, countAxis } from '../../web/src/model/chart-scales.js';
import { incidentTitle, regionLabel } from '../../web/src/model/labels.js';
import { placePhaseLabels } from '../../web/src/model/phase-labels.js';
import { formatAgo, serviceRows } from '../../web/src/model/service-rows.js';
import { endOfLocalDay, formatDate, formatDateTime, localDateValue, timeAxisLabels, zoneLabel } from '../../web/src/model/time-labels.js';
import { latestIncidentEnd } from '../../web/src/model/window.js';

/** The report chart's fixes (issue 10, item 4) and the service page's opening rules, as pure functions. */

const T = Date.parse('2025-03-10T13:30:00Z');
const NOW_2026 = Date.parse('2026-12-02T05:30:00Z');
const NY = { timeZone: 'America/New_York', locale: 'en-US' };

describe('the newest bucket is drawn', () => {
  it('the x range runs to the end of the last bucket, so a bar drawn right of its start fits', () => {
    const starts = Array.from({ length: 96 }, (_, i) => T + i * 900_000);
    const [min, max] = barXRange(starts, 900_000) ?? [0, 0];
    expect(min).toBe(T / 1000);
    // The last bar spans [last start, last start + 15 min): inside the range.
    expect(starts[95] / 1000 + 900).toBeLessThanOrEqual(max);
    expect(max).toBe((T + 96 * 900_000) / 1000);
    expect(barXRange([], 900_000)).toBeUndefined();
  });
});

describe('integer count ticks', () => {
  it.each([
    [0, 6, 1, [0, 1]],
    [0.25, 6, 1, [0, 1]],
    [3, 6, 1, [0, 1, 2, 3]],
    [7.2, 6, 2, [0, 2, 4, 6, 8]],
    [4405, 6, 1000, [0, 1000, 2000, 3000, 4000, 5000]],
  ])('max %d with at most %d intervals: step %d, ticks %j', (max, n, step, ticks) => {
    const a = countAxis(max, n);
    expect(a.step).toBe(step);
    expect(a.ticks).toEqual(ticks);
  });
  it('always whole numbers, covering the maximum, within the tick budget', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e9, noNaN: true }), fc.integer({ min: 1, max: 12 }), (max, n) => {
        const a = countAxis(max, n);
        expect(a.ticks.every((t) => Number.isInteger(t))).toBe(true);
        expect(a.top).toBeGreaterThanOrEqual(max);
        expect(a.top).toBeGreaterThanOrEqual(1);
        expect(a.ticks.length - 1).toBeLessThanOrEqual(Math.max(n, 1));
        expect(a.ticks[a.ticks.length - 1]).toBe(a.top);
      }),
    );
  });
});

describe('phase labels never overlap', () => {
  const measure = (t: string): number => 7 * t.length;
  const overlaps = (ls: ReturnType<typeof placePhaseLabels>, gap: number): boolean =>
    ls.some((a, i) => ls.some((b, j) => i < j && a.row === b.row && a.x < b.x + b.width + gap && b.x < a.x + a.width + gap));
  it('packs the four X waves of one day on the 7-day view (a few pixels apart) without overlap', () => {
    // 7 days over 1000 px: the waves at 05:30, 09:30, 11:10 and 12:00 ET are 24, 10 and 5 px apart.
    const px = (h: number): number => 800 + (h * 1000) / (7 * 24);
    const spans = [
      { x0: px(5.5), x1: px(6.4), label: 'Phase 1' },
      { x0: px(9.5), x1: px(10.4), label: 'Phase 2' },
      { x0: px(11.17), x1: px(11.75), label: 'Phase 3' },
      { x0: px(12), x1: px(13.9), label: 'Phase 4' },
    ];
    const placed = placePhaseLabels(spans, measure, 1000, { rows: 2, gap: 4 });
    expect(overlaps(placed, 4)).toBe(false);
    expect(placed.map((l) => l.text)).toEqual(['1', '2', '3', '4']);
    expect(placed.every((l) => l.x + l.width <= 1000)).toBe(true);
  });
  it('keeps full labels where there is room (the 24-hour view)', () => {
    const placed = placePhaseLabels([{ x0: 100, x1: 200, label: 'Phase 1' }, { x0: 400, x1: 500, label: 'Phase 2' }], measure, 1000);
    expect(placed.map((l) => [l.text, l.row])).toEqual([['Phase 1', 0], ['Phase 2', 0]]);
  });
  it('for any spans: no two labels on one row overlap, and every label stays in the plot', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 990 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 9 })), { maxLength: 20 }), (raw) => {
        const spans = raw.map(([x0, w, n]) => ({ x0, x1: x0 + w, label: `Phase ${n}` }));
        const placed = placePhaseLabels(spans, measure, 1000, { rows: 2, gap: 4 });
        expect(overlaps(placed, 4)).toBe(false);
        expect(placed.every((l) => l.x + l.width <= 1000 && l.row >= 0 && l.row < 2)).toBe(true);
      }),
    );
  });
});

describe("times in the viewer's zone, the zone named, the year when not this year", () => {
  it('names the zone', () => {
    expect(zoneLabel(T, NY)).toBe('America/New_York (EDT)');
    expect(zoneLabel(Date.parse('2025-01-10T12:00:00Z'), NY)).toBe('America/New_York (EST)');
    expect(zoneLabel(T, { timeZone: 'UTC', locale: 'en-US' })).toBe('UTC');
  });
  it('shows a 2025 outage with its year in 2026, and without it in 2025', () => {
    expect(formatDateTime(T, NOW_2026, NY)).toBe('Mar 10, 2025, 09:30 AM EDT');
    expect(formatDateTime(T, T + 86_400_000, NY)).toBe('Mar 10, 09:30 AM EDT');
    expect(formatDate(T, NOW_2026, NY)).toBe('Mar 10, 2025');
  });
  it('labels axis ticks with local times, and the date where the day changes', () => {
    const ticks = [-2, 0, 6, 12].map((h) => Date.parse('2025-03-10T04:00:00Z') + h * 3_600_000);
    expect(timeAxisLabels(ticks, NOW_2026, NY)).toEqual(['22:00\nMar 9, 2025', '00:00\nMar 10, 2025', '06:00', '12:00']);
    const midnights = [0, 1, 2].map((d) => Date.parse('2026-11-29T05:00:00Z') + d * 86_400_000);
    expect(timeAxisLabels(midnights, NOW_2026, NY)).toEqual(['Nov 29', 'Nov 30', 'Dec 1']);
  });
  it('a day picked in the date input ends at the next local midnight, after every moment of that day', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('2000-01-01T00:00:00Z'), max: Date.parse('2040-01-01T00:00:00Z') }), (ms) => {
        const end = endOfLocalDay(localDateValue(ms)) ?? NaN;
        expect(end).toBeGreaterThan(ms);
        expect(end - ms).toBeLessThanOrEqual(25 * 3_600_000);
        expect(localDateValue(end - 1)).toBe(localDateValue(ms));
      }),
    );
    expect(endOfLocalDay('2025-13-45x')).toBeUndefined();
  });
});

describe('names instead of codes', () => {
  it("titles incidents with the service's name", () => {
    expect(incidentTitle({ service: 'x', title: 'x: major outage reported' }, 'X (Twitter)')).toBe('X (Twitter): major outage reported');
    expect(incidentTitle({ service: 'x', title: 'x: major outage reported' }, undefined)).toBe('x: major outage reported');
    expect(incidentTitle({ service: 'x', title: 'Operator note' }, 'X (Twitter)')).toBe('Operator note');
  });
  it('puts region names next to codes, from offline data', () => {
    expect(regionLabel('US-CA', regionName)).toBe('California (US-CA)');
    expect(regionLabel('us-ny', regionName)).toBe('New York (US-NY)');
    expect(regionLabel('GB', regionName)).toBe('United Kingdom (GB)');
    expect(regionLabel('GB-ENG', regionName)).toBe('England (GB-ENG)');
    expect(regionLabel('unknown', regionName)).toBe('unknown');
    expect(regionLabel('US-CA', undefined)).toBe('US-CA');
  });
});

describe('a newcomer sees the outage', () => {
  const svc = (slug: string, status: Service['status']): Service => ({ slug, name: slug.toUpperCase(), url: '', status, reasons: [] });
  const inc = (service: string, openedAt: number, closedAt?: number): Incident => ({
    id: `${service}-${openedAt}`, service, status: closedAt === undefined ? 'open' : 'closed', title: '', openedAt, phases: [{ start: openedAt, ...(closedAt ? { end: closedAt - 600_000 } : {}) }], breakdown: [], regions: [], ...(closedAt !== undefined ? { closedAt } : {}),
  });
  it('home: open incidents first, then trouble, then a recently resolved one, with how long ago', () => {
    const now = NOW_2026;
    const rows = serviceRows(
      [svc('a', 'operational'), svc('x', 'operational'), svc('old', 'operational'), svc('d', 'degraded_performance'), svc('o', 'operational')],
      [inc('x', now - 10 * 3_600_000, now - 12 * 60_000), inc('old', now - 90 * 3_600_000, now - 80 * 3_600_000), inc('o', now - 3_600_000)],
      now,
    );
    expect(rows.map((r) => r.service.slug)).toEqual(['o', 'd', 'x', 'a', 'old']);
    expect(rows[2].recentlyClosedAt).toBe(now - 12 * 60_000);
    expect(rows[4].recentlyClosedAt).toBeUndefined();
    expect(formatAgo(now - 12 * 60_000, now)).toBe('12 min ago');
    expect(formatAgo(now - 5 * 3_600_000, now)).toBe('5 h ago');
  });
  it('service page: with nothing in the last 24 h, opens an hour past the latest incident', () => {
    const from = NOW_2026 - 86_400_000;
    const march = inc('x', Date.parse('2025-03-10T09:30:00Z'), Date.parse('2025-03-10T18:13:00Z'));
    const earlier = inc('x', Date.parse('2025-02-01T09:30:00Z'), Date.parse('2025-02-01T10:00:00Z'));
    expect(latestIncidentEnd([earlier, march], from, NOW_2026)).toBe(Date.parse('2025-03-10T19:13:00Z'));
    expect(latestIncidentEnd([], from, NOW_2026)).toBeUndefined();
    // An incident inside the window is already on screen.
    expect(latestIncidentEnd([inc('x', NOW_2026 - 3_600_000, NOW_2026 - 600_000)], from, NOW_2026)).toBeUndefined();
  });
});
