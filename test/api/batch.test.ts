import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDbs } from '../pg.js';
import { auth, createService, harness, T0, type Harness } from './harness.js';

const ndjson = { 'content-type': 'application/x-ndjson' };

describe.each(testDbs)('POST /api/v1/reports:batch on $name', (db) => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness(await db.open());
    await createService(h.app, 'x');
    await createService(h.app, 'y');
  });
  afterEach(async () => {
    await h.close();
    await db.cleanup(h.store);
  });

  const batch = (lines: unknown[], headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url: '/api/v1/reports:batch', headers: { ...ndjson, ...headers }, payload: lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n' });

  it('accepts good lines and names the reason for every bad one', async () => {
    const res = await batch(
      [
        { service: 'x', problem: 'app', reporter: 'r1' },
        { service: 'x', problem: 'app', reporter: 'r1' },
        { service: 'y', problem: 'login', reporter: 'r1', region: 'DE', client: 'mobile' },
        '{not json',
        { service: 'nope', problem: 'app', reporter: 'r2' },
        { service: 'x', problem: 'bogus', reporter: 'r3' },
        { service: 'x', problem: 'app', reporter: 'r4', ts: 'yesterday' },
        { service: 'x', problem: 'app', reporter: 'r5', extra: true },
        [1, 2],
        { service: 'x', problem: 'feed', reporter: 'r6', region: 'QQ' },
      ],
      auth,
    );
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.accepted).toBe(2);
    expect(body.rejected).toBe(8);
    expect(body.errors.map((e: { line: number; error: string }) => [e.line, e.error])).toEqual([
      [2, 'duplicate'],
      [4, 'invalid_json'],
      [5, 'unknown_service'],
      [6, 'invalid'],
      [7, 'invalid'],
      [8, 'invalid'],
      [9, 'invalid'],
      [10, 'invalid_region'],
    ]);
    expect(await h.store.reports.countRaw()).toBe(2);
  });

  it("the admin's reporters are sources for detection: new once per window, again after it; a longer source window remembers them past dedupe", async () => {
    const M = 60_000;
    const lines = [
      { service: 'x', problem: 'app', reporter: 'r1', ts: T0 - 40 * M },
      { service: 'x', problem: 'app', reporter: 'r2', ts: T0 - 40 * M },
      { service: 'x', problem: 'app', reporter: 'r1', ts: T0 - 35 * M },
      { service: 'x', problem: 'app', reporter: 'r1', ts: T0 - 20 * M },
      { service: 'y', problem: 'app', reporter: 'r1', ts: T0 - 20 * M },
    ];
    const perMinute = async (store: typeof h.store) =>
      (await store.db.all<{ minute: number | string; c: number | string; s: number | string }>('SELECT minute, SUM(count) AS c, SUM(sources) AS s FROM report_minutes GROUP BY minute ORDER BY minute')).map((r) => [(Number(r.minute) - T0) / M, Number(r.c), Number(r.s)]);
    expect((await batch(lines, auth)).json()).toMatchObject({ accepted: 4, duplicates: 1 });
    await h.ingest.queue.flush();
    // Minute -40: r1 and r2, both new; -20: r1 on x (back after 20 minutes) and on y, new on each.
    expect(await perMinute(h.store)).toEqual([[-40, 2, 2], [-20, 2, 2]]);

    const longer = await harness(await db.open(), { sourceWindowMinutes: 30 });
    try {
      await createService(longer.app, 'x');
      await createService(longer.app, 'y');
      const res = await longer.app.inject({ method: 'POST', url: '/api/v1/reports:batch', headers: { ...ndjson, ...auth }, payload: lines.map((l) => JSON.stringify(l)).join('\n') });
      expect(res.json()).toMatchObject({ accepted: 4, duplicates: 1 });
      await longer.ingest.queue.flush();
      // r1 on x after 20 minutes: past dedupe's 15, within the 30 of the source window.
      expect(await perMinute(longer.store)).toEqual([[-40, 2, 2], [-20, 2, 1]]);
    } finally {
      await longer.close();
      await db.cleanup(longer.store);
    }
  });

  it('without the admin token: no ts, no reporter, and every line of one sender is one reporter', async () => {
    const res = await batch([
      { service: 'x', problem: 'app' },
      { service: 'x', problem: 'login' },
      { service: 'y', problem: 'login' },
      { service: 'x', problem: 'app', reporter: 'r1' },
      { service: 'x', problem: 'app', ts: '2025-03-10T11:00:00Z' },
    ]);
    expect(res.statusCode).toBe(200);
    expect(res.json().errors.map((e: { line: number; error: string }) => [e.line, e.error])).toEqual([
      [2, 'duplicate'],
      [4, 'reporter_requires_admin'],
      [5, 'ts_requires_admin'],
    ]);
    expect(res.json().accepted).toBe(2);
  });

  it('without the admin token each line costs a token: a batch beyond the burst is refused whole', async () => {
    const lines = (n: number) => Array.from({ length: n }, (_, i) => ({ service: 'x', problem: 'app', region: i % 2 ? 'DE' : 'FR' }));
    const tooLong = await batch(lines(11), { 'x-forwarded-for': '198.51.100.1' });
    expect(tooLong.statusCode).toBe(413);
    expect(tooLong.json()).toMatchObject({ error: 'too_many_lines', field: 'body' });
    expect(tooLong.json().message).toContain('at most 10 lines');
    expect((await batch(lines(6), { 'x-forwarded-for': '198.51.100.1' })).statusCode).toBe(200);
    const over = await batch(lines(6), { 'x-forwarded-for': '198.51.100.1' });
    expect(over.statusCode).toBe(429);
    expect(over.json()).toMatchObject({ error: 'rate_limited' });
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    // Another address of the same /24 still has its own address bucket, but shares the network's.
    expect((await batch(lines(4), { 'x-forwarded-for': '198.51.100.2' })).statusCode).toBe(200);
    const metrics = (await h.app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/stormwatch_reports_limited_total\{limit="address"\} 17$/m);
  });

  it('backfills with the admin token in event time; spam from a few reporters is deduped', async () => {
    const lines: unknown[] = [];
    for (let m = 0; m < 60; m++) {
      const ts = new Date(T0 - 86_400_000 + m * 60_000).toISOString();
      lines.push({ service: 'x', problem: 'app', region: 'US-CA', ts });
      lines.push({ service: 'x', problem: 'login', ts, reporter: `spammer-${m % 3}` });
    }
    const res = await batch(lines, auth);
    const body = res.json();
    // 60 trusted history lines, and each spammer once per 15 minutes: 3 reporters × 4 windows.
    expect(body.accepted).toBe(60 + 12);
    expect(body.errors.every((e: { error: string }) => e.error === 'duplicate')).toBe(true);
    const series = (await h.app.inject({ url: `/api/v1/services/x/reports?from=${new Date(T0 - 86_400_000).toISOString()}&to=${new Date(T0 - 82_800_000).toISOString()}&step=15m` })).json();
    expect(series.points.map((p: { total: number }) => p.total)).toEqual([18, 18, 18, 18]);
    expect(series.points[0].problems).toMatchObject({ app: 15, login: 3 });
  });

  it('refuses wrong media types, empty and oversized batches with 4xx', async () => {
    const json = await h.app.inject({ method: 'POST', url: '/api/v1/reports:batch', payload: { service: 'x', problem: 'app' } });
    expect(json.statusCode).toBe(415);
    expect((await batch([])).statusCode).toBe(400);
    const big = Array.from({ length: 10_001 }, (_, i) => ({ service: 'x', problem: 'app', reporter: `r${i}` }));
    const res = await batch(big, auth);
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: 'too_many_lines', field: 'body' });
  });
});
