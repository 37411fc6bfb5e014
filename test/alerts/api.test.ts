import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/api/app.js';
import { resolveAlertsSection } from '../../src/alerts/config.js';
import { MemoryBus } from '../../src/events/bus.js';
import type { Store } from '../../src/store/store.js';
import { ManualClock } from '../../src/time/clock.js';
import { testDbs } from '../pg.js';
import { startHttpSink } from './sinks.js';
import { fixedAdminToken } from '../../src/config/admin-token.js';

const TOKEN = 'admin-token-for-alert-tests';
const auth = { authorization: `Bearer ${TOKEN}` };

for (const db of testDbs) {
  describe(`alerts API (${db.name})`, () => {
    let store: Store;
    let app: App;
    let sink: Awaited<ReturnType<typeof startHttpSink>>;

    beforeAll(async () => {
      store = await db.open();
      sink = await startHttpSink();
      const alerts = resolveAlertsSection({
        channels: [{ name: 'cfg-hook', type: 'webhook', url: 'https://hooks.example.org/T000/secret-part', secret: 'very-secret' }],
        rules: [{ service: '*', on: ['open'], channels: ['cfg-hook'], minLocations: 2 }],
      });
      app = await buildApp({ store, bus: new MemoryBus(), clock: new ManualClock(1_700_000_000_000), adminToken: fixedAdminToken(TOKEN), alerts });
    });
    afterAll(async () => {
      await app.close();
      await sink.close();
      await db.cleanup(store);
    });

    it('requires the admin token before looking at the body', async () => {
      for (const [method, url] of [['GET', '/api/v1/alerts/channels'], ['POST', '/api/v1/alerts/channels'], ['GET', '/api/v1/alerts/deliveries'], ['DELETE', '/api/v1/alerts/rules/x']] as const) {
        const res = await app.inject({ method, url, payload: method === 'POST' ? 'not json' : undefined });
        expect(res.statusCode).toBe(401);
        expect(res.json()).toMatchObject({ error: 'unauthorized' });
      }
    });

    it('creates, lists (redacted), tests and deletes a channel', async () => {
      const created = await app.inject({ method: 'POST', url: '/api/v1/alerts/channels', headers: auth, payload: { name: 'ops', type: 'webhook', url: `${sink.url}/ops`, secret: 'abcdefgh1234' } });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ name: 'ops', secret: '***', source: 'api' });
      const again = await app.inject({ method: 'POST', url: '/api/v1/alerts/channels', headers: auth, payload: { name: 'ops', type: 'slack', url: 'https://x.example' } });
      expect(again.statusCode).toBe(409);
      const clash = await app.inject({ method: 'POST', url: '/api/v1/alerts/channels', headers: auth, payload: { name: 'cfg-hook', type: 'slack', url: 'https://x.example' } });
      expect(clash.statusCode).toBe(409);

      const list = (await app.inject({ url: '/api/v1/alerts/channels', headers: auth })).json() as { channels: Record<string, unknown>[] };
      expect(list.channels.map((c) => [c.name, c.source])).toEqual([['cfg-hook', 'config'], ['ops', 'api']]);
      expect(JSON.stringify(list)).not.toContain('very-secret');
      expect(JSON.stringify(list)).not.toContain('secret-part');

      const tested = await app.inject({ method: 'POST', url: '/api/v1/alerts/channels/ops/test', headers: auth });
      expect(tested.json()).toMatchObject({ ok: true, statusCode: 200 });
      expect(sink.requests.at(-1)?.path).toBe('/ops');

      expect((await app.inject({ method: 'DELETE', url: '/api/v1/alerts/channels/ops', headers: auth })).statusCode).toBe(204);
      expect((await app.inject({ method: 'DELETE', url: '/api/v1/alerts/channels/ops', headers: auth })).statusCode).toBe(404);
    });

    it('names the bad field of an invalid channel or rule', async () => {
      const bad = async (url: string, payload: unknown) => {
        const res = await app.inject({ method: 'POST', url, headers: auth, payload: payload as object });
        expect(res.statusCode).toBe(400);
        return res.json() as { error: string; message: string; field?: string };
      };
      expect(await bad('/api/v1/alerts/channels', { name: 'x', type: 'webhook', url: 'ftp://nope' })).toMatchObject({ field: 'url' });
      expect(await bad('/api/v1/alerts/channels', { name: 'x', type: 'webhook', url: 'https://ok.example', extra: 1 })).toMatchObject({ field: 'extra' });
      expect(await bad('/api/v1/alerts/rules', { on: ['open'], channels: ['nope'] })).toMatchObject({ error: 'invalid_rule', field: 'channels' });
      expect(await bad('/api/v1/alerts/rules', { on: ['sometimes'], channels: ['cfg-hook'] })).toMatchObject({ error: 'invalid_definition' });
      expect(await bad('/api/v1/alerts/rules', [])).toMatchObject({ error: 'invalid_request' });
    });

    it('answers any JSON body with a 201 or a 4xx, never a 500', async () => {
      await fc.assert(
        fc.asyncProperty(fc.jsonValue(), fc.constantFrom('/api/v1/alerts/channels', '/api/v1/alerts/rules'), async (body, url) => {
          const res = await app.inject({ method: 'POST', url, headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
          expect([201, 400, 409]).toContain(res.statusCode);
          if (res.statusCode !== 201) expect(res.json()).toHaveProperty('message');
        }),
        { numRuns: 60 },
      );
    });

    it('answers near-valid rule bodies (each field valid, missing or odd) with 201 or a 400, never a 500', async () => {
      // Random JSON rarely passes the first check; these reach every later step (issue 15: 7 x 500 on this route).
      const odd = fc.oneof(
        fc.jsonValue({ maxDepth: 3 }),
        fc.string({ maxLength: 300 }),
        fc.constantFrom(1e308, -1, 0, 2 ** 53, 2 ** 63, 1.5, Number.MAX_SAFE_INTEGER, '', '*', 'x'.repeat(5_000), `${'9'.repeat(400)}h`, '0ms', '1e9d', '99999999999d', '0.0000001s', null, [], {}, ['nope'], Array(7).fill('open')),
      );
      const field = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 6, arbitrary: valid }, { weight: 1, arbitrary: odd }, { weight: 1, arbitrary: fc.constant(undefined) });
      const body = fc.record({
        service: field(fc.constantFrom('*', 'example', 'x')),
        on: field(fc.subarray(['open', 'phase', 'close', 'update', 'probe_failure', 'cert_expiry'], { minLength: 1 })),
        channels: field(fc.constantFrom(['cfg-hook'], ['cfg-hook', 'cfg-hook'])),
        minLocations: field(fc.integer({ min: 1, max: 1000 })),
        certExpiryDays: field(fc.integer({ min: 1, max: 3650 })),
        repeatInterval: field(fc.constantFrom('15m', '1h', '30s', '2d', '0.5h')),
        extra: fc.option(odd, { nil: undefined }),
      });
      const made: string[] = [];
      await fc.assert(
        fc.asyncProperty(body, async (b) => {
          const res = await app.inject({ method: 'POST', url: '/api/v1/alerts/rules', headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify(b) });
          expect([201, 400], res.body).toContain(res.statusCode);
          if (res.statusCode === 201) made.push((res.json() as { id: string }).id);
          else expect(Object.keys(res.json() as object)).toEqual(expect.arrayContaining(['error', 'message']));
        }),
        { numRuns: 300, seed: 15 },
      );
      expect(made.length).toBeGreaterThan(20);
      const list = await app.inject({ url: '/api/v1/alerts/rules', headers: auth });
      expect(list.statusCode).toBe(200);
      for (const id of made) expect((await app.inject({ method: 'DELETE', url: `/api/v1/alerts/rules/${id}`, headers: auth })).statusCode).toBe(204);
    });

    it('creates and deletes a rule; lists config rules too', async () => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/alerts/rules', headers: auth, payload: { service: 'example', on: ['probe_failure'], channels: ['cfg-hook'], minLocations: 3, repeatInterval: '15m' } });
      expect(res.statusCode).toBe(201);
      const rule = res.json() as { id: string };
      const list = (await app.inject({ url: '/api/v1/alerts/rules', headers: auth })).json() as { rules: { id: string; source: string }[] };
      expect(list.rules.map((r) => r.source)).toContain('config');
      expect(list.rules.some((r) => r.id === rule.id)).toBe(true);
      expect((await app.inject({ method: 'DELETE', url: `/api/v1/alerts/rules/${rule.id}`, headers: auth })).statusCode).toBe(204);
    });

    it('lists deliveries with their attempts, and serves correlations by incident id', async () => {
      const message = { kind: 'open' as const, repeat: false, service: 's', status: 'open' as const, url: 'u', breakdown: [], at: 1 };
      await store.alerts.createDelivery({ id: 'd1', channel: 'cfg-hook', channelType: 'webhook', eventKey: 'k', kind: 'open', service: 's', incidentId: 'i1', repeat: 0, message, createdAt: 10 });
      await store.alerts.recordAttempt({ deliveryId: 'd1', attempt: 1, at: 11, ok: false, responseCode: 502, error: 'HTTP 502', durationMs: 3 }, 'retrying');
      const list = await app.inject({ url: '/api/v1/alerts/deliveries?incident=i1', headers: auth });
      expect(list.json()).toMatchObject({ deliveries: [{ id: 'd1', status: 'retrying', attempts: 1, responseCode: 502, lastError: 'HTTP 502' }] });
      expect((await app.inject({ url: '/api/v1/alerts/deliveries?status=bogus', headers: auth })).statusCode).toBe(400);
      const one = await app.inject({ url: '/api/v1/alerts/deliveries/d1', headers: auth });
      expect(one.json()).toMatchObject({ attempts: [{ attempt: 1, ok: false, responseCode: 502 }] });

      expect((await app.inject({ url: '/api/v1/alerts/correlations/i1' })).statusCode).toBe(404);
      await store.services.create({ slug: 's', name: 'S', url: 'https://s.example' }, 'api', 1);
      await store.alerts.saveCorrelation({ incidentId: 'i1', service: 's', open: true, openedAt: 1, confidence: 'probe-only', cause: 'c', failingLocations: 2, totalLocations: 3, errorClasses: [], updatedAt: 2 });
      expect((await app.inject({ url: '/api/v1/alerts/correlations/i1' })).json()).toMatchObject({ confidence: 'probe-only', failingLocations: 2 });
      expect((await app.inject({ url: '/api/v1/alerts/probe-events?service=s' })).json()).toEqual({ events: [] });
    });
  });
}
