import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDetector } from '../../src/detect/detector.js';
import type { IncidentRunner } from '../../src/incidents/runner.js';
import { setupIncidents } from '../../src/incidents/setup.js';
import { feedWithout } from '../../src/incidents/unlearn.js';
import { SLUG_KEYED_TABLES } from '../../src/store/services-repo.js';
import type { Store } from '../../src/store/store.js';
import { auth, createService, harness, type Harness } from './harness.js';
import { testDbs } from '../pg.js';
import { feedMinutes } from '../incidents/feed.js';

/**
 * `DELETE /api/v1/services/:slug` takes with it everything its reports produced under the
 * slug: a service made again under the same slug starts with no incidents, no baseline and a
 * detector that has learnt nothing, on both stores and in the running incident engine.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const D0 = Date.UTC(2025, 1, 24); // two weeks before the harness's clock
const SURGE = { from: D0 + 6 * DAY + 14 * HOUR, to: D0 + 6 * DAY + 17 * HOUR };

interface Minute { minute: number; total: number }

/** Per-minute counts with a daily cycle (seeded), five times higher in the surge. */
function minutes(from: number, to: number, seed: number, surge?: { from: number; to: number }): Minute[] {
  let s = seed;
  const rnd = (): number => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const out: Minute[] = [];
  for (let t = from; t < to; t += MINUTE) {
    const mean = (20 + 15 * Math.sin(((t % DAY) / DAY) * 2 * Math.PI)) * (surge && surge.from <= t && t < surge.to ? 5 : 1);
    out.push({ minute: t, total: Math.round(mean * (0.8 + 0.4 * rnd())) });
  }
  return out;
}

describe.each(testDbs)('deleting a service deletes what is keyed by its slug ($name)', (tdb) => {
  let store: Store;
  let h: Harness;
  let runner: IncidentRunner;

  /** Writes the minutes' rollups a day per commit, as ingest does, and lets the engine catch up. */
  const feed = async (slug: string, ms: readonly Minute[]): Promise<void> => {
    await feedMinutes(store, h.bus, slug, ms);
    await runner.idle();
  };
  const get = async <T>(url: string): Promise<T> => {
    const res = await h.app.inject({ method: 'GET', url, headers: auth });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<T>();
  };
  const rowsFor = async (slug: string): Promise<Record<string, number>> => {
    const out: Record<string, number> = {};
    for (const table of SLUG_KEYED_TABLES) out[table] = Number((await store.db.get<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table} WHERE service = ?`, [slug]))?.n ?? 0);
    return out;
  };

  beforeEach(async () => {
    store = await tdb.open();
    h = await harness(store);
    // Minutes complete by event time only: the harness's wall clock is days past the data.
    runner = setupIncidents({ store, bus: h.bus, clock: h.clock, config: { incidents: { tickSeconds: 3600 } } });
    await runner.start();
  });
  afterEach(async () => {
    await runner.stop();
    await h.close();
    await tdb.cleanup(store);
  });

  it('a service made again under the same slug has no incidents, no baseline and an untrained detector', async () => {
    await createService(h.app, 'shop');
    await createService(h.app, 'other');
    const week = minutes(D0, D0 + 7 * DAY, 42, SURGE);
    await feed('shop', week);
    await feed('other', week);
    const range = `from=${D0}&to=${D0 + 7 * DAY}&step=1h`;
    expect((await get<{ incidents: unknown[] }>('/api/v1/services/shop/incidents')).incidents.length).toBeGreaterThan(0);
    expect((await get<{ points: unknown[] }>(`/api/v1/services/shop/baseline?${range}`)).points.length).toBeGreaterThan(0);
    expect(await store.incidents.loadState('shop')).toBeDefined();

    const res = await h.app.inject({ method: 'DELETE', url: '/api/v1/services/shop', headers: auth });
    expect(res.statusCode, res.body).toBe(204);
    await runner.idle();
    expect(Object.values(await rowsFor('shop')).every((n) => n === 0), JSON.stringify(await rowsFor('shop'))).toBe(true);
    // The other service keeps all of its own.
    expect(await store.incidents.list({ service: 'other', limit: 5 })).not.toEqual([]);
    expect(await store.incidents.loadState('other')).toBeDefined();

    await createService(h.app, 'shop');
    expect((await get<{ incidents: unknown[] }>('/api/v1/services/shop/incidents')).incidents).toEqual([]);
    expect((await get<{ points: unknown[] }>(`/api/v1/services/shop/baseline?${range}`)).points).toEqual([]);
    expect((await get<{ incidents: unknown[] }>('/api/v1/incidents?service=shop')).incidents).toEqual([]);

    // A quiet day for the new service: its detector has learnt that day and nothing before it.
    const day = minutes(D0 + 8 * DAY, D0 + 9 * DAY, 7);
    await feed('shop', day);
    const state = await store.incidents.loadState('shop');
    const fresh = createDetector();
    feedWithout(fresh, day.filter((m) => m.minute <= (state?.lastMinute ?? 0)), []);
    expect(state?.detector).toEqual(fresh.snapshot());
    expect(await store.incidents.list({ service: 'shop', limit: 5 })).toEqual([]);
  });
});
