import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/api/app.js';
import { MemoryBus } from '../../src/events/bus.js';
import type { Incident } from '../../src/incidents/incident.js';
import { IncidentRunner } from '../../src/incidents/runner.js';
import { storeMinuteSource } from '../../src/incidents/store-minute-source.js';
import { xOutage } from '../../src/simulate/x-outage.js';
import type { Store } from '../../src/store/store.js';
import { ManualClock } from '../../src/time/clock.js';
import { testDbs } from '../pg.js';
import { feedRollups } from './feed.js';
import { fixedAdminToken } from '../../src/config/admin-token.js';

const tdb = testDbs[0];

describe('incidents API (in-process)', () => {
  let store: Store;
  let app: App;
  const bus = new MemoryBus();
  const clock = new ManualClock(xOutage.from);
  const cut = xOutage.waves[1].start + 30 * 60_000; // the second wave is under way

  beforeAll(async () => {
    store = await tdb.open();
    await store.services.create(xOutage.service, 'api', clock.now());
    await store.services.create({ slug: 'calm', name: 'Calm', url: 'https://calm.example' }, 'api', clock.now());
    const runner = new IncidentRunner({ bus, clock, repo: store.incidents, source: storeMinuteSource(store.services, store.reports), tickMs: 0 });
    await runner.start();
    await feedRollups(store, bus, xOutage, { scale: 0.02, seed: 4, chunkMinutes: 1440, to: cut });
    await runner.stop();
    app = await buildApp({ store, bus, clock, adminToken: fixedAdminToken('admin-token-0123456789abcdef') });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await tdb.cleanup(store);
  });

  const get = (url: string) => app.inject({ url });

  it('lists incidents, filters by status and service, and reads one', async () => {
    const all = (await get('/api/v1/incidents')).json() as { incidents: Incident[] };
    expect(all.incidents).toHaveLength(1);
    const inc = all.incidents[0];
    expect(inc).toMatchObject({ service: 'x', status: 'open', severity: 'major_outage' });
    expect(inc.phases).toHaveLength(2);
    expect(inc.phases[1].end).toBeUndefined();
    expect(((await get('/api/v1/incidents?status=closed')).json() as { incidents: Incident[] }).incidents).toEqual([]);
    expect(((await get('/api/v1/incidents?service=calm')).json() as { incidents: Incident[] }).incidents).toEqual([]);
    expect(((await get(`/api/v1/incidents?from=${new Date(cut).toISOString()}&limit=5`)).json() as { incidents: Incident[] }).incidents).toHaveLength(1);
    expect(((await get(`/api/v1/incidents?to=${xOutage.waves[0].start}`)).json() as { incidents: Incident[] }).incidents).toEqual([]);
    expect((await get(`/api/v1/incidents/${inc.id}`)).json()).toEqual({ incident: inc });
    expect(((await get('/api/v1/services/x/incidents')).json() as { incidents: Incident[] }).incidents).toEqual([inc]);
  });

  it('shows the probe correlation (confidence and cause) on the incident once there is one', async () => {
    const [inc] = ((await get('/api/v1/incidents')).json() as { incidents: Incident[] }).incidents;
    await store.alerts.saveCorrelation({
      incidentId: inc.id, service: 'x', open: true, openedAt: inc.openedAt, updatedAt: clock.now(),
      confidence: 'confirmed', cause: 'confirmed outage, cause: connection timeouts from 7 of 9 locations',
      failingLocations: 7, totalLocations: 9, errorClasses: [{ errorClass: 'timeout', locations: 7 }],
    });
    const one = (await get(`/api/v1/incidents/${inc.id}`)).json() as { incident: Incident & { correlation?: { confidence: string; cause: string } } };
    expect(one.incident.correlation).toMatchObject({ confidence: 'confirmed', failingLocations: 7, totalLocations: 9 });
    expect(one.incident.correlation?.cause).toContain('7 of 9 locations');
    const list = (await get('/api/v1/incidents')).json() as { incidents: (Incident & { correlation?: { confidence: string } })[] };
    expect(list.incidents[0].correlation?.confidence).toBe('confirmed');
  });

  it('reports each service status', async () => {
    const x = (await get('/api/v1/services/x/status')).json() as { status: string; incident?: Incident };
    expect(x.status).toBe('major_outage');
    expect(x.incident?.status).toBe('open');
    expect((await get('/api/v1/services/x/status')).json()).toMatchObject({ reasons: [{ source: 'crowd', status: 'major_outage', effective: true, incidentId: x.incident?.id }] });
    expect((await get('/api/v1/services/calm/status')).json()).toEqual({ service: 'calm', status: 'operational', reasons: [] });
    expect((await get('/api/v1/status')).json()).toEqual({
      services: expect.arrayContaining([expect.objectContaining({ service: 'x', status: 'major_outage' }), { service: 'calm', status: 'operational', reasons: [] }]) as unknown,
    });
  });

  it('hands open incidents to the status page in Statuspage terms', async () => {
    const [sp] = ((await get('/api/v2/incidents/unresolved.json')).json() as { incidents: { status: string; impact: string; components: { id: string; status: string }[]; incident_updates: { status: string }[] }[] }).incidents;
    expect(sp).toMatchObject({ status: 'investigating', impact: 'critical', components: [{ id: 'x', status: 'major_outage' }] });
    expect(sp.incident_updates.map((u) => u.status)).toEqual(['investigating', 'monitoring', 'investigating']);
  });

  it.each([
    ['/api/v1/incidents/nope', 404, 'not_found', undefined],
    ['/api/v1/services/nope/incidents', 404, 'not_found', undefined],
    ['/api/v1/services/nope/status', 404, 'not_found', undefined],
    ['/api/v1/incidents?limit=0', 400, 'invalid_request', 'limit'],
    ['/api/v1/incidents?limit=abc', 400, 'invalid_request', 'querystring.limit'],
    ['/api/v1/incidents?status=maybe', 400, 'invalid_request', 'querystring.status'],
    ['/api/v1/incidents?from=yesterday', 400, 'invalid_request', 'from'],
    ['/api/v1/incidents?bogus=1', 400, 'invalid_request', 'querystring.bogus'],
    ['/api/v1/services/x/baseline?from=2025-03-10&to=2025-03-09', 400, 'invalid_request', 'to'],
    ['/api/v1/services/x/baseline?from=2025-03-10&to=2025-03-11&step=2m', 400, 'invalid_request', 'step'],
    ['/api/v1/services/x/baseline?from=2020-01-01&to=2025-03-11', 400, 'invalid_request', 'from'],
    ['/api/v1/services/x/baseline?to=2025-03-11', 400, 'invalid_request', 'querystring.from'],
  ])('%s → %i %s', async (url, status, error, field) => {
    const res = await get(url);
    expect(res.statusCode).toBe(status);
    const body = res.json() as { error: string; message: string; field?: string };
    expect(body.error).toBe(error);
    expect(typeof body.message).toBe('string');
    expect(body.field).toBe(field);
  });

  it('serves the detector baseline per bucket', async () => {
    const hour = Date.UTC(2025, 2, 10, 12); // buckets align to the epoch, like the report series
    const res = (await get(`/api/v1/services/x/baseline?from=${hour}&to=${hour + 3_600_000}&step=1h`)).json() as { step: string; points: { t: number; expected: number; upper: number }[] };
    expect(res.step).toBe('1h');
    expect(res.points).toEqual([expect.objectContaining({ t: hour })]);
    expect(res.points[0].upper).toBeGreaterThan(res.points[0].expected);
  });
});
