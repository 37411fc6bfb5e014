import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import type { Store } from '../../src/store/store.js';
import { auth, createService, harness, T0, type Harness } from '../api/harness.js';
import { testDbs } from '../pg.js';
import { saveAutomatic } from './seed.js';

interface View { id: string; source: string; status: string; lifecycle: string; impact: string; title: string; services: string[]; dismissedAt?: number; updates: { id: string; source: string; status: string; body: string; html: string; components: { service: string; old: string; new: string }[] }[]; components: { service: string; status: string }[]; postmortem?: { body: string; html: string }; closedAt?: number }
const HOUR = 3_600_000;

function expectError(res: LightMyRequestResponse, status: number, error?: string, field?: string): void {
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json() as { error: string; message: string; field?: string };
  expect(typeof body.message).toBe('string');
  if (error) expect(body.error).toBe(error);
  if (field) expect(body.field).toBe(field);
}

describe.each(testDbs)('operator API on $name', (tdb) => {
  let store: Store;
  let h: Harness;
  const inject = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = auth) =>
    h.app.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}) });

  beforeAll(async () => {
    store = await tdb.open();
    h = await harness(store);
    for (const slug of ['api', 'web', 'db']) await createService(h.app, slug);
    await store.services.update('api', { category: 'Core platform', logo: 'https://api.example/logo.png' }, T0);
    await store.services.update('web', { category: 'Core platform' }, T0);
  });
  afterAll(async () => {
    await h.close();
    await tdb.cleanup(store);
  });

  it('opens an operator incident, posts updates with component statuses, resolves it, publishes a postmortem', async () => {
    const created = await inject('POST', '/api/v1/incidents', { title: 'Logins fail', impact: 'major', services: ['api', 'web'], update: { status: 'investigating', body: 'We are **looking** into it.' } });
    expect(created.statusCode, created.body).toBe(201);
    const inc = (created.json() as { incident: View }).incident;
    expect(inc).toMatchObject({ source: 'operator', status: 'open', lifecycle: 'investigating', impact: 'major', title: 'Logins fail', services: ['api', 'web'] });
    expect(inc.components).toEqual([{ service: 'api', status: 'partial_outage' }, { service: 'web', status: 'partial_outage' }]);
    expect(inc.updates[0].html).toBe('<p>We are <strong>looking</strong> into it.</p>');

    h.clock.advance(60_000);
    const upd = await inject('POST', `/api/v1/incidents/${inc.id}/updates`, { status: 'identified', body: 'A bad deploy.', components: [{ service: 'api', status: 'major_outage' }] });
    expect(upd.statusCode, upd.body).toBe(201);
    const after = upd.json() as { incident: View; update: View['updates'][number] };
    // The status before this update is the one the first update set.
    expect(after.update.components).toEqual([{ service: 'api', old: 'partial_outage', new: 'major_outage' }]);
    expect(after.incident).toMatchObject({ lifecycle: 'identified' });
    expect(after.incident.components).toContainEqual({ service: 'api', status: 'major_outage' });

    const patch = await inject('PATCH', `/api/v1/incidents/${inc.id}`, { postmortem: 'Too early' });
    expectError(patch, 409, 'conflict', 'postmortem');
    h.clock.advance(60_000);
    expect((await inject('POST', `/api/v1/incidents/${inc.id}/updates`, { status: 'resolved', body: 'Rolled back.' })).statusCode).toBe(201);
    const pm = await inject('PATCH', `/api/v1/incidents/${inc.id}`, { postmortem: '## What happened\n\nA config change.', title: 'Logins failed' });
    expect(pm.statusCode, pm.body).toBe(200);
    const done = (pm.json() as { incident: View }).incident;
    expect(done).toMatchObject({ status: 'closed', lifecycle: 'postmortem', title: 'Logins failed' });
    expect(done.postmortem?.html).toContain('<h2>What happened</h2>');
    expect(done.components.every((c) => c.status === 'operational')).toBe(true);
    expect(done.updates.map((u) => u.status)).toEqual(['resolved', 'identified', 'investigating']);

    const listed = (await inject('GET', '/api/v1/incidents?service=web', undefined, {})).json() as { incidents: View[] };
    expect(listed.incidents.map((i) => i.id)).toContain(inc.id);
    expect(((await inject('GET', '/api/v1/incidents?status=open', undefined, {})).json() as { incidents: View[] }).incidents.map((i) => i.id)).not.toContain(inc.id);
    expect(((await inject('GET', `/api/v1/incidents/${inc.id}`, undefined, {})).json() as { incident: View }).incident.id).toBe(inc.id);
  });

  it('renders Markdown safely: no script, no event handler, no javascript: link survives', async () => {
    const evil = '<script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3)) <a href="javascript:alert(4)">x</a> [ok](https://example.com)';
    const res = await inject('POST', '/api/v1/incidents', { title: '<b>T</b>', impact: 'minor', services: ['web'], update: { status: 'investigating', body: evil } });
    const html = (res.json() as { incident: View }).incident.updates[0].html;
    // Every tag that survives is harmless: no script or image, no event handler, no script URL.
    const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
    expect(tags.length).toBeGreaterThan(0);
    for (const tag of tags) {
      expect(tag).not.toMatch(/^<(script|img|iframe|object|svg)/i);
      expect(tag).not.toMatch(/\son[a-z]+\s*=/i);
      expect(tag).not.toMatch(/javascript:/i);
    }
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('<a href="https://example.com" rel="nofollow noopener noreferrer">ok</a>');
    await inject('POST', `/api/v1/incidents/${(res.json() as { incident: View }).incident.id}/updates`, { status: 'resolved', body: 'done' });
  });

  it('takes operator updates on an automatic incident, and the operator owns it until resolved', async () => {
    const auto = await saveAutomatic(store, { id: 'api-20250310T1000Z', service: 'api', openedAt: T0 - 2 * HOUR }, 'major_outage');
    const before = ((await inject('GET', `/api/v1/incidents/${auto.id}`, undefined, {})).json() as { incident: View }).incident;
    expect(before).toMatchObject({ source: 'automatic', lifecycle: 'investigating', title: 'API: problems reported' });
    const res = await inject('POST', `/api/v1/incidents/${auto.id}/updates`, { status: 'monitoring', body: 'A fix is out.', components: [{ service: 'api', status: 'degraded_performance' }] });
    expect(res.statusCode, res.body).toBe(201);
    const v = (res.json() as { incident: View }).incident;
    expect(v).toMatchObject({ source: 'automatic', lifecycle: 'monitoring', status: 'open' });
    expect(v.components).toEqual([{ service: 'api', status: 'degraded_performance' }]);
    expect(v.updates.map((u) => u.source)).toEqual(['operator', 'automatic']);
    // The detection closes it: the operator still has it open, monitoring.
    await saveAutomatic(store, { ...auto, status: 'closed', closedAt: T0 - HOUR });
    expect(((await inject('GET', `/api/v1/incidents/${auto.id}`, undefined, {})).json() as { incident: View }).incident).toMatchObject({ status: 'open', lifecycle: 'monitoring' });
    expect(((await inject('GET', '/api/v1/incidents?status=open&service=api', undefined, {})).json() as { incidents: View[] }).incidents.map((i) => i.id)).toContain(auto.id);
    await inject('POST', `/api/v1/incidents/${auto.id}/updates`, { status: 'resolved', body: 'All good.' });
    expect(((await inject('GET', `/api/v1/incidents/${auto.id}`, undefined, {})).json() as { incident: View }).incident).toMatchObject({ status: 'closed', lifecycle: 'resolved' });
  });

  it('dismisses a false automatic incident: kept as dismissed, out of the uptime', async () => {
    const page = async () => (await inject('GET', '/api/v1/status-pages/db', undefined, {})).json() as { uptime: { percent?: number; text: string; days: { downMinutes: number; countedMinutes: number }[] }; incidents: { open: View[]; past: View[] }; status: string };
    h.clock.advance(HOUR);
    const auto = await saveAutomatic(store, { id: 'db-20250310T1100Z', service: 'db', openedAt: h.clock.now() - 30 * 60_000 }, 'degraded');
    const down = await page();
    expect(down.incidents.open.map((i) => i.id)).toContain(auto.id);
    expect(down.uptime.percent).toBeLessThan(100);
    expect(down.uptime.days.at(-1)?.downMinutes).toBe(30);
    const res = await inject('POST', `/api/v1/incidents/${auto.id}/dismiss`, { reason: 'A marketing mail made people report.' });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as { incident: View }).incident).toMatchObject({ status: 'closed', dismissedAt: h.clock.now() });
    const up = await page();
    expect(up.uptime.percent).toBe(100);
    expect(up.uptime.days.at(-1)?.downMinutes).toBe(0);
    expect([...up.incidents.open, ...up.incidents.past].map((i) => i.id)).not.toContain(auto.id);
    // Still in the history, marked dismissed.
    const kept = ((await inject('GET', '/api/v1/incidents?service=db', undefined, {})).json() as { incidents: View[] }).incidents.find((i) => i.id === auto.id);
    expect(kept?.dismissedAt).toBeDefined();
    // A dismissed incident takes no more updates; an operator incident cannot be dismissed.
    expectError(await inject('POST', `/api/v1/incidents/${auto.id}/updates`, { status: 'identified', body: 'x' }), 409, 'conflict');
    const op = (await inject('POST', '/api/v1/incidents', { title: 'x', impact: 'none', services: ['db'], update: { status: 'resolved', body: 'x' } })).json() as { incident: View };
    expectError(await inject('POST', `/api/v1/incidents/${op.incident.id}/dismiss`, {}), 409, 'conflict');
  });

  it('the derived status: the operator overrides until resolved, maintenance reads under maintenance, a dismissed incident counts no more', async () => {
    await createService(h.app, 'pay');
    const status = async () => ((await inject('GET', '/api/v1/services/pay', undefined, {})).json() as { status: string; statusReasons: { source: string; effective: boolean }[] });
    const auto = await saveAutomatic(store, { id: 'pay-auto', service: 'pay', openedAt: h.clock.now() - 60_000 }, 'major_outage');
    expect((await status()).status).toBe('major_outage');
    // The operator says it is only a partial outage: that wins, the crowd is "also observed".
    await inject('POST', `/api/v1/incidents/${auto.id}/updates`, { status: 'identified', body: 'Only card payments fail.', components: [{ service: 'pay', status: 'partial_outage' }] });
    const over = await status();
    expect(over.status).toBe('partial_outage');
    expect(over.statusReasons.map((r) => [r.source, r.effective])).toEqual([['operator', true], ['crowd', false]]);
    const v2 = (await inject('GET', '/api/v2/components.json', undefined, {})).json() as { components: { id: string; status: string }[] };
    expect(v2.components.find((c) => c.id === 'pay')?.status).toBe('partial_outage');
    // Resolved by the operator: the override ends, and the incident it resolved no longer counts.
    h.clock.advance(60_000);
    await inject('POST', `/api/v1/incidents/${auto.id}/updates`, { status: 'resolved', body: 'Fixed.' });
    expect((await status()).status).toBe('operational');
    // Maintenance: under maintenance while the window lasts.
    const m = (await inject('POST', '/api/v1/maintenances', { title: 'Provider switch', services: ['pay'], startsAt: h.clock.now() - 1000, endsAt: h.clock.now() + 60_000 })).json() as { maintenance: { id: string } };
    expect((await status()).status).toBe('under_maintenance');
    h.clock.advance(61_000);
    expect((await status()).status).toBe('operational');
    await inject('DELETE', `/api/v1/maintenances/${m.maintenance.id}`);
    // A new automatic incident, dismissed: the crowd signal goes with it.
    const second = await saveAutomatic(store, { id: 'pay-auto-2', service: 'pay', openedAt: h.clock.now() - 60_000 }, 'degraded');
    expect((await status()).status).toBe('degraded_performance');
    await inject('POST', `/api/v1/incidents/${second.id}/dismiss`, {});
    expect((await status()).status).toBe('operational');
  });

  it('schedules, lists, changes and removes maintenance; the status follows the time', async () => {
    const now = h.clock.now();
    const body = { title: 'Database upgrade', body: 'Expect **short** blips.', services: ['db'], startsAt: new Date(now + 2 * HOUR).toISOString(), endsAt: now + 3 * HOUR };
    const created = await inject('POST', '/api/v1/maintenances', body);
    expect(created.statusCode, created.body).toBe(201);
    const m = (created.json() as { maintenance: { id: string; status: string; startsAt: number; html: string } }).maintenance;
    expect(m).toMatchObject({ status: 'scheduled', startsAt: now + 2 * HOUR, html: '<p>Expect <strong>short</strong> blips.</p>' });
    expect(((await inject('GET', '/api/v1/maintenances?status=scheduled', undefined, {})).json() as { maintenances: unknown[] }).maintenances).toHaveLength(1);
    const page = (await inject('GET', '/api/v1/status-pages/db', undefined, {})).json() as { maintenances: { upcoming: { id: string }[]; active: unknown[] } };
    expect(page.maintenances.upcoming.map((x) => x.id)).toEqual([m.id]);
    h.clock.advance(2 * HOUR + 1);
    expect(((await inject('GET', `/api/v1/maintenances/${m.id}`, undefined, {})).json() as { maintenance: { status: string } }).maintenance.status).toBe('in_progress');
    const moved = await inject('PATCH', `/api/v1/maintenances/${m.id}`, { endsAt: now + 5 * HOUR, title: 'Database upgrade (longer)' });
    expect(moved.statusCode, moved.body).toBe(200);
    expect((moved.json() as { maintenance: { title: string; endsAt: number } }).maintenance).toMatchObject({ title: 'Database upgrade (longer)', endsAt: now + 5 * HOUR });
    h.clock.advance(3 * HOUR);
    expect(((await inject('GET', '/api/v1/maintenances?status=completed', undefined, {})).json() as { maintenances: { id: string }[] }).maintenances.map((x) => x.id)).toContain(m.id);
    expect((await inject('DELETE', `/api/v1/maintenances/${m.id}`)).statusCode).toBe(204);
    expectError(await inject('GET', `/api/v1/maintenances/${m.id}`, undefined, {}), 404, 'not_found');
  });

  it('adds a webhook subscriber, never shows addresses, removes it', async () => {
    const res = await inject('POST', '/api/v1/subscribers', { kind: 'webhook', url: 'https://hooks.example.org/status/secret-path', scope: 'core-platform' });
    expect(res.statusCode, res.body).toBe(201);
    const s = (res.json() as { subscriber: { id: string; address: string; confirmed: boolean } }).subscriber;
    expect(s).toMatchObject({ address: 'https://hooks.example.org/…', confirmed: true });
    const list = await inject('GET', '/api/v1/subscribers');
    expect(list.body).not.toContain('secret-path');
    expect((list.json() as { confirmed: number }).confirmed).toBeGreaterThanOrEqual(1);
    expect((await inject('DELETE', `/api/v1/subscribers/${s.id}`)).statusCode).toBe(204);
    expectError(await inject('DELETE', `/api/v1/subscribers/${s.id}`), 404, 'not_found');
    // Without SMTP configured, e-mail subscriptions are refused with a clear code.
    expectError(await inject('POST', '/api/v1/subscriptions', { email: 'ann@example.com' }, {}), 409, 'conflict');
  });

  it('serves a category page by its name, with its services, logo and feeds', async () => {
    const res = await inject('GET', '/api/v1/status-pages/core-platform', undefined, {});
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json() as { kind: string; name: string; services: { slug: string }[]; feeds: { atom: string }; uptime: { days: unknown[] } };
    expect(p).toMatchObject({ kind: 'category', name: 'Core platform', feeds: { atom: '/status/core-platform/history.atom' } });
    expect(p.services.map((s) => s.slug)).toEqual(['api', 'web']);
    expect(p.uptime.days).toHaveLength(90);
    const svc = (await inject('GET', '/api/v1/status-pages/api', undefined, {})).json() as { kind: string; logo?: string; name: string };
    expect(svc).toMatchObject({ kind: 'service', name: 'API', logo: 'https://api.example/logo.png' });
  });

  it('counts uptime only from the service creation, and an open outage lowers today', async () => {
    await createService(h.app, 'fresh');
    const p = (await inject('GET', '/api/v1/status-pages/fresh', undefined, {})).json() as { uptime: { percent?: number; text: string; days: { countedMinutes: number }[] } };
    expect(p.uptime.days.slice(0, 89).every((d) => d.countedMinutes === 0)).toBe(true);
    h.clock.advance(HOUR);
    await saveAutomatic(store, { id: 'fresh-x', service: 'fresh', openedAt: h.clock.now() - 30 * 60_000 }, 'major_outage');
    const q = (await inject('GET', '/api/v1/status-pages/fresh', undefined, {})).json() as { uptime: { percent: number; text: string; days: { countedMinutes: number; downMinutes: number }[] } };
    expect(q.uptime.days.at(-1)).toMatchObject({ countedMinutes: 60, downMinutes: 30 });
    expect(q.uptime.percent).toBe(50);
    expect(q.uptime.text).toBe('50.00%');
  });

  it('serves badges', async () => {
    const status = await inject('GET', '/badge/api/status.svg', undefined, {});
    expect(status.statusCode).toBe(200);
    expect(status.headers['content-type']).toContain('image/svg+xml');
    expect(status.body).toMatch(/^<svg[^>]*aria-label="API: /);
    const uptime = await inject('GET', '/badge/fresh/uptime.svg', undefined, {});
    expect(uptime.body).toContain('uptime 90d: 50.00%');
    expectError(await inject('GET', '/badge/nope/status.svg', undefined, {}), 404, 'not_found');
  });

  it('signs in with the admin token for a session cookie; cookie writes need the CSRF token', async () => {
    expect(((await inject('GET', '/api/v1/session', undefined, {})).json() as { signedIn: boolean }).signedIn).toBe(false);
    expectError(await inject('POST', '/api/v1/session', { token: 'wrong-token-0123456789' }, {}), 401, 'unauthorized');
    const res = await inject('POST', '/api/v1/session', { token: auth.authorization.slice(7) }, {});
    expect(res.statusCode).toBe(200);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/sw_session=[^;]+; Max-Age=43200; Path=\/; HttpOnly; SameSite=Strict/);
    const cookie = setCookie.split(';')[0];
    const { csrf } = res.json() as { csrf: string };
    expect(((await inject('GET', '/api/v1/session', undefined, { cookie })).json() as { csrf: string }).csrf).toBe(csrf);
    const body = { title: 'Via cookie', impact: 'minor', services: ['web'], update: { status: 'investigating', body: 'x' } };
    expectError(await inject('POST', '/api/v1/incidents', body, { cookie }), 403, 'csrf');
    expectError(await inject('POST', '/api/v1/incidents', body, { cookie, 'x-csrf-token': 'nope' }), 403, 'csrf');
    const ok = await inject('POST', '/api/v1/incidents', body, { cookie, 'x-csrf-token': csrf });
    expect(ok.statusCode, ok.body).toBe(201);
    await inject('POST', `/api/v1/incidents/${(ok.json() as { incident: View }).incident.id}/updates`, { status: 'resolved', body: 'x' }, { cookie, 'x-csrf-token': csrf });
    expect((await inject('GET', '/api/v1/subscribers', undefined, { cookie })).statusCode).toBe(200);
    expectError(await inject('DELETE', '/api/v1/session', undefined, { cookie }), 403, 'csrf');
    expect((await inject('DELETE', '/api/v1/session', undefined, { cookie, 'x-csrf-token': csrf })).statusCode).toBe(204);
    expectError(await inject('GET', '/api/v1/subscribers', undefined, { cookie }), 401, 'unauthorized');
  });

  it.each([
    ['POST', '/api/v1/incidents', { title: 't', impact: 'minor', services: ['api'], update: { status: 'investigating', body: 'b' } }],
    ['POST', '/api/v1/incidents/x/updates', { status: 'investigating', body: 'b' }],
    ['PATCH', '/api/v1/incidents/x', { title: 't' }],
    ['POST', '/api/v1/incidents/x/dismiss', {}],
    ['POST', '/api/v1/maintenances', { title: 't', services: ['api'], startsAt: 1, endsAt: 2 }],
    ['PATCH', '/api/v1/maintenances/x', { title: 't' }],
    ['DELETE', '/api/v1/maintenances/x', undefined],
    ['GET', '/api/v1/subscribers', undefined],
    ['POST', '/api/v1/subscribers', { kind: 'webhook', url: 'https://x.example' }],
    ['DELETE', '/api/v1/subscribers/x', undefined],
  ] as const)('%s %s needs the admin token', async (method, url, payload) => {
    expectError(await inject(method, url, payload, {}), 401, 'unauthorized');
    expectError(await inject(method, url, payload, { authorization: 'Bearer not-the-token-at-all' }), 401, 'unauthorized');
  });

  it.each([
    ['POST', '/api/v1/incidents', { title: '', impact: 'minor', services: ['api'], update: { status: 'investigating', body: 'b' } }, 400, 'body.title'],
    ['POST', '/api/v1/incidents', { title: 't', impact: 'huge', services: ['api'], update: { status: 'investigating', body: 'b' } }, 400, 'body.impact'],
    ['POST', '/api/v1/incidents', { title: 't', impact: 'minor', services: [], update: { status: 'investigating', body: 'b' } }, 400, 'body.services'],
    ['POST', '/api/v1/incidents', { title: 't', impact: 'minor', services: ['nope'], update: { status: 'investigating', body: 'b' } }, 400, 'services'],
    ['POST', '/api/v1/incidents', { title: 't', impact: 'minor', services: ['api'], update: { status: 'fixed', body: 'b' } }, 400, 'body.update.status'],
    ['POST', '/api/v1/incidents', { title: 't', impact: 'minor', services: ['api'], update: { status: 'investigating', body: 'x'.repeat(10_001) } }, 400, 'body.update.body'],
    ['POST', '/api/v1/incidents', { title: 't', impact: 'minor', services: ['api'], extra: 1, update: { status: 'investigating', body: 'b' } }, 400, 'body.extra'],
    ['POST', '/api/v1/incidents/nope/updates', { status: 'investigating', body: 'b' }, 404, undefined],
    ['POST', '/api/v1/incidents/api-20250310T1000Z/updates', { status: 'investigating', body: 'b', components: [{ service: 'api', status: 'down' }] }, 400, 'body.components.0.status'],
    ['PATCH', '/api/v1/incidents/nope', { title: 't' }, 404, undefined],
    ['PATCH', '/api/v1/incidents/api-20250310T1000Z', {}, 400, undefined],
    ['POST', '/api/v1/incidents/nope/dismiss', {}, 404, undefined],
    ['POST', '/api/v1/maintenances', { title: 't', services: ['api'], startsAt: 'tomorrow', endsAt: 2 }, 400, 'body.startsAt'],
    ['POST', '/api/v1/maintenances', { title: 't', services: ['api'], startsAt: 10, endsAt: 5 }, 400, 'endsAt'],
    ['POST', '/api/v1/maintenances', { title: 't', services: ['api'], startsAt: 0, endsAt: 30 * 86_400_000 }, 400, 'endsAt'],
    ['POST', '/api/v1/maintenances', { title: 't', services: ['nope'], startsAt: 1, endsAt: 2 }, 400, 'services'],
    ['PATCH', '/api/v1/maintenances/nope', { title: 't' }, 404, undefined],
    ['DELETE', '/api/v1/maintenances/nope', undefined, 404, undefined],
    ['POST', '/api/v1/subscribers', { kind: 'webhook', url: 'ftp://x' }, 400, undefined],
    ['POST', '/api/v1/subscribers', { kind: 'webhook', url: 'https://x.example', scope: 'nope' }, 404, 'body.scope'],
    ['POST', '/api/v1/subscribers', { kind: 'pigeon' }, 400, undefined],
  ] as const)('%s %s with bad input → %s', async (method, url, payload, status, field) => {
    const res = await inject(method, url, payload);
    expectError(res, status, undefined, field);
  });

  it.each([
    ['GET', '/api/v1/maintenances?status=soon', 400],
    ['GET', '/api/v1/maintenances?limit=0', 400],
    ['GET', '/api/v1/status-pages/nope', 404],
    ['GET', '/status/nope/history.atom', 404],
    ['GET', '/api/v1/subscriptions/x/confirm?token=t&expires=99999999999999', 400],
    ['GET', '/api/v1/subscriptions/x/confirm', 400],
    ['GET', '/api/v1/subscriptions/x/unsubscribe?token=forged', 400],
    ['POST', '/api/v1/subscriptions', 400],
    ['POST', '/api/v1/session', 400],
  ] as const)('public %s %s with bad input → %i', async (method, url, status) => {
    expectError(await inject(method, url, method === 'POST' ? { nope: 1 } : undefined, {}), status);
  });

  it('answers an unparsable body with 400 JSON, never 5xx', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: { ...auth, 'content-type': 'application/json' }, payload: '{"title":' });
    expectError(res, 400);
    const big = await h.app.inject({ method: 'POST', url: '/api/v1/maintenances', headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify({ title: 'x'.repeat(100_000) }) });
    expectError(big, 413);
  });
});
