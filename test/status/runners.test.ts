import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IncidentViews } from '../../src/incidents/incident-views.js';
import { MemoryBus, type BusEvents } from '../../src/events/bus.js';
import type { Incident } from '../../src/incidents/incident.js';
import { defaultRegistry } from '../../src/probes/default-registry.js';
import type { ErrorClass } from '../../src/probes/result.js';
import { ProbeService } from '../../src/probes/service.js';
import { setupStatus, type StatusSetup } from '../../src/status/setup.js';
import type { Store } from '../../src/store/store.js';
import { ManualClock } from '../../src/time/clock.js';
import { testDbs } from '../pg.js';

const T0 = Date.UTC(2026, 2, 1, 12);
const LOCATIONS = ['Frankfurt, DE', 'Tokyo, JP', 'local'];

for (const db of testDbs) {
  describe(`status runners on ${db.name}`, () => {
    let store: Store;
    let bus: MemoryBus;
    let clock: ManualClock;
    let probes: ProbeService;
    let status: StatusSetup;
    let changes: BusEvents['status.changed'][];
    let incidentEvents: BusEvents['incident.changed'][];
    let seq = 0;

    beforeEach(async () => {
      store = await db.open();
      bus = new MemoryBus();
      clock = new ManualClock(T0);
      probes = new ProbeService(store.probes, defaultRegistry(), bus, clock);
      await store.services.upsertMany([{ slug: 'x', name: 'X', url: 'https://x.example' }], 'config', T0);
      changes = [];
      incidentEvents = [];
      bus.subscribe('status.changed', (e) => changes.push(e));
      bus.subscribe('incident.changed', (e) => incidentEvents.push(e));
      status = setupStatus({ store, bus, clock, config: { probes: { quorum: 2, failuresBefore: 3, recoveriesBefore: 2 } }, tickMs: 0 });
      await status.evaluator.start();
      await status.watcher.start();
    });
    afterEach(async () => {
      await status.watcher.stop();
      await status.evaluator.stop();
      await db.cleanup(store);
    });

    const tcp = (name = 'x-tcp') => probes.createCheck({ name, service: 'x', type: 'tcp', target: '127.0.0.1:9', interval: '30s', timeout: '5s' });

    /** One run of the check from each location (failing where `failing(location)`), as agents push them. */
    async function run(checkId: string, failing: (location: string) => boolean, errorClass: ErrorClass = 'connection_refused'): Promise<void> {
      clock.advance(30_000);
      await probes.recordResults(
        LOCATIONS.map((location) => {
          const bad = failing(location);
          return { id: `r-${seq++}`, checkId, location, at: clock.now(), ok: !bad, errorClass: bad ? errorClass : 'ok', latencyMs: 3, detail: bad ? 'connect ECONNREFUSED' : 'ok' };
        }),
      );
      await settle();
    }
    async function settle(): Promise<void> {
      await status.evaluator.idle();
      await status.watcher.idle();
    }
    const all = () => true;
    const none = () => false;

    it('a closed port from 3 of 3 locations: major outage after failuresBefore runs, a probe incident, and back after recoveriesBefore', async () => {
      const check = await tcp();
      await run(check.id, all);
      await run(check.id, all);
      expect((await status.service.of('x')).status).toBe('operational');
      await run(check.id, all);
      const down = await status.service.of('x');
      expect(down).toMatchObject({ status: 'major_outage', reasons: [{ source: 'probe', text: '3 of 3 locations: connection refused on x-tcp', failing: 3, total: 3 }] });
      expect(changes.at(-1)).toMatchObject({ service: 'x', status: 'major_outage', previous: 'operational', reasons: ['3 of 3 locations: connection refused on x-tcp'] });

      const [inc] = await store.incidents.list({ service: 'x', limit: 10 });
      expect(inc).toMatchObject({ kind: 'probe', status: 'open', severity: 'major_outage', cause: '3 of 3 locations: connection refused on x-tcp', probe: { status: 'major_outage', failingLocations: 3, totalLocations: 3 } });
      expect(incidentEvents).toEqual([expect.objectContaining({ kind: 'opened', incidentId: inc.id, source: 'probe' })]);
      const view = await new IncidentViews(store).get(inc.id);
      expect(view).toMatchObject({ id: inc.id, lifecycle: 'identified', impact: 'critical', components: [{ service: 'x', status: 'major_outage' }] });

      await run(check.id, none);
      expect((await status.service.of('x')).status).toBe('major_outage');
      expect((await status.service.uptime('x', 1)).percent).toBeLessThan(100);
      await run(check.id, none);
      expect(await status.service.of('x')).toMatchObject({ status: 'operational', reasons: [] });
      expect(changes.at(-1)).toMatchObject({ status: 'operational', previous: 'major_outage', reasons: [] });
      expect(await store.incidents.get(inc.id)).toMatchObject({ status: 'closed', closedAt: clock.now() });
      expect(incidentEvents.map((e) => e.kind)).toEqual(['opened', 'closed']);
    });

    it('during a maintenance window failing checks open no incident; the service reads under maintenance until it ends', async () => {
      const check = await tcp();
      await store.maintenances.create({ id: 'mnt-1', title: 'Network work', body: '', services: ['x'], startsAt: T0, endsAt: T0 + 10 * 60_000, createdAt: T0, updatedAt: T0 });
      for (let i = 0; i < 5; i++) await run(check.id, all);
      expect(await status.service.of('x')).toMatchObject({ status: 'under_maintenance', reasons: [{ source: 'maintenance', effective: true }, { source: 'probe', effective: false }] });
      expect(await store.incidents.list({ service: 'x', limit: 10 })).toEqual([]);
      // The window ends with the checks still failing (the scheduler's maintenance.changed, or the
      // watcher's tick, has it look again): now they open a probe incident.
      clock.set(T0 + 10 * 60_000 - 30_000);
      await run(check.id, all);
      await status.watcher.everything();
      expect((await status.service.of('x')).status).toBe('major_outage');
      expect((await store.incidents.list({ service: 'x', limit: 10 })).map((i) => [i.kind, i.status])).toEqual([['probe', 'open']]);
    });

    it('1 of 3 locations failing stays below the quorum: operational, no incident', async () => {
      const check = await tcp();
      for (let i = 0; i < 6; i++) await run(check.id, (l) => l === 'Tokyo, JP');
      expect(await status.service.of('x')).toMatchObject({ status: 'operational', reasons: [] });
      expect(await store.incidents.list({ service: 'x', limit: 10 })).toEqual([]);
      expect(changes).toEqual([]);
      const states = await store.probeStates.list([check.id]);
      expect(states.find((s) => s.location === 'Tokyo, JP')).toMatchObject({ down: true, failClass: 'connection_refused' });
    });

    it('2 of 3: a partial outage; the reason counts only that check', async () => {
      const check = await tcp();
      const http = await probes.createCheck({ name: 'x-http', service: 'x', type: 'http', target: 'http://127.0.0.1:9/', interval: '30s' });
      for (let i = 0; i < 3; i++) {
        await run(check.id, (l) => l !== 'local');
        await run(http.id, none);
      }
      expect(await status.service.of('x')).toMatchObject({ status: 'partial_outage', reasons: [{ text: '2 of 3 locations: connection refused on x-tcp' }] });
    });

    it('a crowd incident that opens meanwhile takes the probe incident over: one incident', async () => {
      const check = await tcp();
      for (let i = 0; i < 3; i++) await run(check.id, all);
      const probeInc = await store.incidents.openProbeIncident('x');
      expect(probeInc).toBeDefined();
      clock.advance(60_000);
      const crowd: Incident = {
        id: 'x-20260301T1203Z', service: 'x', status: 'open', severity: 'major_outage', title: 'x: major outage reported', openedAt: clock.now(), peak: 50, reports: 300,
        phases: [{ start: clock.now(), detectedAt: clock.now(), peak: 50 }], breakdown: [], regions: [], updatedAt: clock.now(),
      };
      await store.incidents.save({ service: 'x', lastMinute: clock.now(), status: 'major_outage', detector: {}, engine: {}, updatedAt: clock.now() }, [crowd], []);
      bus.publish('incident.changed', { kind: 'opened', incidentId: crowd.id, service: 'x', at: clock.now() });
      await settle();

      expect((await store.incidents.list({ service: 'x', limit: 10 })).map((i) => i.id)).toEqual([crowd.id]);
      expect(await store.incidents.get(probeInc!.id)).toMatchObject({ status: 'closed', mergedInto: crowd.id });
      expect(incidentEvents.at(-1)).toMatchObject({ kind: 'closed', source: 'probe', mergedInto: crowd.id });
      const view = await status.service.of('x');
      expect(view.status).toBe('major_outage');
      expect(view.reasons.map((r) => r.source).sort()).toEqual(['crowd', 'probe']);
      // The merged stretch still counts as downtime.
      expect((await status.service.uptime('x', 1)).days[0].downMs).toBeGreaterThan(0);
    });

    it('state lives in the store: a new evaluator continues the streaks, and a sweep finds results no bus announced', async () => {
      const check = await tcp();
      await run(check.id, all);
      await run(check.id, all);
      await status.evaluator.stop();
      // Results stored while no evaluator listens (another node took them, the bus said nothing).
      clock.advance(30_000);
      await store.probes.insertResults(LOCATIONS.map((location) => ({ id: `q-${seq++}`, checkId: check.id, location, at: clock.now(), ok: false, errorClass: 'connection_refused' as const, latencyMs: 1, detail: 'refused' })), clock.now());
      const fresh = setupStatus({ store, bus, clock, config: {}, tickMs: 0 });
      await fresh.evaluator.start();
      await fresh.evaluator.idle();
      await status.watcher.everything();
      expect((await status.service.of('x')).status).toBe('major_outage');
      await fresh.evaluator.stop();
    });

    it('a location that stops reporting no longer holds the service down', async () => {
      const check = await tcp();
      for (let i = 0; i < 3; i++) await run(check.id, all);
      expect((await status.service.of('x')).status).toBe('major_outage');
      clock.advance(10 * 60_000);
      expect((await status.service.of('x')).status).toBe('operational');
    });
  });
}
