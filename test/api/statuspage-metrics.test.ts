import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/api/app.js';
import type { StatuspageIncident } from '../../src/api/statuspage-v2-model.js';
import { MemoryBus } from '../../src/events/bus.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { ManualClock } from '../../src/time/clock.js';
import { auth, createService, harness, T0, type Harness } from './harness.js';
import { fixedAdminToken } from '../../src/config/admin-token.js';

describe('statuspage v2', () => {
  let store: Store;
  let app: App;
  let incidents: StatuspageIncident[] = [];
  beforeEach(async () => {
    store = await openStore('sqlite::memory:');
    incidents = [];
    app = await buildApp({ store, bus: new MemoryBus(), clock: new ManualClock(T0), adminToken: fixedAdminToken('a'.repeat(20)), incidentsForStatuspage: async () => incidents });
    await store.services.upsertMany([{ slug: 'github', name: 'GitHub', url: 'https://github.com' }, { slug: 'x', name: 'X', url: 'https://x.com' }], 'config', T0);
  });
  afterEach(async () => {
    await app.close();
    await store.close();
  });

  it('lists services as operational components with no incidents', async () => {
    const summary = (await app.inject({ url: '/api/v2/summary.json' })).json();
    expect(summary.page).toMatchObject({ id: 'stormwatch', name: 'Stormwatch', time_zone: 'Etc/UTC' });
    expect(summary.components.map((c: { id: string; status: string }) => [c.id, c.status])).toEqual([
      ['github', 'operational'],
      ['x', 'operational'],
    ]);
    expect(summary).toMatchObject({ incidents: [], scheduled_maintenances: [], status: { indicator: 'none', description: 'All Systems Operational' } });
    for (const path of ['status', 'components', 'incidents', 'incidents/unresolved']) {
      const res = await app.inject({ url: `/api/v2/${path}.json` });
      expect(res.statusCode, path).toBe(200);
      expect(res.json().page.id).toBe('stormwatch');
    }
  });

  it('maps incidents to Statuspage fields and component statuses', async () => {
    incidents = [
      {
        id: 'inc-1', name: 'X: spike in problem reports', status: 'investigating', impact: 'major', createdAt: T0, updatedAt: T0 + 60_000, startedAt: T0 - 120_000,
        components: [{ slug: 'x', status: 'partial_outage' }],
        updates: [{ id: 'u1', status: 'investigating', body: 'Reports are rising', createdAt: T0 }],
      },
      { id: 'inc-0', name: 'GitHub slow', status: 'resolved', impact: 'minor', createdAt: T0 - 86_400_000, updatedAt: T0 - 80_000_000, startedAt: T0 - 86_400_000, resolvedAt: T0 - 80_000_000, components: [{ slug: 'github', status: 'degraded_performance' }], updates: [] },
    ];
    const status = (await app.inject({ url: '/api/v2/status.json' })).json();
    expect(status.status).toEqual({ indicator: 'major', description: 'Partial System Outage' });
    // Component statuses are the services' derived statuses (src/status, from the store), the
    // same everywhere; what an incident says about its components stays in the incident.
    const comps = (await app.inject({ url: '/api/v2/components.json' })).json().components;
    expect(comps.find((c: { id: string }) => c.id === 'x').status).toBe('operational');
    expect(comps.find((c: { id: string }) => c.id === 'github').status).toBe('operational');
    const unresolved = (await app.inject({ url: '/api/v2/incidents/unresolved.json' })).json().incidents;
    expect(unresolved).toHaveLength(1);
    expect(unresolved[0]).toMatchObject({
      id: 'inc-1', status: 'investigating', impact: 'major', resolved_at: null, started_at: new Date(T0 - 120_000).toISOString(), page_id: 'stormwatch',
      incident_updates: [{ id: 'u1', body: 'Reports are rising', incident_id: 'inc-1', affected_components: [{ code: 'x', name: 'X', new_status: 'partial_outage' }] }],
      components: [{ id: 'x', status: 'partial_outage' }],
    });
    expect((await app.inject({ url: '/api/v2/incidents.json' })).json().incidents.map((i: { id: string }) => i.id)).toEqual(['inc-1', 'inc-0']);
    expect((await app.inject({ url: '/api/v1/services/x' })).json().status).toBe('operational');
  });
});

describe('/metrics', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness(await openStore('sqlite::memory:'));
  });
  afterEach(async () => {
    await h.close();
    await h.store.close();
  });

  it('counts requests, accepted and rejected reports by reason, on the app registry only', async () => {
    await createService(h.app, 'x');
    const post = () => h.app.inject({ method: 'POST', url: '/api/v1/services/x/reports', headers: { 'x-forwarded-for': '81.2.69.142' }, payload: { problem: 'app' } });
    expect((await post()).statusCode).toBe(202);
    const dup = await post();
    expect(dup.statusCode).toBe(202);
    expect(dup.json()).toEqual({ accepted: false, reason: 'duplicate' });
    await h.app.inject({ method: 'POST', url: '/api/v1/services/x/reports', payload: { problem: 'nope' } });
    await h.app.inject({ method: 'POST', url: '/api/v1/reports:batch', headers: { ...auth, 'content-type': 'application/x-ndjson' }, payload: '{"service":"x","problem":"app"}\n{"service":"zz","problem":"app"}\n' });
    const res = await h.app.inject({ url: '/metrics' });
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.body;
    expect(text).toContain('stormwatch_reports_accepted_total 2');
    expect(text).toContain('stormwatch_reports_rejected_total{reason="duplicate"} 1');
    expect(text).toContain('stormwatch_reports_rejected_total{reason="invalid"} 1');
    expect(text).toContain('stormwatch_reports_rejected_total{reason="unknown_service"} 1');
    expect(text).toContain('stormwatch_ingest_queue_depth 0');
    expect(text).toContain('stormwatch_batch_bodies_parsed_total{where="inline"} 1');
    expect(text).toMatch(/stormwatch_ingest_commit_seconds_count [1-9]/);
    expect(text).toContain('stormwatch_http_requests_total{method="POST",route="/api/v1/services/:slug/reports",status="202"} 2');
    expect((await new Registry().metrics()).trim()).toBe('');
  });
});
