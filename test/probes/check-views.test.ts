import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/api/app.js';
import { fixedAdminToken } from '../../src/config/admin-token.js';
import { MemoryBus } from '../../src/events/bus.js';
import { bucketWidth } from '../../src/probes/check-history.js';
import { defaultRegistry } from '../../src/probes/default-registry.js';
import { ProbeService } from '../../src/probes/service.js';
import { DEFAULT_QUORUM } from '../../src/status/check-verdict.js';
import { ProbeStateEvaluator } from '../../src/status/probe-state-evaluator.js';
import type { Store } from '../../src/store/store.js';
import { ManualClock } from '../../src/time/clock.js';
import { testDbs } from '../pg.js';

const ADMIN = 'c'.repeat(32);
const auth = { authorization: `Bearer ${ADMIN}` };
const NOW = Date.parse('2026-03-10T12:00:00Z');
const STEP = 10_000;
const RUNS = 180; // half an hour at 10 s
const DAY = 86_400_000;

interface Pushed { id: string; checkId: string; at: number; ok: boolean; errorClass: string; latencyMs: number; detail: string; status?: number; certExpiresAt?: number }

/**
 * The reads behind the dashboard's check pages, on SQLite and PostgreSQL: results pushed by
 * agents through the API, folded into streaks by the real evaluator, then read back as each
 * check's verdict (the one its service's status uses) and as its bucketed history.
 */
