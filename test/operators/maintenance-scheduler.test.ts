import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveAlertsSection } from '../../src/alerts/config.js';
import { AlertDispatcher } from '../../src/alerts/dispatcher.js';
import { MemoryBus, type BusEvents } from '../../src/events/bus.js';
import { MaintenanceScheduler } from '../../src/maintenance/scheduler.js';
import { maintenanceHold, setupOperators } from '../../src/operators/setup.js';
import { createStatusService } from '../../src/status/setup.js';
import type { Store } from '../../src/store/store.js';
import { ManualClock } from '../../src/time/clock.js';
import { startHttpSink } from '../alerts/sinks.js';
import { testDbs } from '../pg.js';

const T0 = Date.UTC(2026, 2, 10, 12);
const HOUR = 3_600_000;

/**
 * A maintenance window's start and end reach a webhook subscriber once each (a restart of
 * the scheduler announces nothing again), and the service's alerts are held meanwhile.
 */
describe.each(testDbs)('maintenance announcements and alert holds on $name', (tdb) => {
  let store: Store;
  let sink: Awaited<ReturnType<typeof startHttpSink>>;
  const clock = new ManualClock(T0);
  const bus = new MemoryBus();
  const events: BusEvents['maintenance.changed'][] = [];

  beforeAll(async () => {
    store = await tdb.open();
    sink = await startHttpSink();
    await store.services.create({ slug: 'db', name: 'Database', url: 'https://db.example' }, 'api', T0);
    await store.services.create({ slug: 'web', name: 'Web', url: 'https://web.example' }, 'api', T0);
    bus.subscribe('maintenance.changed', (e) => events.push(e));
  });
  afterAll(async () => {
    await sink.close();
    await tdb.cleanup(store);
  });

  it('announces start and end once each to subscribers, and holds alerts during the window', async () => {
    const config = resolveAlertsSection({
      channels: [{ name: 'ops', type: 'webhook', url: `${sink.url}/ops` }],
      rules: [{ service: '*', on: ['open', 'probe_failure'], channels: ['ops'], minLocations: 1 }],
    });
    const dispatcher = new AlertDispatcher({ repo: store.alerts, clock, config, tickMs: 0, heldAt: maintenanceHold(store) });
    const ops = await setupOperators({ store, bus, clock, page: { name: 'Acme', publicUrl: 'https://status.acme.example' }, alerts: config, dispatcher, status: createStatusService(store, clock) });
    await ops.deps.subscriptions.addWebhook(`${sink.url}/subscriber`, 'subscriber-secret-0123', 'db');
    const m = await ops.deps.maintenance.create({ title: 'Upgrade', body: 'New disks.', services: ['db'], startsAt: T0 + HOUR, endsAt: T0 + 2 * HOUR });
    const scheduler = new MaintenanceScheduler({ repo: store.maintenances, bus, clock, announcer: ops.deps.announcer, tickMs: 0 });
    const subscriberPosts = () => sink.requests.filter((r) => r.path === '/subscriber').map((r) => JSON.parse(r.body) as { kind: string; announcement: { title: string; state: string } });

    await scheduler.tick();
    await dispatcher.idle();
    expect(subscriberPosts()).toEqual([]);

    clock.set(T0 + HOUR + 1000);
    await scheduler.tick();
    await scheduler.tick();
    await dispatcher.idle();
    expect(subscriberPosts().map((p) => [p.kind, p.announcement.title])).toEqual([['maintenance_started', 'Maintenance in progress: Upgrade']]);
    expect(events.filter((e) => e.kind === 'started').map((e) => e.maintenanceId)).toEqual([m.id]);

    // During the window the service's alerts are held; another service's are not.
    await dispatcher.notifyIncident({ kind: 'opened', incidentId: 'db-1', service: 'db', at: clock.now() });
    await dispatcher.notifyProbes({ service: 'db', at: clock.now(), failingLocations: 3, totalLocations: 3, cause: 'timeouts' });
    await dispatcher.notifyIncident({ kind: 'opened', incidentId: 'web-1', service: 'web', at: clock.now() });
    await dispatcher.idle();
    expect(sink.requests.filter((r) => r.path === '/ops').map((r) => (JSON.parse(r.body) as { service: string }).service)).toEqual(['web']);

    // A restarted scheduler (and a second pass) announces nothing again.
    const again = new MaintenanceScheduler({ repo: store.maintenances, bus, clock, announcer: ops.deps.announcer, tickMs: 0 });
    await again.tick();
    clock.set(T0 + 2 * HOUR);
    await again.tick();
    await scheduler.tick();
    await dispatcher.idle();
    expect(subscriberPosts().map((p) => p.kind)).toEqual(['maintenance_started', 'maintenance_ended']);

    // After the window, what still fires is alerted.
    await dispatcher.notifyProbes({ service: 'db', at: clock.now(), failingLocations: 3, totalLocations: 3, cause: 'timeouts' });
    await dispatcher.idle();
    expect(sink.requests.filter((r) => r.path === '/ops').map((r) => (JSON.parse(r.body) as { service: string }).service)).toEqual(['web', 'db']);
  });

  it('a window that passed while the server was down ends without a start announcement', async () => {
    const ops = await setupOperators({ store, bus, clock, page: { name: 'Acme', publicUrl: 'https://status.acme.example' }, alerts: resolveAlertsSection({}), dispatcher: { announce: async () => undefined }, status: createStatusService(store, clock) });
    const announced: string[] = [];
    const m = await ops.deps.maintenance.create({ title: 'Missed', body: '', services: ['web'], startsAt: clock.now() + HOUR, endsAt: clock.now() + 2 * HOUR });
    clock.advance(3 * HOUR);
    const scheduler = new MaintenanceScheduler({ repo: store.maintenances, bus, clock, tickMs: 0, announcer: { maintenance: async (event, w) => void announced.push(`${event}:${w.id}`) } });
    await scheduler.tick();
    await scheduler.tick();
    expect(announced).toEqual([`ended:${m.id}`]);
  });
});
