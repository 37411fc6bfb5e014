import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDbs } from '../pg.js';
import { auth, createService, harness, type Harness } from './harness.js';

const PROBLEMS = ['app', 'website', 'login', 'feed', 'notifications', 'connection', 'other'];
type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** Every route of this domain, with a slug that exists and one that does not. */
const targets: { method: Method; url: string }[] = [
  { method: 'POST', url: '/api/v1/services' },
  { method: 'GET', url: '/api/v1/services' },
  { method: 'GET', url: '/api/v1/services/x' },
  { method: 'PATCH', url: '/api/v1/services/x' },
  { method: 'PATCH', url: '/api/v1/services/nope' },
  { method: 'DELETE', url: '/api/v1/services/nope' },
  { method: 'POST', url: '/api/v1/services/x/reports' },
  { method: 'POST', url: '/api/v1/services/nope/reports' },
  { method: 'POST', url: '/api/v1/reports:batch' },
  { method: 'GET', url: '/api/v1/services/x/reports' },
  { method: 'GET', url: '/api/v1/services/x/reports/breakdown' },
  { method: 'GET', url: '/api/v1/services/x/regions' },
  { method: 'GET', url: '/api/v2/summary.json' },
  { method: 'GET', url: '/metrics' },
];

const contentTypes = fc.oneof(
  { arbitrary: fc.constantFrom('application/json', 'application/x-ndjson'), weight: 4 },
  { arbitrary: fc.constantFrom('text/plain', 'application/octet-stream', 'multipart/form-data; boundary=x', ''), weight: 1 },
);

/** Plausible report-ish objects, mixed with arbitrary JSON, so both paths get exercised. */
const reportish = fc.oneof(
  { arbitrary: fc.record({ problem: fc.constantFrom(...PROBLEMS) }), weight: 2 },
  fc.record({ problem: fc.oneof(fc.constantFrom(...PROBLEMS), fc.string()), region: fc.option(fc.oneof(fc.constantFrom('US-CA', 'DE', 'gb', 'XX', 'US-'), fc.string({ maxLength: 8 })), { nil: undefined }), client: fc.option(fc.constantFrom('web', 'mobile', 'tv'), { nil: undefined }) }, { requiredKeys: ['problem'] }),
  fc.jsonValue(),
);
const batchLine = fc.oneof(
  fc.record({ service: fc.constantFrom('x', 'y', 'nope', ''), problem: fc.constantFrom(...PROBLEMS, 'zzz'), reporter: fc.option(fc.string({ minLength: 1, maxLength: 8 }), { nil: undefined }), ts: fc.option(fc.constantFrom('2025-03-10T11:00:00Z', 'not-a-date', '9999-01-01T00:00:00Z'), { nil: undefined }) }, { requiredKeys: ['service', 'problem'] }).map((o) => JSON.stringify(o)),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string(),
);

const request = fc.record({
  target: fc.oneof({ arbitrary: fc.constantFrom(...targets), weight: 2 }, { arbitrary: fc.constantFrom(targets[6], targets[8]), weight: 1 }),
  admin: fc.boolean(),
  contentType: contentTypes,
  ip: fc.ipV4(),
  query: fc.dictionary(fc.constantFrom('from', 'to', 'step', 'x'), fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('2025-03-10T00:00:00Z', '1741600000000', '1m', '1h', '7m')), { maxKeys: 3 }),
  body: fc.oneof(
    reportish.map((v) => JSON.stringify(v)),
    fc.array(batchLine, { maxLength: 20 }).map((ls) => ls.join('\n')),
    fc.uint8Array({ maxLength: 256 }).map((b) => Buffer.from(b).toString('latin1')),
    fc.constant(''),
  ),
});

describe.each(testDbs)('random input on $name', (db) => {
  let h: Harness;
  let acknowledged = 0;
  beforeAll(async () => {
    h = await harness(await db.open(), { rateBurst: 1_000_000, ratePerMinute: 1_000_000 });
    await createService(h.app, 'x');
    await createService(h.app, 'y');
  });
  afterAll(async () => {
    await h.close();
    await db.cleanup(h.store);
  });

  it('never answers 5xx; every error is {error, message}; every acknowledged report is counted once', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const qs = new URLSearchParams(r.query).toString();
        const headers: Record<string, string> = { 'x-forwarded-for': r.ip, ...(r.admin ? auth : {}) };
        if (r.contentType) headers['content-type'] = r.contentType;
        const opts: InjectOptions = { method: r.target.method, url: r.target.url + (qs ? `?${qs}` : ''), headers };
        if (r.target.method !== 'GET') opts.payload = r.body;
        // Never delete the services the other requests rely on.
        if (r.target.method === 'DELETE' && r.target.url.endsWith('/x')) return;
        const res = await h.app.inject(opts);
        expect(res.statusCode, `${r.target.method} ${r.target.url} ${res.body}`).toBeLessThan(500);
        if (res.statusCode >= 400) {
          const body = res.json() as { error: unknown; message: unknown };
          expect(typeof body.error).toBe('string');
          expect(typeof body.message).toBe('string');
        }
        if (res.statusCode === 202) acknowledged += 1;
        if (res.statusCode === 200 && r.target.url === '/api/v1/reports:batch') acknowledged += (res.json() as { accepted: number }).accepted;
      }),
      { numRuns: 400 },
    );
    const rolled = await h.store.db.get<{ n: number }>('SELECT COALESCE(SUM(count), 0) AS n FROM report_minutes');
    expect(Number(rolled?.n)).toBe(acknowledged);
    expect(await h.store.reports.countRaw()).toBe(acknowledged);
    expect(acknowledged).toBeGreaterThan(0);
  });
});