for (const tdb of testDbs) {
  describe(`check pages' reads on ${tdb.name}`, () => {
    let store: Store;
    let app: App;
    let evaluator: ProbeStateEvaluator;
    const clock = new ManualClock(NOW);

    beforeEach(async () => {
      clock.set(NOW);
      store = await tdb.open();
      const bus = new MemoryBus();
      const probes = new ProbeService(store.probes, defaultRegistry(), bus, clock);
      evaluator = new ProbeStateEvaluator({ bus, clock, probes: store.probes, states: store.probeStates, defaults: DEFAULT_QUORUM, tickMs: 0 });
      await evaluator.start();
      app = await buildApp({ store, bus, clock, adminToken: fixedAdminToken(ADMIN), probes });
    });
    afterEach(async () => {
      await evaluator.stop();
      await app.close();
      await tdb.cleanup(store);
    });

    const create = async (body: object): Promise<string> => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/checks', headers: auth, payload: body });
      expect(res.statusCode).toBe(201);
      return (res.json() as { id: string }).id;
    };
    const push = async (location: string, results: Pushed[]): Promise<void> => {
      const { token } = await store.probes.createAgent(location, location, clock.now());
      const res = await app.inject({ method: 'POST', url: '/api/v1/agent/results', headers: { authorization: `Bearer ${token}` }, payload: { results } });
      expect(res.json()).toMatchObject({ accepted: results.length });
      await evaluator.idle();
    };
    /** Half an hour of runs ending now; the last `failLast` refused. */
    const runs = (checkId: string, location: string, latencyMs: number, failLast: number, extra: Partial<Pushed> = {}): Pushed[] =>
      Array.from({ length: RUNS }, (_, i) => {
        const at = NOW - (RUNS - i) * STEP;
        const ok = i < RUNS - failLast;
        return ok
          ? { id: `${checkId}-${location}-${i}`, checkId, at, ok, errorClass: 'ok', latencyMs: latencyMs + (i % 5), status: 200, detail: 'status 200', ...extra }
          : { id: `${checkId}-${location}-${i}`, checkId, at, ok, errorClass: 'connection_refused', latencyMs: 1, detail: 'connect ECONNREFUSED 127.0.0.1:9 (key=k-77aa)' };
      });

    it("gives each check's quorum verdict with its reason and each location's standing, filtered by service", async () => {
      const web = await create({ name: 'web', service: 'shop', type: 'http', target: 'http://127.0.0.1:9/health?key=k-77aa', interval: '10s' });
      const other = await create({ name: 'other', type: 'tcp', target: '127.0.0.1:9', interval: '10s', enabled: false });
      await push('Frankfurt, DE', runs(web, 'Frankfurt, DE', 20, 4));
      await push('Tokyo, JP', runs(web, 'Tokyo, JP', 120, 4));
      await push('local', runs(web, 'local', 5, 0, { certExpiresAt: NOW + 10.5 * DAY }));

      const one = (await app.inject({ url: `/api/v1/checks/${web}/status` })).json();
      expect(one).toMatchObject({
        check: { id: web, name: 'web', service: 'shop', target: 'http://127.0.0.1:9/health?key=***' },
        enabled: true, status: 'partial_outage', reason: '2 of 3 locations: connection refused on web',
        failing: 2, total: 3, quorum: 2, classes: [{ errorClass: 'connection_refused', locations: 2 }],
        since: NOW - 2 * STEP, lastAt: NOW - STEP, certExpiresAt: NOW + 10.5 * DAY, certDaysLeft: 10,
      });
      expect(one.locations.map((l: { location: string; standing: string; lastErrorClass: string }) => [l.location, l.standing, l.lastErrorClass])).toEqual([
        ['Frankfurt, DE', 'down', 'connection_refused'],
        ['local', 'up', 'ok'],
        ['Tokyo, JP', 'down', 'connection_refused'],
      ]);

      const all = (await app.inject({ url: '/api/v1/check-statuses' })).json().checks as { check: { id: string }; status: string; enabled: boolean; total: number }[];
      expect(all.map((c) => [c.check.id, c.status, c.enabled, c.total])).toEqual([[other, 'operational', false, 0], [web, 'partial_outage', true, 3]]);
      const shop = (await app.inject({ url: '/api/v1/check-statuses?service=shop' })).json().checks as { check: { id: string } }[];
      expect(shop.map((c) => c.check.id)).toEqual([web]);

      // Silent for longer than three intervals and a timeout: the locations are stale, nothing is counted.
      clock.advance(3 * STEP + 10_000 + 1);
      const later = (await app.inject({ url: `/api/v1/checks/${web}/status` })).json();
      expect(later).toMatchObject({ status: 'operational', failing: 0, total: 0 });
      expect(later.locations.every((l: { standing: string }) => l.standing === 'stale')).toBe(true);
      expect(later.reason).toBeUndefined();

      expect((await app.inject({ url: '/api/v1/checks/nope/status' })).statusCode).toBe(404);
    });

    it('buckets latency per location, counts uptime per location and overall, lists failures newest first, over 1 h, 24 h and 7 days', async () => {
      const web = await create({ name: 'web', service: 'shop', type: 'http', target: 'http://127.0.0.1:9/health?key=k-77aa', interval: '10s' });
      const fra = runs(web, 'Frankfurt, DE', 20, 4);
      // One old failure, two hours back: inside 24 h, outside 1 h.
      fra.unshift({ id: 'old-result', checkId: web, at: NOW - 2 * 3_600_000, ok: false, errorClass: 'timeout', latencyMs: 10_000, detail: 'timed out after 10s' });
      await push('Frankfurt, DE', fra);
      await push('Tokyo, JP', runs(web, 'Tokyo, JP', 120, 0));

      const hour = (await app.inject({ url: `/api/v1/checks/${web}/history?window=1h` })).json();
      expect(hour).toMatchObject({ window: '1h', to: NOW + 1, from: NOW + 1 - 3_600_000, dataFrom: NOW - RUNS * STEP, bucketMs: 2 * STEP });
      expect(hour.uptime).toEqual({ percent: Math.floor(((2 * RUNS - 4) / (2 * RUNS)) * 10_000) / 100, runs: 2 * RUNS, failures: 4 });
      const [f, t] = hour.locations as { location: string; uptime: { percent: number; runs: number; failures: number }; buckets: { start: number; runs: number; failures: number; avgMs: number | null; maxMs: number | null }[] }[];
      expect([f.location, t.location]).toEqual(['Frankfurt, DE', 'Tokyo, JP']);
      expect(f.uptime).toEqual({ percent: 97.77, runs: RUNS, failures: 4 });
      expect(t.uptime).toEqual({ percent: 100, runs: RUNS, failures: 0 });
      expect(f.buckets).toHaveLength(RUNS / 2);
      expect(f.buckets[0]).toEqual({ start: NOW - RUNS * STEP, runs: 2, failures: 0, avgMs: 20.5, maxMs: 21 });
      // A bucket of failures only has no latency to chart.
      expect(f.buckets.at(-1)).toEqual({ start: NOW - 2 * STEP, runs: 2, failures: 2, avgMs: null, maxMs: null });
      expect(t.buckets[1]).toMatchObject({ avgMs: 122.5, maxMs: 123 });
      expect(hour.failures.map((r: { at: number; errorClass: string }) => [NOW - r.at, r.errorClass])).toEqual([[STEP, 'connection_refused'], [2 * STEP, 'connection_refused'], [3 * STEP, 'connection_refused'], [4 * STEP, 'connection_refused']]);
      expect(JSON.stringify(hour)).not.toContain('k-77aa');

      const day = (await app.inject({ url: `/api/v1/checks/${web}/history` })).json();
      expect(day).toMatchObject({ window: '24h', dataFrom: NOW - 2 * 3_600_000, bucketMs: bucketWidth(2 * 3_600_000, STEP) });
      expect(day.bucketMs).toBe(60_000);
      expect(day.uptime).toMatchObject({ runs: 2 * RUNS + 1, failures: 5 });
      expect(day.failures.at(-1)).toMatchObject({ id: 'old-result', errorClass: 'timeout' });
      // Six 10 s runs in a minute bucket: the mean and the slowest of them.
      const tokyoMinute = (day.locations[1].buckets as { runs: number; avgMs: number; maxMs: number }[]).find((b) => b.runs === 6);
      expect(tokyoMinute?.maxMs).toBeGreaterThan(tokyoMinute?.avgMs ?? Infinity);

      const week = (await app.inject({ url: `/api/v1/checks/${web}/history?window=7d` })).json();
      expect(week).toMatchObject({ window: '7d', from: NOW + 1 - 7 * DAY, uptime: { runs: 2 * RUNS + 1 } });

      const empty = await create({ name: 'new', type: 'tcp', target: '127.0.0.1:9' });
      expect((await app.inject({ url: `/api/v1/checks/${empty}/history` })).json()).toMatchObject({ uptime: { percent: null, runs: 0 }, locations: [], failures: [] });
      expect((await app.inject({ url: `/api/v1/checks/${web}/history?window=2d` })).statusCode).toBe(400);
      expect((await app.inject({ url: '/api/v1/checks/nope/history' })).statusCode).toBe(404);
    });

  });
}

describe('check history buckets', () => {
  it('bucket widths: about 180 per span, never narrower than two intervals', () => {
    expect(bucketWidth(3_600_000, 1000)).toBe(20_000);
    expect(bucketWidth(86_400_000, 30_000)).toBe(600_000);
    expect(bucketWidth(7 * DAY, 60_000)).toBe(3_600_000);
    expect(bucketWidth(60_000, 60_000)).toBe(120_000);
    expect(bucketWidth(30_000, 1000)).toBe(2000);
  });
});
