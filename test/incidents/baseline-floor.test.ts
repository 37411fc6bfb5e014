import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/api/app.js';
import { MemoryBus } from '../../src/events/bus.js';
import type { Store } from '../../src/store/store.js';
import { ManualClock } from '../../src/time/clock.js';
import { testDbs } from '../pg.js';
import { fixedAdminToken } from '../../src/config/admin-token.js';

const T0 = Date.UTC(2025, 2, 10, 12);

describe.each(testDbs)('baseline API floor ($name)', (tdb) => {
  let store: Store;
  let app: App;

  beforeAll(async () => {
    store = await tdb.open();
    const clock = new ManualClock(T0);
    await store.services.create({ slug: 'quiet', name: 'Quiet', url: 'https://quiet.example' }, 'api', T0);
    // Points as an older build stored them after a quiet week: the expectation below zero.
    const points = Array.from({ length: 120 }, (_, i) => ({ minute: T0 + i * 60_000, total: 0, expected: i < 60 ? -0.25 : 0.5, upper: i < 60 ? -0.1 : 3, score: 0, alarm: false }));
    await store.incidents.save({ service: 'quiet', lastMinute: T0 + 119 * 60_000, status: 'operational', detector: {}, engine: {}, updatedAt: T0 }, [], points);
    app = await buildApp({ store, bus: new MemoryBus(), clock, adminToken: fixedAdminToken('admin-token-0123456789abcdef')});
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await tdb.cleanup(store);
  });

  it('never answers with a negative expected count or threshold', async () => {
    const minutes = (await app.inject({ url: `/api/v1/services/quiet/baseline?from=${T0}&to=${T0 + 7_200_000}` })).json() as { points: { expected: number; upper: number }[] };
    expect(minutes.points).toHaveLength(120);
    for (const p of minutes.points) {
      expect(p.expected).toBeGreaterThanOrEqual(0);
      expect(p.upper).toBeGreaterThanOrEqual(p.expected);
    }
    const hours = (await app.inject({ url: `/api/v1/services/quiet/baseline?from=${T0}&to=${T0 + 7_200_000}&step=1h` })).json() as { points: { expected: number; upper: number }[] };
    expect(hours.points.map((p) => [p.expected, p.upper])).toEqual([
      [0, 0],
      [30, 180],
    ]);
  });
});
