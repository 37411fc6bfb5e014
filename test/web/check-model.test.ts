import { describe, expect, it } from 'vitest';
import { agoText, certText, durationMs, failureEpisodes, lastResult, locationsText, resultWords, uptimeText } from '../../web/src/model/check-labels.js';
import { chartStart, latencyGrid, withSeconds } from '../../web/src/model/latency-grid.js';

/** The check pages' pure parts; the pages themselves are tested in Chromium (check-pages.test.ts). */

describe('latencyGrid', () => {
  it('has one point per bucket of the span, gaps where nothing succeeded, and marks buckets with failures', () => {
    const g = latencyGrid(
      [
        { start: 10_000, runs: 2, failures: 0, avgMs: 20, maxMs: 25 },
        { start: 30_000, runs: 2, failures: 1, avgMs: 40, maxMs: 40 },
        { start: 40_000, runs: 1, failures: 1, avgMs: null, maxMs: null },
      ],
      10_000,
      5_000,
      50_000,
    );
    expect(g.xs).toEqual([0, 10, 20, 30, 40]);
    expect(g.mean).toEqual([null, 20, null, 40, null]);
    expect(g.max).toEqual([null, 25, null, 40, null]);
    expect(g.failed).toEqual([{ start: 30_000, share: 0.5 }, { start: 40_000, share: 1 }]);
  });
  it('charts a check younger than the window from its first result', () => {
    expect(chartStart({ from: 1000, bucketMs: 60_000 })).toBe(1000);
    expect(chartStart({ from: 1000, dataFrom: 130_000, bucketMs: 60_000 })).toBe(120_000);
  });
  it('adds seconds to axis labels only when ticks fall between minutes', () => {
    expect(withSeconds(['09:04', '09:05'], [Date.UTC(2026, 0, 1, 9, 4), Date.UTC(2026, 0, 1, 9, 5)])).toEqual(['09:04', '09:05']);
    expect(withSeconds(['09:04\nJan 1', '09:04'], [Date.UTC(2026, 0, 1, 9, 4, 0), Date.UTC(2026, 0, 1, 9, 4, 30)])).toEqual(['09:04:00\nJan 1', '09:04:30']);
  });
});

describe('check labels', () => {
  it('says certificate expiry in days', () => {
    expect(certText(12)).toBe('Certificate expires in 12 days');
    expect(certText(1)).toBe('Certificate expires in 1 day');
    expect(certText(0)).toBe('Certificate expires today');
    expect(certText(-1)).toBe('Certificate expired 1 day ago');
    expect(certText(-3)).toBe('Certificate expired 3 days ago');
  });
  it('names results and uptime', () => {
    expect(resultWords({ ok: true, errorClass: 'ok', status: 200 })).toBe('OK 200');
    expect(resultWords({ ok: false, errorClass: 'connection_refused' })).toBe('connection refused');
    expect(resultWords({ ok: false, errorClass: 'http_5xx', status: 503 })).toBe('HTTP 5xx 503');
    expect(uptimeText({ percent: 99.5 })).toBe('99.50%');
    expect(uptimeText({ percent: null })).toBe('—');
    expect(agoText(1000, 5400)).toBe('4 s ago');
    expect(agoText(0, 3 * 3_600_000)).toBe('3 h ago');
  });
  it('counts locations', () => {
    const loc = (location: string, lastAt: number) => ({ location, standing: 'up' as const, lastAt, lastOk: true, lastErrorClass: 'ok', lastLatencyMs: 1 });
    expect(locationsText({ failing: 0, total: 0, locations: [] })).toBe('waiting for the first results');
    expect(locationsText({ failing: 0, total: 3, locations: [loc('a', 1), loc('b', 1), loc('c', 1)] })).toBe('3 locations up');
    expect(locationsText({ failing: 1, total: 3, locations: [loc('a', 1)] })).toBe('1 of 3 locations failing');
    expect(locationsText({ failing: 0, total: 0, locations: [loc('a', 1)] })).toBe('1 location, none counted yet');
    expect(lastResult([loc('a', 1), loc('b', 5), loc('c', 3)])?.location).toBe('b');
  });
});

describe('failure episodes', () => {
  const fail = (location: string, at: number, errorClass = 'http_5xx', status?: number) => ({ id: `${location}-${at}`, location, at, ok: false, errorClass, latencyMs: 1, detail: `${errorClass} at ${at}`, ...(status ? { status } : {}) });
  it('folds a location’s failures in a row with the same class into one line, newest first', () => {
    const list = [fail('Tokyo', 10_000, 'http_5xx', 503), fail('local', 9500, 'timeout'), fail('Tokyo', 9000, 'http_5xx', 503), fail('Tokyo', 8000, 'http_5xx', 503), fail('Tokyo', 7000, 'timeout'), fail('Tokyo', 2000, 'timeout')];
    const e = failureEpisodes(list, 1000);
    expect(e.map((x) => [x.location, x.errorClass, x.runs, x.first, x.last])).toEqual([
      ['Tokyo', 'http_5xx', 3, 8000, 10_000],
      ['local', 'timeout', 1, 9500, 9500],
      ['Tokyo', 'timeout', 1, 7000, 7000],
      // Five intervals earlier: another episode.
      ['Tokyo', 'timeout', 1, 2000, 2000],
    ]);
    expect(e[0]).toMatchObject({ status: 503, detail: 'http_5xx at 10000' });
  });
  it('reads check intervals', () => {
    expect(durationMs('30s')).toBe(30_000);
    expect(durationMs('500ms')).toBe(500);
    expect(durationMs('5m')).toBe(300_000);
    expect(durationMs('soon')).toBeUndefined();
  });
});
