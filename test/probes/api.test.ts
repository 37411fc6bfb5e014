import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/api/app.js';
import { MemoryBus, type BusEvents } from '../../src/events/bus.js';
import { defaultRegistry } from '../../src/probes/default-registry.js';
import { ProbeService } from '../../src/probes/service.js';
import type { Store } from '../../src/store/store.js';
import { ManualClock } from '../../src/time/clock.js';
import { testDbs } from '../pg.js';
import { fixedAdminToken } from '../../src/config/admin-token.js';

const ADMIN = 'a'.repeat(32);
const auth = { authorization: `Bearer ${ADMIN}` };
const web = { name: 'web', service: 'shop', type: 'http', target: 'http://127.0.0.1:9/', conditions: ['status == 200'] };

for (const tdb of testDbs) {
  describe(`checks and agents API on ${tdb.name}`, () => {
    let store: Store;
    let app: App;
    let published: BusEvents['probe.results'][];
    const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
    beforeEach(async () => {
      store = await tdb.open();
      const bus = new MemoryBus();
      published = [];
      bus.subscribe('probe.results', (p) => published.push(p));
      const probes = new ProbeService(store.probes, defaultRegistry(), bus, clock);
      app = await buildApp({ store, bus, clock, adminToken: fixedAdminToken(ADMIN), probes });
    });
    afterEach(async () => {
      await app.close();
      await tdb.cleanup(store);
    });

    it('creates, reads, patches and deletes a check with the config schema and its defaults', async () => {
      const created = await app.inject({ method: 'POST', url: '/api/v1/checks', headers: auth, payload: web });
      expect(created.statusCode).toBe(201);
      const check = created.json();
      expect(check).toMatchObject({ name: 'web', interval: '60s', timeout: '10s', locations: [], enabled: true });
      expect((await app.inject({ url: '/api/v1/checks', headers: auth })).json().checks).toHaveLength(1);
      const anonymous = (await app.inject({ url: '/api/v1/checks?service=shop' })).json().checks;
      expect(anonymous).toEqual([{ id: check.id, name: 'web', service: 'shop', type: 'http', target: 'http://127.0.0.1:9/', interval: '60s', locations: [] }]);
      expect((await app.inject({ url: '/api/v1/checks?service=other' })).json().checks).toEqual([]);
      const patched = await app.inject({ method: 'PATCH', url: `/api/v1/checks/${check.id}`, headers: auth, payload: { interval: '30s', locations: ['Tokyo'], service: null } });
      expect(patched.statusCode).toBe(200);
      expect(patched.json()).toMatchObject({ interval: '30s', locations: ['Tokyo'] });
      expect(patched.json().service).toBeUndefined();
      expect((await app.inject({ method: 'DELETE', url: `/api/v1/checks/${check.id}`, headers: auth })).statusCode).toBe(204);
      expect((await app.inject({ method: 'DELETE', url: `/api/v1/checks/${check.id}`, headers: auth })).statusCode).toBe(404);
    });

    it('answers every mistake with a 4xx {error, message, field}', async () => {
      const cases: [unknown, number, string | undefined][] = [
        [{ ...web, type: 'smtp' }, 400, 'body.type'],
        [{ ...web, interval: 'often' }, 400, 'body.interval'],
        [{ ...web, extra: 1 }, 400, 'body.extra'],
        [{ ...web, conditions: ['status ~ 200'] }, 400, 'conditions.0'],
        [{ ...web, type: 'tcp' }, 400, 'target'],
        [{ ...web, type: 'tcp', target: '127.0.0.1:9' }, 400, 'conditions.0'],
      ];
      for (const [payload, status, field] of cases) {
        const res = await app.inject({ method: 'POST', url: '/api/v1/checks', headers: auth, payload: payload as object });
        expect(res.statusCode, JSON.stringify(payload)).toBe(status);
        expect(res.json()).toMatchObject({ error: expect.any(String), message: expect.any(String), field });
      }
      expect((await app.inject({ method: 'POST', url: '/api/v1/checks', payload: web })).statusCode).toBe(401);
      await app.inject({ method: 'POST', url: '/api/v1/checks', headers: auth, payload: web });
      const dup = await app.inject({ method: 'POST', url: '/api/v1/checks', headers: auth, payload: web });
      expect(dup.statusCode).toBe(409);
      const bad = await app.inject({ method: 'PATCH', url: '/api/v1/checks/nope', headers: auth, payload: { interval: '1s' } });
      expect(bad.statusCode).toBe(404);
      const id = (await app.inject({ url: '/api/v1/checks', headers: auth })).json().checks[0].id;
      const badPatch = await app.inject({ method: 'PATCH', url: `/api/v1/checks/${id}`, headers: auth, payload: { timeout: 5 } });
      expect(badPatch.statusCode).toBe(400);
      expect(badPatch.json().field).toBe('timeout');
      expect((await app.inject({ url: `/api/v1/checks/${id}/results?from=yesterday` })).json()).toMatchObject({ error: 'invalid_time', field: 'from' });
    });

    it('issues agent tokens, takes idempotent result batches, builds the matrix, revokes', async () => {
      const check = (await app.inject({ method: 'POST', url: '/api/v1/checks', headers: auth, payload: { ...web, locations: ['Frankfurt, DE'] } })).json();
      const other = (await app.inject({ method: 'POST', url: '/api/v1/checks', headers: auth, payload: { ...web, name: 'tokyo-only', locations: ['Tokyo, JP'] } })).json();
      const created = await app.inject({ method: 'POST', url: '/api/v1/agents', headers: auth, payload: { name: 'fra-1' } });
      expect(created.statusCode).toBe(201);
      const { agent, token } = created.json();
      const agentAuth = { authorization: `Bearer ${token}` };

      const assignments = await app.inject({ url: '/api/v1/agent/assignments?location=Frankfurt,%20DE', headers: agentAuth });
      expect(assignments.json().checks.map((c: { id: string }) => c.id)).toEqual([check.id]);
      expect(assignments.json().checks.map((c: { id: string }) => c.id)).not.toContain(other.id);
      expect((await app.inject({ url: '/api/v1/agent/assignments', headers: auth })).statusCode).toBe(401);

      const at = clock.now();
      const results = [
        { id: 'res-00000001', checkId: check.id, at, ok: true, errorClass: 'ok', latencyMs: 12, status: 200, detail: 'ok' },
        { id: 'res-00000002', checkId: check.id, at: at + 1000, ok: false, errorClass: 'connection_refused', latencyMs: 1, detail: 'ECONNREFUSED' },
        { id: 'res-00000003', checkId: 'deleted-check', at, ok: true, errorClass: 'ok', latencyMs: 1, detail: 'ok' },
      ];
      const push = () => app.inject({ method: 'POST', url: '/api/v1/agent/results', headers: agentAuth, payload: { location: 'Frankfurt, DE', results } });
      expect((await push()).json()).toEqual({ accepted: 2, duplicates: 0, ignored: 1, refused: 0 });
      expect((await push()).json()).toEqual({ accepted: 0, duplicates: 2, ignored: 1, refused: 0 });
      expect(published).toHaveLength(1);
      expect(published[0]).toEqual([
        { checkId: check.id, location: 'Frankfurt, DE', ok: true, at },
        { checkId: check.id, location: 'Frankfurt, DE', ok: false, at: at + 1000, errorClass: 'connection_refused' },
      ]);
      const badBatch = await app.inject({ method: 'POST', url: '/api/v1/agent/results', headers: agentAuth, payload: { results: [{ ...results[0], errorClass: 'weird' }] } });
      expect(badBatch.statusCode).toBe(400);

      const matrix = (await app.inject({ url: `/api/v1/checks/${check.id}/matrix` })).json();
      expect(matrix.rows).toHaveLength(1);
      expect(matrix.rows[0]).toMatchObject({ location: 'Frankfurt, DE', last: { ok: false, errorClass: 'connection_refused', agentId: agent.id }, okRatio: 0.5 });
      expect(matrix.check.http).toBeUndefined();
      expect(matrix.summary).toMatchObject({ locations: 1, failing: 1, errorClasses: { connection_refused: 1 } });

      const page = await app.inject({ url: `/checks/${check.id}` });
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.body).toContain('<th scope="row">Frankfurt, DE</th>');
      expect(page.body).toContain('connection refused');
      expect(page.body).toContain('1 of 1 locations failing');
      expect((await app.inject({ url: '/checks/nope' })).json()).toMatchObject({ error: 'not_found' });

      const history = (await app.inject({ url: `/api/v1/checks/${check.id}/results?from=${at}&to=${at + 2000}` })).json();
      expect(history.results.map((r: { id: string }) => r.id)).toEqual(['res-00000001', 'res-00000002']);

      expect((await app.inject({ method: 'DELETE', url: `/api/v1/agents/${agent.id}`, headers: auth })).statusCode).toBe(204);
      expect((await push()).statusCode).toBe(401);
      expect((await app.inject({ method: 'DELETE', url: `/api/v1/agents/${agent.id}`, headers: auth })).statusCode).toBe(404);
    });
  });
}
