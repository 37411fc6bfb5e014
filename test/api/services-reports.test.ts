import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDbs } from '../pg.js';
import { auth, createService, harness, T0, type Harness } from './harness.js';

describe.each(testDbs)('services and reports API on $name', (db) => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness(await db.open());
  });
  afterEach(async () => {
    await h.close();
    await db.cleanup(h.store);
  });

  it('creates, reads, patches and deletes a service; writes need the admin token', async () => {
    const body = { slug: 'github', name: 'GitHub', url: 'https://github.com' };
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/services', payload: body })).statusCode).toBe(401);
    const created = await h.app.inject({ method: 'POST', url: '/api/v1/services', headers: auth, payload: body });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ slug: 'github', name: 'GitHub', status: 'operational' });
    const dup = await h.app.inject({ method: 'POST', url: '/api/v1/services', headers: auth, payload: body });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ error: 'conflict', field: 'slug' });
    const patched = await h.app.inject({ method: 'PATCH', url: '/api/v1/services/github', headers: auth, payload: { category: 'dev', name: 'GitHub Inc' } });
    expect(patched.json()).toMatchObject({ name: 'GitHub Inc', category: 'dev' });
    const list = await h.app.inject({ url: '/api/v1/services' });
    expect(list.json().services.map((s: { slug: string }) => s.slug)).toEqual(['github']);
    expect((await h.app.inject({ method: 'DELETE', url: '/api/v1/services/github', headers: auth })).statusCode).toBe(204);
    expect((await h.app.inject({ url: '/api/v1/services/github' })).statusCode).toBe(404);
  });

  it('rejects bad service bodies with a field', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/services', headers: auth, payload: { slug: 'Bad Slug', name: 'x', url: 'https://x' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_request', field: 'body.slug' });
    const extra = await h.app.inject({ method: 'POST', url: '/api/v1/services', headers: auth, payload: { slug: 'ok', name: 'x', url: 'https://x', evil: 1 } });
    expect(extra.statusCode).toBe(400);
  });

  it('accepts a report once durable, dedupes the same reporter, counts it in the series', async () => {
    await createService(h.app, 'x');
    const post = (headers: Record<string, string>, payload: Record<string, unknown>) => h.app.inject({ method: 'POST', url: '/api/v1/services/x/reports', headers, payload });
    const first = await post({ 'x-forwarded-for': '81.2.69.142', 'user-agent': 'a' }, { problem: 'app' });
    expect(first.statusCode).toBe(202);
    expect(first.json()).toEqual({ accepted: true, region: 'GB' });
    const again = await post({ 'x-forwarded-for': '81.2.69.142', 'user-agent': 'a' }, { problem: 'login' });
    // A repeat is not an error: 202, not counted, and no Retry-After (which clients read as "slow down").
    expect(again.statusCode).toBe(202);
    expect(again.json()).toEqual({ accepted: false, reason: 'duplicate' });
    expect(again.headers['retry-after']).toBeUndefined();
    expect((await post({ 'x-forwarded-for': '81.2.69.142', 'user-agent': 'b' }, { problem: 'login', region: 'us-ca', client: 'web' })).statusCode).toBe(202);
    expect((await post({ 'x-forwarded-for': '10.0.0.1' }, { problem: 'app' })).json().region).toBe('unknown');
    h.clock.advance(15 * 60_000);
    expect((await post({ 'x-forwarded-for': '81.2.69.142', 'user-agent': 'a' }, { problem: 'feed' })).statusCode).toBe(202);

    const from = new Date(T0 - 60_000).toISOString();
    const to = new Date(T0 + 20 * 60_000).toISOString();
    const series = (await h.app.inject({ url: `/api/v1/services/x/reports?from=${from}&to=${to}&step=5m` })).json();
    expect(series.points).toHaveLength(5);
    expect(series.total).toBe(4);
    expect(series.points[1]).toMatchObject({ t: '2025-03-10T12:00:00.000Z', total: 3, problems: { app: 2, login: 1 } });
    expect(series.points[4]).toMatchObject({ t: "2025-03-10T12:15:00.000Z", total: 1, problems: { feed: 1 } });
    const breakdown = (await h.app.inject({ url: `/api/v1/services/x/reports/breakdown?from=${from}&to=${to}` })).json();
    expect(breakdown).toMatchObject({ total: 4, problems: [{ problem: 'app', count: 2, percent: 50 }, { problem: 'feed', count: 1, percent: 25 }, { problem: 'login', count: 1, percent: 25 }] });
    const regions = (await h.app.inject({ url: `/api/v1/services/x/regions?from=${from}&to=${to}` })).json();
    expect(regions.regions).toEqual([
      { region: 'GB', count: 2, percent: 50 },
      { region: 'US-CA', count: 1, percent: 25 },
      { region: 'unknown', count: 1, percent: 25 },
    ]);
    expect(await h.store.reports.countRaw()).toBe(4);
  });

  it('answers bad reports and ranges with 4xx and a field', async () => {
    await createService(h.app, 'x');
    const post = (payload: Record<string, unknown>) => h.app.inject({ method: 'POST', url: '/api/v1/services/x/reports', payload });
    const badProblem = await post({ problem: 'nope' });
    expect(badProblem.statusCode).toBe(400);
    expect(badProblem.json()).toMatchObject({ error: 'invalid_request', field: 'body.problem' });
    expect(badProblem.json().message).toMatch(/^body\.problem must be one of "app", "website", .*"other"$/);
    expect((await post({ problem: 'app', region: 'XX-1' })).json()).toMatchObject({ error: 'invalid_region', field: 'region' });
    expect((await post({ problem: 'app', extra: 1 })).statusCode).toBe(400);
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/services/nope/reports', payload: { problem: 'app' } })).statusCode).toBe(404);
    const big = await post({ problem: 'app', pad: 'x'.repeat(5_000) });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ error: 'body_too_large' });
    const bad = async (q: string, field: string): Promise<void> => {
      const res = await h.app.inject({ url: `/api/v1/services/x/reports?${q}` });
      expect(res.statusCode, q).toBe(400);
      expect(res.json().field, q).toBe(field);
    };
    await bad('from=2025-03-10T00:00:00Z&to=2025-03-09T00:00:00Z', 'from');
    await bad('from=2024-01-01T00:00:00Z&to=2025-03-09T00:00:00Z', 'from');
    await bad('from=yesterday', 'from');
    await bad('step=2m', 'querystring.step');
    await bad('from=2025-01-01T00:00:00Z&to=2025-03-09T00:00:00Z&step=1m', 'step');
  });

  it('rate limits one address and says when to retry', async () => {
    await h.close();
    h = await harness(h.store, { rateBurst: 2, ratePerMinute: 1 });
    await createService(h.app, 'x');
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/services/x/reports', headers: { 'x-forwarded-for': '81.2.69.142', 'user-agent': `ua${i}` }, payload: { problem: 'app' } });
      codes.push(res.statusCode);
      if (res.statusCode === 429) {
        expect(res.json().error).toBe('rate_limited');
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      }
    }
    expect(codes).toEqual([202, 202, 429, 429]);
  });
});
