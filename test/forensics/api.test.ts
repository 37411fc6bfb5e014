import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/api/app.js';
import { MemoryBus } from '../../src/events/bus.js';
import { analyzeLogs } from '../../src/forensics/analyze.js';
import type { ForensicsReport } from '../../src/forensics/report.js';
import { uploadReport } from '../../src/forensics/upload.js';
import { writeAccessLog } from '../../src/simulate/access-log-file.js';
import type { Store } from '../../src/store/store.js';
import { ManualClock } from '../../src/time/clock.js';
import { testDbs } from '../pg.js';
import { fixedAdminToken } from '../../src/config/admin-token.js';

const TOKEN = 'admin-token-0123456789abcdef';
const auth = { authorization: `Bearer ${TOKEN}` };
let report: ForensicsReport;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-forensics-api-'));
  const file = path.join(dir, 'a.log');
  writeAccessLog(file, { seed: 3, start: Date.UTC(2026, 2, 10, 12) / 1000, durationSeconds: 5400, normalRps: 3, crawlers: 1, attack: { offsetSeconds: 3600, durationSeconds: 600, rps: 150, bots: 500 }, format: 'combined', countries: null });
  report = (await analyzeLogs({ inputs: [file], workers: 1 })).report;
  fs.rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe.each(testDbs)('forensics API on $name', (tdb) => {
  let store: Store;
  let app: App;
  const clock = new ManualClock(Date.UTC(2026, 2, 10, 14));

  beforeAll(async () => {
    store = await tdb.open();
    await store.services.create({ slug: 'shop', name: 'Shop', url: 'https://shop.example' }, 'api', clock.now());
    app = await buildApp({ store, bus: new MemoryBus(), clock, adminToken: fixedAdminToken(TOKEN) });
    await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.close();
    await tdb.cleanup(store);
  });

  it('stores an analysis posted by the CLI client over real HTTP and lists it', async () => {
    expect(report.attacks).toHaveLength(1);
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('no address');
    const { id } = await uploadReport(report, { server: `http://127.0.0.1:${address.port}`, service: 'shop', token: TOKEN });
    const list = await app.inject({ url: '/api/v1/services/shop/forensics', headers: auth });
    expect(list.statusCode).toBe(200);
    const body = list.json() as { reports: { id: string; attack_count: number; first_attack_start: number; summary: ForensicsReport }[] };
    expect(body.reports).toHaveLength(1);
    expect(body.reports[0]).toMatchObject({ id, attack_count: 1, first_attack_start: report.attacks[0].start_unix });
    expect(body.reports[0].summary.attacks[0].botnet_score).toBe(report.attacks[0].botnet_score);
    expect(body.reports[0].summary.timeline.per_second).toBeNull();
  });

  it("attaches the analysis to the service's incident that the attack falls in", async () => {
    const attack = report.attacks[0];
    const opened = attack.start_unix * 1000 + 60_000;
    const incident = {
      id: 'shop-incident', service: 'shop', status: 'closed' as const, severity: 'major_outage' as const, title: 'shop outage',
      openedAt: opened, closedAt: attack.end_unix * 1000 + 20 * 60_000, peak: 120, reports: 900,
      phases: [{ start: opened, end: attack.end_unix * 1000 + 20 * 60_000, detectedAt: opened + 60_000, peak: 120 }],
      breakdown: [], regions: [], updatedAt: opened,
    };
    await store.incidents.save({ service: 'shop', lastMinute: opened, status: 'operational', detector: {}, engine: {}, updatedAt: opened }, [incident], []);
    const posted = await app.inject({ method: 'POST', url: '/api/v1/services/shop/forensics', headers: auth, payload: { summary: { ...report, timeline: undefined } } });
    expect(posted.statusCode).toBe(201);
    const { id, incident_id } = posted.json() as { id: string; incident_id: string | null };
    expect(incident_id).toBe('shop-incident');
    const detail = (await app.inject({ url: '/api/v1/incidents/shop-incident' })).json() as { incident: { forensics?: { id: string; attack_count: number }[] } };
    expect(detail.incident.forensics).toEqual([expect.objectContaining({ id, attack_count: 1 })]);
    // An analysis of other days' logs is not attached to it.
    const elsewhere = { ...report, timeline: undefined, attacks: [{ ...attack, start_unix: attack.start_unix - 86_400 * 30, end_unix: attack.end_unix - 86_400 * 30 }] };
    const other = await app.inject({ method: 'POST', url: '/api/v1/services/shop/forensics', headers: auth, payload: { summary: elsewhere } });
    expect((other.json() as { incident_id: string | null }).incident_id).toBeNull();
  });

  it('answers every error as 4xx JSON', async () => {
    const post = (url: string, payload: unknown, headers: Record<string, string> = auth) => app.inject({ method: 'POST', url, payload: payload as object, headers });
    const cases = [
      [await post('/api/v1/services/shop/forensics', { summary: { attacks: [], lines: 0, bad_lines: 0 } }, {}), 401],
      [await app.inject({ url: '/api/v1/services/shop/forensics' }), 401],
      [await post('/api/v1/services/nope/forensics', { summary: { attacks: [], lines: 0, bad_lines: 0 } }), 404],
      [await post('/api/v1/services/shop/forensics', { summary: { attacks: 'x', lines: 0, bad_lines: 0 } }), 400],
      [await post('/api/v1/services/shop/forensics', { summary: { attacks: [{ start_unix: 10, end_unix: 5 }], lines: 1, bad_lines: 0 } }), 400],
      [await post('/api/v1/services/shop/forensics', { other: 1 }), 400],
      [await post('/api/v1/services/BAD!/forensics', { summary: { attacks: [], lines: 0, bad_lines: 0 } }), 400],
      [await app.inject({ url: '/api/v1/services/shop/forensics?limit=abc', headers: auth }), 400],
    ] as const;
    for (const [res, status] of cases) {
      expect(res.statusCode).toBe(status);
      const body = res.json() as { error: string; message: string };
      expect(typeof body.error).toBe('string');
      expect(typeof body.message).toBe('string');
    }
    const calm = await post('/api/v1/services/shop/forensics', { summary: { attacks: [], lines: 10, bad_lines: 0 } });
    expect(calm.statusCode).toBe(201);
    expect(calm.json()).toMatchObject({ service: 'shop', attack_count: 0 });
  });
});
