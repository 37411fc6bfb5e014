import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryBus } from '../../src/events/bus.js';
import { IncidentRunner } from '../../src/incidents/runner.js';
import { storeMinuteSource } from '../../src/incidents/store-minute-source.js';
import { quietWeek } from '../../src/simulate/quiet-week.js';
import type { Scenario } from '../../src/simulate/scenario.js';
import { xOutage } from '../../src/simulate/x-outage.js';
import type { Store } from '../../src/store/store.js';
import { ManualClock } from '../../src/time/clock.js';
import { testDbs } from '../pg.js';
import { expectOutageDetected } from '../scenarios/expectations.js';
import { feedRollups } from './feed.js';

const SCALE = 0.02;

for (const tdb of testDbs) {
  describe(`incident runner over the minute rollups (${tdb.name})`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await tdb.open();
    });
    afterEach(async () => {
      await tdb.cleanup(store);
    });

    async function setUp(scenario: Scenario, clock: ManualClock, bus: MemoryBus): Promise<IncidentRunner> {
      await store.services.create(scenario.service, 'api', clock.now());
      const runner = new IncidentRunner({ bus, clock, repo: store.incidents, source: storeMinuteSource(store.services, store.reports), tickMs: 0 });
      await runner.start();
      return runner;
    }

    async function finish(runner: IncidentRunner, clock: ManualClock, scenario: Scenario): Promise<void> {
      await runner.idle();
      clock.set(scenario.to + 10 * 60_000); // wall clock past the end: the last minutes are complete
      runner.tick();
      await runner.stop();
    }

    it('turns the X outage into one incident with a phase per wave, and publishes its changes', async () => {
      const clock = new ManualClock(xOutage.from);
      const bus = new MemoryBus();
      const changes: string[] = [];
      bus.subscribe('incident.changed', (e) => changes.push(e.kind));
      const runner = await setUp(xOutage, clock, bus);
      await feedRollups(store, bus, xOutage, { scale: SCALE, seed: 7, chunkMinutes: 720 });
      await finish(runner, clock, xOutage);
      const incidents = await store.incidents.list({ limit: 10 });
      expectOutageDetected(incidents, xOutage);
      expect(changes[0]).toBe('opened');
      expect(changes.filter((k) => k === 'phase')).toHaveLength(xOutage.waves.length - 1);
      expect(changes[changes.length - 1]).toBe('closed');
      expect(await store.incidents.get(incidents[0].id)).toEqual(incidents[0]);
      const points = await store.incidents.points('x', xOutage.waves[1].start, xOutage.waves[1].start + 10 * 60_000);
      expect(points).toHaveLength(10);
      expect(points.some((p) => p.alarm)).toBe(true);
      expect((await store.incidents.statuses()).get('x')).toBe('operational');
    });

    it('opens no incident for a spike inside an announced maintenance window, but the detector still learns it', async () => {
      const clock = new ManualClock(xOutage.from);
      const bus = new MemoryBus();
      await store.services.create(xOutage.service, 'api', clock.now());
      // The whole outage, every wave, is inside the window.
      const window = { startsAt: xOutage.waves[0].start - 60 * 60_000, endsAt: xOutage.to };
      const asked: [number, number][] = [];
      const runner = new IncidentRunner({
        bus, clock, repo: store.incidents, source: storeMinuteSource(store.services, store.reports), tickMs: 0,
        maintenance: async (service, from, to) => {
          asked.push([from, to]);
          return service === 'x' && window.startsAt < to && window.endsAt > from ? [window] : [];
        },
      });
      await runner.start();
      await feedRollups(store, bus, xOutage, { scale: SCALE, seed: 7, chunkMinutes: 720 });
      await finish(runner, clock, xOutage);
      expect(await store.incidents.list({ limit: 10 })).toEqual([]);
      expect(asked.length).toBeGreaterThan(0);
      const points = await store.incidents.points('x', xOutage.waves[1].start, xOutage.waves[1].start + 10 * 60_000);
      expect(points).toHaveLength(10);
      expect(points.some((p) => p.alarm)).toBe(true);
    });

    it('resumes from its saved state after a restart with the same result', async () => {
      const clock = new ManualClock(xOutage.from);
      const bus = new MemoryBus();
      let runner = await setUp(xOutage, clock, bus);
      const cut = xOutage.waves[1].start + 20 * 60_000; // mid-wave, with the incident open
      await feedRollups(store, bus, xOutage, { scale: SCALE, seed: 7, chunkMinutes: 500, to: cut });
      await runner.idle();
      const midway = await store.incidents.list({ limit: 10 });
      expect(midway[0]?.status).toBe('open');
      expect((await store.incidents.statuses()).get('x')).toBe('major_outage');
      await runner.stop();
      runner = new IncidentRunner({ bus, clock, repo: store.incidents, source: storeMinuteSource(store.services, store.reports), tickMs: 0 });
      await runner.start();
      await feedRollups(store, bus, xOutage, { scale: SCALE, seed: 7, chunkMinutes: 500, from: cut });
      await finish(runner, clock, xOutage);
      expectOutageDetected(await store.incidents.list({ limit: 10 }), xOutage);
    });

    it('live traffic, committed minute by minute, gives the same incident as a backfill', async () => {
      const bulk = await tdb.open();
      try {
        const run = async (target: Store, liveFrom: number, liveTo: number): Promise<unknown> => {
          const clock = new ManualClock(xOutage.from);
          const bus = new MemoryBus();
          await target.services.create(xOutage.service, 'api', clock.now());
          const runner = new IncidentRunner({ bus, clock, repo: target.incidents, source: storeMinuteSource(target.services, target.reports), tickMs: 0 });
          await runner.start();
          await feedRollups(target, bus, xOutage, { scale: SCALE, seed: 7, chunkMinutes: 1440, to: liveFrom });
          // From here on one commit per minute, as live ingest produces them.
          await feedRollups(target, bus, xOutage, { scale: SCALE, seed: 7, chunkMinutes: 1, from: liveFrom, to: liveTo });
          await feedRollups(target, bus, xOutage, { scale: SCALE, seed: 7, chunkMinutes: 1440, from: liveTo });
          await runner.idle();
          clock.set(xOutage.to + 10 * 60_000);
          runner.tick();
          await runner.stop();
          return target.incidents.list({ limit: 10 });
        };
        const live = await run(store, xOutage.waves[1].start - 60 * 60_000, xOutage.waves[1].start + 90 * 60_000);
        const backfill = await run(bulk, xOutage.to, xOutage.to);
        expect(live).toEqual(backfill);
      } finally {
        await tdb.cleanup(bulk);
      }
    });

    it('after the data ends, a month of silence opens nothing and only its last days are processed', async () => {
      const clock = new ManualClock(xOutage.from);
      const bus = new MemoryBus();
      const runner = await setUp(xOutage, clock, bus);
      await feedRollups(store, bus, xOutage, { scale: SCALE, seed: 7, chunkMinutes: 1440 });
      await runner.idle();
      clock.set(xOutage.to + 30 * 86_400_000);
      runner.tick();
      await runner.stop();
      // Reports vanishing is a drop below baseline, which must not read as an outage.
      expect(await store.incidents.list({ limit: 10 })).toHaveLength(1);
      const after = await store.incidents.points('x', xOutage.to, clock.now());
      // The chunk holding the last reports is processed whole, then all but the last 2 days skipped.
      expect(after.length).toBeGreaterThanOrEqual(2 * 1440);
      expect(after.length).toBeLessThan(3 * 1440);
      expect((await store.incidents.loadState('x'))?.lastMinute).toBe(clock.now() - 60_000);
    });

    it('a quiet week opens nothing', async () => {
      const clock = new ManualClock(quietWeek.from);
      const bus = new MemoryBus();
      const runner = await setUp(quietWeek, clock, bus);
      await feedRollups(store, bus, quietWeek, { scale: SCALE * 5, seed: 3, chunkMinutes: 1000 });
      await finish(runner, clock, quietWeek);
      expect(await store.incidents.list({ limit: 10 })).toEqual([]);
      // Wall clock stands 10 minutes past the end: every minute before its current one is done.
      expect((await store.incidents.loadState('quiet'))?.lastMinute).toBe(quietWeek.to + 9 * 60_000);
    });
  });
}
