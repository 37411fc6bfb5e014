import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/api/app.js';
import { fixedAdminToken } from '../../src/config/admin-token.js';
import { MemoryBus } from '../../src/events/bus.js';
import { defaultOperatorsDeps } from '../../src/operators/operators-deps.js';
import { setupStatus, type StatusSetup } from '../../src/status/setup.js';
import type { Store } from '../../src/store/store.js';
import { ManualClock } from '../../src/time/clock.js';
import { testDbs } from '../pg.js';
import { saveAutomatic } from '../operators/seed.js';

const ADMIN = 'v2-admin-token-0123456789';
const auth = { authorization: `Bearer ${ADMIN}` };
const T0 = Date.parse('2025-06-02T09:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const iso = (ms: number): string => new Date(ms).toISOString();

interface Component { id: string; name: string; status: string; updated_at: string; created_at: string; position: number; group: boolean; group_id: string | null; components?: string[] }
interface Update { id: string; status: string; body: string; affected_components: { code: string; name: string; old_status: string; new_status: string }[] | null }
interface Incident { id: string; name: string; status: string; impact: string; monitoring_at: string | null; resolved_at: string | null; shortlink: string; started_at: string; incident_updates: Update[]; components: Component[] }
interface Maintenance { id: string; name: string; status: string; impact: string; scheduled_for: string; scheduled_until: string; resolved_at: string | null; incident_updates: { status: string }[]; components: Component[] }
interface Page { id: string; name: string; url: string; updated_at: string }

/**
 * The Statuspage v2 API as a consumer reads it, on SQLite and PostgreSQL: the page's identity
 * from the configuration, categories as component groups, incident lifecycles with the
 * statuses each update set, the maintenance endpoints, and CORS on every public read.
 */
describe.each(testDbs)('Statuspage v2 on $name', (tdb) => {
  let store: Store;
  let app: App;
  let status: StatusSetup;
  const clock = new ManualClock(T0);
  const bus = new MemoryBus();
  const get = async <T>(url: string, headers: Record<string, string> = {}): Promise<T> => {
    const res = await app.inject({ url, headers });
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    expect(res.headers['access-control-allow-origin'], url).toBe('*');
    return res.json() as T;
  };
  const write = async (method: 'POST' | 'PATCH', url: string, payload: Record<string, unknown>) => {
    const res = await app.inject({ method, url, headers: auth, payload });
    expect(res.statusCode, res.body).toBeLessThan(300);
    // The status watcher announces the change, as in the server.
    await status.watcher.everything();
    return res.json() as Record<string, { id: string }>;
  };
  const component = async (id: string) => (await get<{ components: Component[] }>('/api/v2/components.json')).components.find((c) => c.id === id);

  beforeAll(async () => {
    store = await tdb.open();
    status = setupStatus({ store, bus, clock, config: {}, tickMs: 0 });
    const operators = defaultOperatorsDeps({ store, bus, clock, status: status.service, page: { name: 'Acme status', publicUrl: 'https://status.acme.example/' } });
    app = await buildApp({ store, bus, clock, adminToken: fixedAdminToken(ADMIN), status: status.service, operators });
    await app.ready();
    for (const s of [
      { slug: 'api', name: 'Acme API', url: 'https://api.acme.example', category: 'Core platform' },
      { slug: 'web', name: 'Acme Web', url: 'https://acme.example', category: 'Core platform' },
      { slug: 'db', name: 'Acme DB', url: 'https://db.acme.example' },
    ]) {
      expect((await app.inject({ method: 'POST', url: '/api/v1/services', headers: auth, payload: s })).statusCode).toBe(201);
    }
    await status.watcher.start();
  });
  afterAll(async () => {
    await status.watcher.stop();
    await app.close();
    await tdb.cleanup(store);
  });

  it("names the page and its URL from the configuration, whatever the request's Host says", async () => {
    for (const path of ['summary', 'status', 'components', 'incidents', 'incidents/unresolved', 'scheduled-maintenances', 'scheduled-maintenances/upcoming', 'scheduled-maintenances/active']) {
      const { page } = await get<{ page: Page }>(`/api/v2/${path}.json`, { host: 'evil.example', 'x-forwarded-host': 'evil.example' });
      expect(page, path).toMatchObject({ id: 'stormwatch', name: 'Acme status', url: 'https://status.acme.example', time_zone: 'Etc/UTC' });
    }
  });

  it('makes each category a component group, its services members of it', async () => {
    const { components } = await get<{ components: Component[] }>('/api/v2/components.json');
    expect(components.map((c) => [c.id, c.group, c.group_id, c.position])).toEqual([
      ['category:core-platform', true, null, 1],
      ['api', false, 'category:core-platform', 1],
      ['web', false, 'category:core-platform', 2],
      ['db', false, null, 2],
    ]);
    expect(components[0]).toMatchObject({ name: 'Core platform', status: 'operational', components: ['api', 'web'], created_at: iso(T0) });
    expect(components[1]).toMatchObject({ name: 'Acme API', status: 'operational', created_at: iso(T0) });
    expect(components[1].components).toBeUndefined();
  });

  it("follows an operator incident through its lifecycle: statuses, each update's old and new component status, monitoring_at, postmortem", async () => {
    clock.set(T0 + HOUR);
    const opened = await write('POST', '/api/v1/incidents', { title: 'Logins fail', impact: 'major', services: ['api'], update: { status: 'investigating', body: 'We are looking into it.' } });
    const id = opened.incident.id;
    const summary = await get<{ incidents: Incident[]; components: Component[]; status: { indicator: string } }>('/api/v2/summary.json');
    expect(summary.status.indicator).toBe('major');
    expect(summary.incidents).toHaveLength(1);
    expect(summary.incidents[0]).toMatchObject({ id, name: 'Logins fail', status: 'investigating', impact: 'major', monitoring_at: null, resolved_at: null, started_at: iso(T0 + HOUR), shortlink: `https://status.acme.example/incidents/${id}` });
    expect(summary.incidents[0].incident_updates[0].affected_components).toEqual([{ code: 'api', name: 'Acme API', old_status: 'operational', new_status: 'partial_outage' }]);
    expect(summary.incidents[0].components.map((c) => [c.id, c.status])).toEqual([['api', 'partial_outage']]);
    // The component's updated_at moved with its status, and the group shows its worst member.
    expect(summary.components.find((c) => c.id === 'api')).toMatchObject({ status: 'partial_outage', updated_at: iso(T0 + HOUR) });
    expect(summary.components.find((c) => c.id === 'category:core-platform')).toMatchObject({ status: 'partial_outage', updated_at: iso(T0 + HOUR) });
    expect((await component('web'))?.updated_at).toBe(iso(T0));

    clock.set(T0 + HOUR + 10 * MIN);
    await write('POST', `/api/v1/incidents/${id}/updates`, { status: 'identified', body: 'A bad deploy.', components: [{ service: 'api', status: 'major_outage' }] });
    clock.set(T0 + HOUR + 20 * MIN);
    await write('POST', `/api/v1/incidents/${id}/updates`, { status: 'monitoring', body: 'Rolled back; watching.', components: [{ service: 'api', status: 'degraded_performance' }] });
    const [watching] = (await get<{ incidents: Incident[] }>('/api/v2/incidents/unresolved.json')).incidents;
    expect(watching).toMatchObject({ status: 'monitoring', monitoring_at: iso(T0 + HOUR + 20 * MIN) });
    expect(watching.incident_updates.map((u) => [u.status, u.affected_components?.[0]?.old_status, u.affected_components?.[0]?.new_status])).toEqual([
      ['monitoring', 'major_outage', 'degraded_performance'],
      ['identified', 'partial_outage', 'major_outage'],
      ['investigating', 'operational', 'partial_outage'],
    ]);
    expect(await component('api')).toMatchObject({ status: 'degraded_performance', updated_at: iso(T0 + HOUR + 20 * MIN) });

    clock.set(T0 + 2 * HOUR);
    await write('POST', `/api/v1/incidents/${id}/updates`, { status: 'resolved', body: 'All good.' });
    expect((await get<{ incidents: Incident[] }>('/api/v2/incidents/unresolved.json')).incidents).toEqual([]);
    const [resolved] = (await get<{ incidents: Incident[] }>('/api/v2/incidents.json')).incidents;
    expect(resolved).toMatchObject({ id, status: 'resolved', resolved_at: iso(T0 + 2 * HOUR) });
    expect(resolved.incident_updates[0].affected_components).toEqual([{ code: 'api', name: 'Acme API', old_status: 'degraded_performance', new_status: 'operational' }]);
    expect(await component('api')).toMatchObject({ status: 'operational', updated_at: iso(T0 + 2 * HOUR) });
    expect((await get<{ status: { indicator: string } }>('/api/v2/status.json')).status).toEqual({ indicator: 'none', description: 'All Systems Operational' });

    clock.set(T0 + 3 * HOUR);
    await write('PATCH', `/api/v1/incidents/${id}`, { postmortem: 'A config change.' });
    expect((await get<{ incidents: Incident[] }>('/api/v2/incidents.json')).incidents[0]).toMatchObject({ id, status: 'postmortem' });
  });

  it("names automatic incidents after the service's name; a dismissed one is not listed", async () => {
    clock.set(T0 + 4 * HOUR);
    const crowd = await saveAutomatic(store, { id: 'db-crowd', service: 'db', severity: 'major_outage', openedAt: clock.now() - 10 * MIN }, 'major_outage');
    await store.incidents.upsert({
      id: 'web-probe', service: 'web', kind: 'probe', status: 'open', severity: 'degraded', title: 'web: partial outage seen by the probes', openedAt: clock.now() - 5 * MIN, peak: 0, reports: 0,
      phases: [{ start: clock.now() - 5 * MIN, detectedAt: clock.now() - 5 * MIN, peak: 0 }], breakdown: [], regions: [], updatedAt: clock.now() - 5 * MIN,
      cause: '2 of 3 locations: connection refused on web-tcp', probe: { status: 'partial_outage', reasons: ['2 of 3 locations: connection refused on web-tcp'], failingLocations: 2, totalLocations: 3, errorClasses: [{ errorClass: 'connection_refused', locations: 2 }] },
    });
    const open = (await get<{ incidents: Incident[] }>('/api/v2/incidents/unresolved.json')).incidents;
    expect(open.map((i) => [i.id, i.name, i.status, i.impact])).toEqual([
      ['web-probe', 'Acme Web: partial outage seen by the probes', 'identified', 'major'],
      ['db-crowd', 'Acme DB: major outage reported', 'investigating', 'critical'],
    ]);
    // Stormwatch's own updates set no component status by an operator's word.
    expect(open[1].incident_updates.map((u) => u.affected_components)).toEqual([null]);
    await write('POST', `/api/v1/incidents/${crowd.id}/dismiss`, { reason: 'A newsletter.' });
    for (const path of ['incidents', 'incidents/unresolved', 'summary']) {
      expect((await get<{ incidents: Incident[] }>(`/api/v2/${path}.json`)).incidents.map((i) => i.id), path).not.toContain(crowd.id);
    }
    await store.incidents.upsert({ ...(await store.incidents.get('web-probe'))!, status: 'closed', closedAt: clock.now() });
  });

  it('lists maintenance: recent, upcoming and active, with the components under maintenance', async () => {
    clock.set(T0 + 6 * HOUR);
    const now = clock.now();
    const done = await write('POST', '/api/v1/maintenances', { title: 'Disk swap', body: 'Done **quickly**.', services: ['db'], startsAt: now - 3 * HOUR, endsAt: now - 2 * HOUR });
    const active = await write('POST', '/api/v1/maintenances', { title: 'Database upgrade', body: 'Read-only.', services: ['db', 'api'], startsAt: now - MIN, endsAt: now + HOUR });
    const later = await write('POST', '/api/v1/maintenances', { title: 'Network work', services: ['web'], startsAt: now + DAY_MS, endsAt: now + DAY_MS + HOUR });

    const upcoming = (await get<{ scheduled_maintenances: Maintenance[] }>('/api/v2/scheduled-maintenances/upcoming.json')).scheduled_maintenances;
    expect(upcoming.map((m) => m.id)).toEqual([later.maintenance.id]);
    expect(upcoming[0]).toMatchObject({ name: 'Network work', status: 'scheduled', impact: 'maintenance', scheduled_for: iso(now + DAY_MS), scheduled_until: iso(now + DAY_MS + HOUR), resolved_at: null });
    expect(upcoming[0].incident_updates.map((u) => u.status)).toEqual(['scheduled']);

    const running = (await get<{ scheduled_maintenances: Maintenance[] }>('/api/v2/scheduled-maintenances/active.json')).scheduled_maintenances;
    expect(running.map((m) => [m.id, m.status])).toEqual([[active.maintenance.id, 'in_progress']]);
    expect(running[0].components.map((c) => [c.id, c.status])).toEqual([['db', 'under_maintenance'], ['api', 'under_maintenance']]);
    expect(running[0].incident_updates.map((u) => u.status)).toEqual(['in_progress', 'scheduled']);
    expect(await component('db')).toMatchObject({ status: 'under_maintenance', updated_at: iso(now) });

    const all = (await get<{ scheduled_maintenances: Maintenance[] }>('/api/v2/scheduled-maintenances.json')).scheduled_maintenances;
    expect(all.map((m) => [m.id, m.status])).toEqual([[later.maintenance.id, 'scheduled'], [active.maintenance.id, 'in_progress'], [done.maintenance.id, 'completed']]);
    expect(all[2]).toMatchObject({ resolved_at: iso(now - 2 * HOUR) });
    expect(all[2].incident_updates.map((u) => u.status)).toEqual(['completed', 'in_progress', 'scheduled']);

    const summary = await get<{ scheduled_maintenances: Maintenance[]; status: { indicator: string } }>('/api/v2/summary.json');
    expect(summary.scheduled_maintenances.map((m) => m.id)).toEqual([active.maintenance.id, later.maintenance.id]);
    // Maintenance is announced work, not an outage.
    expect(summary.status.indicator, JSON.stringify(summary)).toBe('none');
  });

  it('answers CORS on public reads only: no header on writes or admin reads', async () => {
    for (const url of ['/api/v1/services', '/api/v1/status', '/api/v1/incidents', '/api/v1/maintenances', '/api/v1/status-pages/api', '/badge/api/status.svg', '/history.atom', '/api/v2/nope.json']) {
      const res = await app.inject({ url });
      if (url !== '/api/v2/nope.json') expect(res.statusCode, url).toBe(200);
      else expect(res.statusCode).toBe(404);
    }
    for (const url of ['/api/v1/services', '/api/v1/status', '/api/v1/incidents', '/api/v1/maintenances', '/api/v1/status-pages/api', '/badge/api/status.svg', '/history.atom']) {
      expect((await app.inject({ url })).headers['access-control-allow-origin'], url).toBe('*');
    }
    // A bad read of a public route is still readable cross-origin: the consumer sees the error body.
    const bad = await app.inject({ url: '/api/v1/status-pages/nope' });
    expect(bad.statusCode).toBe(404);
    expect(bad.headers['access-control-allow-origin']).toBe('*');
    expect(bad.json()).toMatchObject({ error: 'not_found' });
    const adminRead = await app.inject({ url: '/api/v1/subscribers', headers: auth });
    expect(adminRead.statusCode).toBe(200);
    expect(adminRead.headers['access-control-allow-origin']).toBeUndefined();
    const writeRes = await app.inject({ method: 'POST', url: '/api/v1/maintenances', headers: auth, payload: { title: 't', services: ['api'], startsAt: 1, endsAt: 2 } });
    expect(writeRes.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers what it does not serve with 4xx JSON', async () => {
    for (const [method, url, code] of [['GET', '/api/v2/nope.json', 404], ['POST', '/api/v2/summary.json', 404], ['DELETE', '/api/v2/scheduled-maintenances.json', 404], ['GET', '/api/v2/scheduled-maintenances/soon.json', 404]] as const) {
      const res = await app.inject({ method, url });
      expect(res.statusCode, url).toBe(code);
      expect(res.json(), url).toMatchObject({ error: 'not_found', message: expect.any(String) as unknown });
    }
  });
});

const DAY_MS = 86_400_000;
