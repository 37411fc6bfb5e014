import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { defaultRegistry } from '../../src/probes/default-registry.js';
import type { InstantView } from '../../src/probes/instant/instant-check.js';
import { FORBIDDEN_DETAIL, runInstant } from '../../src/probes/instant/run-instant.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { systemClock } from '../../src/time/clock.js';
import { spawnAgent, type AgentProcess } from './agent-process.js';
import { startTargets, type Targets } from './targets.js';

const ADMIN = 'instant-admin-token-0123456789';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const LOCATIONS = ['Frankfurt, DE', 'local', 'Tokyo, JP'];

function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

async function call(server: { url: string }, method: string, url: string, body?: unknown, token = ADMIN): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${server.url}${url}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown>, headers: res.headers };
}

async function complete(server: { url: string }, id: string): Promise<InstantView> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const view = (await call(server, 'GET', `/api/v1/instant-checks/${id}`)).body as unknown as InstantView;
    if (view.complete || Date.now() > deadline) return view;
    await sleep(100);
  }
}

describe('instant checks from the built-in agent and two `stormwatch agent` processes', () => {
  let targets: Targets;
  let server: RunningServer;
  const agents: AgentProcess[] = [];

  beforeAll(async () => {
    targets = await startTargets({ slowMs: 800 });
    const dir = tmpDir('sw-instant-');
    server = await startServer(
      loadConfig({
        env: {},
        overrides: {
          'server.port': 0, 'server.host': '127.0.0.1', 'server.logLevel': 'silent', 'database.url': `sqlite:${path.join(dir, 'db.sqlite')}`, adminToken: ADMIN,
          probes: { localAgent: true, location: 'local' },
          // Loopback targets need the operator's word; names resolve through the test's DNS server.
          instantChecks: { allowPrivateTargets: true, resolver: targets.dnsResolver, timeout: '3s' },
        },
      }),
    );
    for (const location of ['Frankfurt, DE', 'Tokyo, JP']) {
      const { body } = await call(server, 'POST', '/api/v1/agents', { name: location, location });
      agents.push(spawnAgent(['--server', server.url, '--token', body.token as string, '--spool', path.join(dir, `spool-${location.slice(0, 5)}`)]));
    }
    // Both agents have called in (they count as connected locations).
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const { body } = await call(server, 'GET', '/api/v1/agents');
      if ((body.agents as { lastSeenAt?: number }[]).every((a) => a.lastSeenAt !== undefined)) break;
      await sleep(200);
    }
  }, 90_000);

  afterAll(async () => {
    for (const a of agents) await a.stop();
    await server?.close();
    await targets?.close();
  });

  it('up, refused, slow and NXDOMAIN targets: one correct row per location', async () => {
    const refusedPort = new URL(targets.refused).port;
    const cases = {
      up: { type: 'http', target: targets.up },
      refused: { type: 'tcp', target: `127.0.0.1:${refusedPort}` },
      slow: { type: 'http', target: targets.slow },
      nxdomain: { type: 'http', target: 'http://gone.stormwatch.test/' },
      dns: { type: 'dns', target: 'up.stormwatch.test' },
      dnsNx: { type: 'dns', target: 'gone.stormwatch.test' },
    };
    const ids: Record<string, string> = {};
    for (const [name, body] of Object.entries(cases)) {
      const created = await call(server, 'POST', '/api/v1/instant-checks', body);
      expect(created.status, name).toBe(202);
      expect((created.body.rows as { location: string; state: string }[]).map((r) => [r.location, r.state])).toEqual(LOCATIONS.map((l) => [l, 'pending']));
      ids[name] = created.body.id as string;
    }
    const views: Record<string, InstantView> = {};
    for (const [name, id] of Object.entries(ids)) views[name] = await complete(server, id);
    for (const view of Object.values(views)) {
      expect(view.complete).toBe(true);
      expect(view.rows.map((r) => r.location)).toEqual(LOCATIONS);
    }
    for (const row of views.up.rows) expect(row).toMatchObject({ state: 'ok', ok: true, errorClass: 'ok', httpStatus: 200, address: '127.0.0.1' });
    for (const row of views.refused.rows) expect(row).toMatchObject({ state: 'failed', ok: false, errorClass: 'connection_refused', address: '127.0.0.1' });
    for (const row of views.slow.rows) {
      expect(row).toMatchObject({ state: 'ok', errorClass: 'ok', httpStatus: 200 });
      expect(row.latencyMs).toBeGreaterThanOrEqual(780);
    }
    for (const row of views.nxdomain.rows) {
      expect(row).toMatchObject({ state: 'failed', errorClass: 'dns' });
      expect(row.detail).toContain('NXDOMAIN');
      expect(row.address).toBeUndefined();
    }
    for (const row of views.dns.rows) expect(row).toMatchObject({ state: 'ok', dnsRcode: 'NOERROR', dnsAnswers: ['127.0.0.1'] });
    for (const row of views.dnsNx.rows) expect(row).toMatchObject({ state: 'failed', errorClass: 'dns', dnsRcode: 'NXDOMAIN' });
    // The up target answers with a body; no row carries it.
    expect(JSON.stringify(views.up)).not.toContain('"status":"up"');
  });

  it('anonymous callers get 403 (not public), and an agent answers for its own location only', async () => {
    const anonymous = await call(server, 'POST', '/api/v1/instant-checks', { type: 'http', target: targets.up }, '');
    expect(anonymous.status).toBe(403);
    expect(anonymous.body).toMatchObject({ error: 'forbidden' });

    const { body } = await call(server, 'POST', '/api/v1/agents', { name: 'Paris', location: 'Paris, FR' });
    const token = body.token as string;
    const created = await call(server, 'POST', '/api/v1/instant-checks', { type: 'tcp', target: `127.0.0.1:${new URL(targets.refused).port}` });
    const answer = { id: created.body.id, ok: true, errorClass: 'ok', latencyMs: 1, detail: 'ok', at: Date.now() };
    const foreign = await call(server, 'POST', '/api/v1/agent/instant-answers', { location: 'Tokyo, JP', answers: [answer] }, token);
    expect(foreign.status).toBe(403);
    expect(foreign.body).toMatchObject({ error: 'forbidden_location' });
    const own = await call(server, 'POST', '/api/v1/agent/instant-answers', { answers: [answer] }, token);
    expect(own.body).toEqual({ accepted: 1, duplicates: 0, ignored: 0 });
    const again = await call(server, 'POST', '/api/v1/agent/instant-answers', { answers: [answer] }, token);
    expect(again.body).toEqual({ accepted: 0, duplicates: 1, ignored: 0 });
  });

  it('an agent waiting for work gets a new instant check as soon as it is made', async () => {
    const { body } = await call(server, 'POST', '/api/v1/agents', { name: 'Oslo', location: 'Oslo, NO' });
    const token = body.token as string;
    // Nothing open for this new location yet except what the test made before: answer those first.
    const first = await call(server, 'GET', '/api/v1/agent/instant-checks?wait=0', undefined, token);
    const skip = (first.body.checks as { id: string }[]).map((c) => c.id).join(',');
    const started = Date.now();
    const waiting = call(server, 'GET', `/api/v1/agent/instant-checks?wait=10${skip ? `&skip=${skip}` : ''}`, undefined, token);
    await sleep(300);
    const created = await call(server, 'POST', '/api/v1/instant-checks', { type: 'http', target: targets.up });
    const got = await waiting;
    expect((got.body.checks as { id: string }[]).map((c) => c.id)).toEqual([created.body.id]);
    // Woken by the check, not by the end of its 10 s wait (the 1 s figure is the benchmark's).
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('instant checks refuse private targets and limit anonymous callers', () => {
  let targets: Targets;
  let server: RunningServer;
  beforeAll(async () => {
    targets = await startTargets();
    const dir = tmpDir('sw-instant-guard-');
    server = await startServer(
      loadConfig({
        env: {},
        overrides: {
          'server.port': 0, 'server.host': '127.0.0.1', 'server.logLevel': 'silent', 'database.url': `sqlite:${path.join(dir, 'db.sqlite')}`, adminToken: ADMIN,
          probes: { localAgent: false },
          instantChecks: { public: true, resolver: targets.dnsResolver, rateBurst: 3, ratePerMinute: 1, networkRateBurst: 5, networkRatePerMinute: 1 },
        },
      }),
    );
  });
  afterAll(async () => {
    await server?.close();
    await targets?.close();
  });

  it('refuses 10.0.0.1, 169.254.169.254, loopback and names resolving to loopback with a 400', async () => {
    const port = new URL(targets.up).port;
    for (const body of [
      { type: 'tcp', target: '10.0.0.1:80' },
      { type: 'http', target: 'http://169.254.169.254/latest/meta-data/' },
      { type: 'icmp', target: '127.0.0.1' },
      { type: 'http', target: 'http://[::1]:8080/' },
      { type: 'http', target: 'http://[::ffff:10.0.0.1]/' },
      { type: 'http', target: 'http://2130706433/' },
      { type: 'http', target: `http://up.stormwatch.test:${port}/health` },
      { type: 'dns', target: 'up.stormwatch.test' },
    ]) {
      const res = await call(server, 'POST', '/api/v1/instant-checks', body);
      expect(res.status, body.target).toBe(400);
      expect(res.body).toMatchObject({ error: 'private_target', field: 'target' });
    }
    const bad = await call(server, 'POST', '/api/v1/instant-checks', { type: 'tcp', target: 'no-port' });
    expect(bad.body).toMatchObject({ error: 'invalid_target', field: 'target' });
  });

  it('the location vets the address it connects to as well (a name that changed its answer connects nowhere)', async () => {
    let hits = 0;
    const target = http.createServer((_req, res) => {
      hits++;
      res.end('ok');
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const port = (target.address() as net.AddressInfo).port;
    const answer = await runInstant(
      { id: 'x', type: 'http', target: `http://up.stormwatch.test:${port}/`, timeoutMs: 2000, expiresAt: Date.now() + 10_000, allowPrivateTargets: false, resolver: targets.dnsResolver },
      'here', defaultRegistry(), systemClock,
    );
    target.close();
    expect(answer).toMatchObject({ ok: false, errorClass: 'error', address: '127.0.0.1', detail: FORBIDDEN_DETAIL });
    expect(hits).toBe(0);
  });

  it('anonymous callers may when public, within the per-address and per-network limits (then 429 with Retry-After)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(server, 'POST', '/api/v1/instant-checks', { type: 'http', target: 'http://gone.stormwatch.test/' }, '')).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
    const limited = await call(server, 'POST', '/api/v1/instant-checks', { type: 'http', target: 'http://gone.stormwatch.test/' }, '');
    expect(limited.body).toMatchObject({ error: 'rate_limited' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // The admin is not limited.
    expect((await call(server, 'POST', '/api/v1/instant-checks', { type: 'http', target: 'http://gone.stormwatch.test/' })).status).toBe(202);

    // Other addresses of the same network (127.0.0.0/24) share its bucket: 3 taken above, 5 in all.
    const from = (localAddress: string): Promise<{ status: number; body: string }> =>
      new Promise((resolve, reject) => {
        const body = JSON.stringify({ type: 'http', target: 'http://gone.stormwatch.test/' });
        const req = http.request(`${server.url}/api/v1/instant-checks`, { method: 'POST', localAddress, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (d: string) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        });
        req.on('error', reject);
        req.end(body);
      });
    expect((await from('127.0.0.2')).status).toBe(202);
    expect((await from('127.0.0.3')).status).toBe(202);
    const network = await from('127.0.0.4');
    expect(network.status).toBe(429);
    expect(JSON.parse(network.body)).toMatchObject({ error: 'rate_limited', message: expect.stringContaining('network') });
  });
});
