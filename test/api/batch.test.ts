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
    const res = await batch([
      { service: 'x', problem: 'app', reporter: 'r1' },
      { service: 'x', problem: 'app', reporter: 'r1' },
      { service: 'y', problem: 'login', reporter: 'r1', region: 'DE', client: 'mobile' },
      '{not json',
      { service: 'nope', problem: 'app', reporter: 'r2' },
      { service: 'x', problem: 'bogus', reporter: 'r3' },
      { service: 'x', problem: 'app', reporter: 'r4', ts: '2025-03-10T11:00:00Z' },
      { service: 'x', problem: 'app', reporter: 'r5', extra: true },
      [1, 2],
      { service: 'x', problem: 'feed', reporter: 'r6', region: 'QQ' },
    ]);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.accepted).toBe(2);
    expect(body.rejected).toBe(8);
    expect(body.errors.map((e: { line: number; error: string }) => [e.line, e.error])).toEqual([
      [2, 'duplicate'],
      [4, 'invalid_json'],
      [5, 'unknown_service'],
      [6, 'invalid'],
      [7, 'ts_requires_admin'],
      [8, 'invalid'],
      [9, 'invalid'],
      [10, 'invalid_region'],
    ]);
    expect(await h.store.reports.countRaw()).toBe(2);
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
