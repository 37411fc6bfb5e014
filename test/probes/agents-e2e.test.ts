import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ProbeAgent } from '../../src/probes/agent.js';
import { Spool } from '../../src/probes/spool.js';
import type { MatrixRow } from '../../src/probes/service.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { startTargets, type Targets } from './targets.js';

const ADMIN = 'e2e-admin-token-0123456789';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function api<T>(server: { url: string }, method: string, url: string, body?: unknown, token = ADMIN): Promise<T> {
  const res = await fetch(`${server.url}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

function config(dbFile: string, port = 0, extra: Record<string, unknown> = {}) {
  return loadConfig({
    env: {},
    overrides: { 'server.port': port, 'server.host': '127.0.0.1', 'server.logLevel': 'silent', 'database.url': `sqlite:${dbFile}`, adminToken: ADMIN, ...extra },
  });
}

describe('agents in several locations against real loopback targets', () => {
  let targets: Targets;
  let server: RunningServer;
  const agents: ProbeAgent[] = [];
  beforeAll(async () => {
    targets = await startTargets({ slowMs: 700 });
  });
  afterAll(async () => {
    for (const a of agents) await a.stop();
    await server?.close();
    await targets.close();
  });

  it('the matrix shows up, refused, slow, bad certificate and NXDOMAIN from every location', async () => {
    const dir = tmpDir('sw-e2e-');
    server = await startServer(
      config(path.join(dir, 'db.sqlite'), 0, {
        probes: { localAgent: true, location: 'local', concurrency: 8 },
        checks: [{ name: 'up', type: 'http', target: targets.up, interval: '1s', conditions: ['status == 200', 'body contains "up"'] }],
      }),
    );
    const base = { interval: '1s', timeout: '3s' };
    const made = {
      refused: await api<{ id: string }>(server, 'POST', '/api/v1/checks', { ...base, name: 'refused', service: 'shop', type: 'http', target: targets.refused }),
      slow: await api<{ id: string }>(server, 'POST', '/api/v1/checks', { ...base, name: 'slow', type: 'http', target: targets.slow, conditions: ['status == 200', 'response_time < 300ms'] }),
      badCert: await api<{ id: string }>(server, 'POST', '/api/v1/checks', { ...base, name: 'bad-cert', type: 'http', target: targets.badTls }),
      nxdomain: await api<{ id: string }>(server, 'POST', '/api/v1/checks', {
        ...base, name: 'nxdomain', type: 'dns', target: 'gone.stormwatch.test', dns: { recordType: 'A', resolver: targets.dnsResolver },
      }),
    };
    const checks = (await api<{ checks: { id: string; name: string }[] }>(server, 'GET', '/api/v1/checks')).checks;
    const upId = checks.find((c) => c.name === 'up')!.id;
    expect(upId).toBe('cfg-up');

    for (const location of ['Frankfurt, DE', 'Tokyo, JP']) {
      const { token } = await api<{ token: string }>(server, 'POST', '/api/v1/agents', { name: location });
      const agent = new ProbeAgent({ server: server.url, token, location, spoolDir: tmpDir('sw-spool-'), concurrency: 8, flushMs: 200 });
      agents.push(agent);
      await agent.start();
    }

    const expected: Record<string, string> = { [upId]: 'ok', [made.refused.id]: 'connection_refused', [made.slow.id]: 'slow', [made.badCert.id]: 'tls', [made.nxdomain.id]: 'dns' };
    const locations = ['Frankfurt, DE', 'Tokyo, JP', 'local'];
    let matrices: Record<string, MatrixRow[]> = {};
    for (let attempt = 0; attempt < 40; attempt++) {
      await sleep(250);
      matrices = {};
      for (const id of Object.keys(expected)) matrices[id] = (await api<{ rows: MatrixRow[] }>(server, 'GET', `/api/v1/checks/${id}/matrix`)).rows;
      if (Object.values(matrices).every((rows) => rows.length === 3 && rows.every((r) => r.last))) break;
    }
    for (const [id, errorClass] of Object.entries(expected)) {
      const rows = matrices[id];
      expect(rows.map((r) => r.location), id).toEqual(locations);
      for (const row of rows) expect(row.last, `${id} from ${row.location}`).toMatchObject({ errorClass, ok: errorClass === 'ok' });
    }
    const nx = matrices[made.nxdomain.id][0].last!;
    expect(nx.detail).toContain('NXDOMAIN');
    // The read API the incident correlator uses.
    const failing = await server.store.probes.failuresSince('shop', 0);
    expect(failing.map((f) => [f.location, f.errorClass])).toEqual(locations.map((l) => [l, 'connection_refused']));
  });
});

describe('no result is lost when the server restarts mid-run', () => {
  it('spools while the server is down and resends after it is back', async () => {
    const targets = await startTargets();
    const dir = tmpDir('sw-restart-');
    const dbFile = path.join(dir, 'db.sqlite');
    let server = await startServer(config(dbFile, 0, { probes: { localAgent: false } }));
    const port = Number(new URL(server.url).port);
    await api(server, 'POST', '/api/v1/checks', { name: 'up', type: 'http', target: targets.up, interval: '100ms', timeout: '2s' });
    await api(server, 'POST', '/api/v1/checks', { name: 'down', type: 'tcp', target: new URL(targets.refused).host, interval: '100ms', timeout: '2s' });
    const { token } = await api<{ token: string }>(server, 'POST', '/api/v1/agents', { name: 'a', location: 'Paris, FR' });
    const spoolDir = tmpDir('sw-spool-');
    const agent = new ProbeAgent({ server: server.url, token, location: 'Paris, FR', spoolDir, concurrency: 4, flushMs: 100 });
    await agent.start();
    await sleep(800);

    await server.close();
    await sleep(1200);
    expect(agent.getStats().spooled).toBeGreaterThan(0);
    expect(fs.readdirSync(spoolDir).some((f) => f.endsWith('.ndjson'))).toBe(true);

    server = await startServer(config(dbFile, port, { probes: { localAgent: false } }));
    await sleep(800);
    await agent.stop();
    const stats = agent.getStats();
    const stored = await server.store.probes.countResults();
    await server.close();
    await targets.close();
    expect(stats.produced).toBeGreaterThan(20);
    expect(stored).toBe(stats.produced);
    expect(fs.readdirSync(spoolDir).filter((f) => f.endsWith('.ndjson'))).toEqual([]);
  });
});

describe('no result is lost when the agent restarts while the server is away', () => {
  it('a new agent process resends what the old one spooled', async () => {
    const targets = await startTargets();
    const dir = tmpDir('sw-agent-restart-');
    const dbFile = path.join(dir, 'db.sqlite');
    let server = await startServer(config(dbFile, 0, { probes: { localAgent: false } }));
    const port = Number(new URL(server.url).port);
    await api(server, 'POST', '/api/v1/checks', { name: 'up', type: 'http', target: targets.up, interval: '100ms', timeout: '2s' });
    const { token } = await api<{ token: string }>(server, 'POST', '/api/v1/agents', { name: 'a' });
    const spoolDir = tmpDir('sw-spool-');
    const options = { server: server.url, token, location: 'Oslo, NO', spoolDir, concurrency: 2, flushMs: 100 };
    const first = new ProbeAgent(options);
    await first.start();
    await sleep(300);
    await server.close();
    await sleep(700);
    await first.stop();
    const produced1 = first.getStats().produced;

    // Restarted while the server is still down: it runs from the saved assignments.
    const second = new ProbeAgent(options);
    await second.start();
    await sleep(500);
    expect(second.getStats().checks).toBe(1);
    server = await startServer(config(dbFile, port, { probes: { localAgent: false } }));
    await sleep(700);
    await second.stop();
    const stored = await server.store.probes.countResults();
    await server.close();
    await targets.close();
    expect(produced1).toBeGreaterThan(3);
    expect(stored).toBe(produced1 + second.getStats().produced);
  });
});

describe('a server that accepts connections but never answers', () => {
  it('keeps every result on disk, not in memory', async () => {
    const targets = await startTargets();
    const dir = tmpDir('sw-blackhole-');
    const dbFile = path.join(dir, 'db.sqlite');
    const server = await startServer(config(dbFile, 0, { probes: { localAgent: false } }));
    await api(server, 'POST', '/api/v1/checks', { name: 'up', type: 'http', target: targets.up, interval: '100ms', timeout: '2s' });
    const { token } = await api<{ token: string }>(server, 'POST', '/api/v1/agents', { name: 'a' });
    const spoolDir = tmpDir('sw-spool-');
    // Assignments from the real server, then the agent is pointed at a black hole.
    const seed = new ProbeAgent({ server: server.url, token, location: 'Lima, PE', spoolDir, flushMs: 100 });
    await seed.start();
    await seed.stop();
    const seeded = seed.getStats().produced;
    await server.close();

    const sockets = new Set<net.Socket>();
    const hole = net.createServer((s) => sockets.add(s));
    await new Promise<void>((r) => hole.listen(0, '127.0.0.1', () => r()));
    const port = (hole.address() as net.AddressInfo).port;
    const agent = new ProbeAgent({ server: `http://127.0.0.1:${port}`, token, location: 'Lima, PE', spoolDir, flushMs: 100, requestTimeoutMs: 300 });
    await agent.start();
    await sleep(1500);
    const onDiskWhileRunning = await new Spool(spoolDir).pendingCount();
    await agent.stop();
    const produced = agent.getStats().produced;
    for (const s of sockets) s.destroy();
    hole.close();
    await targets.close();
    expect(agent.getStats().acknowledged).toBe(0);
    expect(produced).toBeGreaterThan(5);
    expect(onDiskWhileRunning).toBeGreaterThan(0);
    expect(await new Spool(spoolDir).pendingCount()).toBe(produced + seeded - seed.getStats().acknowledged);
  });
});
