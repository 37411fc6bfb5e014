import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { startHttpSink } from '../alerts/sinks.js';
import { spawnAgent, type AgentProcess } from '../probes/agent-process.js';
import { closedPort } from '../probes/targets.js';
import { launchBrowser, screenshot, watchErrors } from '../web/browser.js';
import { ensureWebBuilt } from '../web/build-web.js';

/**
 * "Is it down?" from the probes, end to end: the real server with its built-in agent and two
 * real `stormwatch agent` processes, real targets on loopback. A port that closes turns its
 * service to a major outage within `failuresBefore` runs on every surface (API, Statuspage v2,
 * SSE, the webhook, the pages), with the reason, and back after it opens again; one location
 * in three failing does not (quorum); crowd reports on top of failing probes make one
 * confirmed incident.
 */
const ADMIN = 'status-e2e-admin-token-0123456789';
const INTERVAL_MS = 1000;
const FAILURES_BEFORE = 3;

interface StatusBody {
  status: string;
  reasons: { source: string; text: string; effective: boolean }[];
}

async function get<T>(server: RunningServer, url: string): Promise<T> {
  const res = await fetch(`${server.url}${url}`, { headers: { authorization: `Bearer ${ADMIN}` } });
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)?.slice(0, 3000)}`);
}

/** A TCP port that can be closed and opened again. */
async function switchablePort(): Promise<{ port: number; close(): Promise<void>; open(): Promise<void> }> {
  let server: net.Server | undefined;
  const sockets = new Set<net.Socket>();
  const open = async (port = 0): Promise<number> => {
    server = net.createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.end();
    });
    await new Promise<void>((r) => server!.listen(port, '127.0.0.1', () => r()));
    return (server.address() as net.AddressInfo).port;
  };
  const port = await open();
  return {
    port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server!.close(r));
    },
    open: async () => {
      await open(port);
    },
  };
}

/** Collects the live stream's `status.changed` events. */
function listen(url: string): { events: { status: string; service: string; reasons: string[] }[]; close(): void } {
  const events: { status: string; service: string; reasons: string[] }[] = [];
  const req = http.get(`${url}/api/v1/events`, (res) => {
    let buf = '';
    res.setEncoding('utf8').on('data', (chunk: string) => {
      buf += chunk;
      for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event === 'status.changed' && data) events.push(JSON.parse(data) as { status: string; service: string; reasons: string[] });
      }
    });
  });
  req.on('error', () => undefined);
  return { events, close: () => req.destroy() };
}

describe('probe-driven status on every surface', () => {
  let server: RunningServer;
  let xPort: Awaited<ReturnType<typeof switchablePort>>;
  let target: http.Server;
  let hook: Awaited<ReturnType<typeof startHttpSink>>;
  let browser: Browser;
  let sse: ReturnType<typeof listen>;
  const agents: AgentProcess[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-status-e2e-'));

  beforeAll(async () => {
    ensureWebBuilt();
    xPort = await switchablePort();
    // Answers every probe but Tokyo's with 200: one location of three failing.
    target = http.createServer((req, res) => {
      res.statusCode = req.headers['x-stormwatch-location'] === 'Tokyo, JP' ? 503 : 200;
      res.end('ok');
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', () => r()));
    const targetPort = (target.address() as net.AddressInfo).port;
    const refused = await closedPort();
    hook = await startHttpSink();
    const base = { interval: '1s', timeout: '1s' };
    server = await startServer(
      loadConfig({
        env: {},
        overrides: {
          'server.port': 0, 'server.host': '127.0.0.1', 'server.logLevel': 'silent', 'database.url': `sqlite:${path.join(dir, 'db.sqlite')}`, adminToken: ADMIN,
          services: [
            { slug: 'x', name: 'X', url: 'https://x.example' },
            { slug: 'q', name: 'Q', url: 'https://q.example' },
            { slug: 'c', name: 'C', url: 'https://c.example' },
          ],
          probes: { localAgent: true, location: 'local', concurrency: 8, quorum: 2, failuresBefore: FAILURES_BEFORE, recoveriesBefore: 2 },
          checks: [
            { ...base, name: 'x-tcp', service: 'x', type: 'tcp', target: `127.0.0.1:${xPort.port}` },
            { ...base, name: 'q-http', service: 'q', type: 'http', target: `http://127.0.0.1:${targetPort}/health` },
            { ...base, name: 'c-tcp', service: 'c', type: 'tcp', target: `127.0.0.1:${refused}` },
          ],
          alerts: { publicUrl: 'https://sw.example.org', channels: [{ name: 'hook', type: 'webhook', url: `${hook.url}/alerts` }], rules: [{ service: 'x', on: ['open', 'close'], channels: ['hook'] }] },
          incidents: { settleSeconds: 0, tickSeconds: 0.2 },
        },
      }),
    );
    sse = listen(server.url);
    for (const location of ['Frankfurt, DE', 'Tokyo, JP']) {
      const res = await fetch(`${server.url}/api/v1/agents`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: location }) });
      const { token } = (await res.json()) as { token: string };
      agents.push(spawnAgent(['--server', server.url, '--token', token, '--location', location, '--spool', fs.mkdtempSync(path.join(dir, 'spool-')), '--concurrency', '4']));
    }
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    sse?.close();
    for (const a of agents) await a.stop();
    await browser?.close();
    await server?.close();
    await hook?.close();
    await xPort?.close().catch(() => undefined);
    target?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a closed port: major outage within failuresBefore runs everywhere, with its reason, and back after it opens', async () => {
    const reason = '3 of 3 locations: connection refused on x-tcp';
    // All three locations report x-tcp fine first (recoveriesBefore good runs each: settled).
    await until(
      'three locations on x-tcp',
      () => get<{ rows: { recent: { ok: boolean }[] }[] }>(server, '/api/v1/checks/cfg-x-tcp/matrix'),
      (m) => m.rows.length === 3 && m.rows.every((r) => r.recent.length >= 2 && r.recent[0].ok && r.recent[1].ok),
      30_000,
    );
    expect((await get<StatusBody>(server, '/api/v1/services/x/status')).status).toBe('operational');

    const closedAt = Date.now();
    await xPort.close();
    const down = await until('x down', () => get<StatusBody>(server, '/api/v1/services/x/status'), (s) => s.status === 'major_outage');
    const took = Date.now() - closedAt;
    // failuresBefore runs at one a second, plus the agents' one-second push and the jitter.
    expect(took).toBeLessThan(FAILURES_BEFORE * INTERVAL_MS + 2_500);
    expect(down.reasons).toEqual([expect.objectContaining({ source: 'probe', text: expect.stringMatching(/of 3 locations: connection refused on x-tcp$/) as unknown, effective: true })]);
    await until('all three down', () => get<StatusBody>(server, '/api/v1/services/x/status'), (s) => s.reasons[0]?.text === reason, 5_000);

    // The API surfaces.
    const services = await get<{ services: { slug: string; status: string; statusReasons: { text: string }[] }[] }>(server, '/api/v1/services');
    expect(services.services.find((s) => s.slug === 'x')).toMatchObject({ status: 'major_outage', statusReasons: [{ text: reason }] });
    const all = await get<{ services: { service: string; status: string; reasons: { source: string; text: string }[] }[] }>(server, '/api/v1/status');
    expect(all.services.find((s) => s.service === 'x')).toMatchObject({ status: 'major_outage', reasons: [{ source: 'probe', text: reason }] });
    expect(await get<{ status: string; statusReasons: { text: string }[] }>(server, '/api/v1/services/x')).toMatchObject({ status: 'major_outage', statusReasons: [{ text: reason }] });
    const summary = await get<{ components: { id: string; status: string }[]; incidents: { name: string; status: string; components: { id: string }[] }[]; status: { indicator: string } }>(server, '/api/v2/summary.json');
    expect(summary.components.find((c) => c.id === 'x')?.status).toBe('major_outage');
    expect(summary.status.indicator).toBe('critical');
    const probeIncident = summary.incidents.find((i) => i.components.some((c) => c.id === 'x'));
    expect(probeIncident).toMatchObject({ name: 'X: major outage seen by the probes', status: 'identified' });
    const v1 = await get<{ incidents: { id: string; kind: string; status: string; cause: string; correlation: { confidence: string } }[] }>(server, '/api/v1/incidents?service=x');
    expect(v1.incidents).toEqual([expect.objectContaining({ kind: 'probe', status: 'open', cause: reason, correlation: expect.objectContaining({ confidence: 'probe-only' }) as unknown })]);
    await until('SSE status.changed', async () => sse.events, (e) => e.some((x) => x.service === 'x' && x.status === 'major_outage'));
    expect(sse.events.find((e) => e.service === 'x' && e.status === 'major_outage')?.reasons).toEqual([reason]);
    await until('webhook open', async () => hook.requests.length, (n) => n >= 1);
    // The first location to reach failuresBefore may open it as a partial outage a moment before the others.
    const opened = JSON.parse(hook.requests[0].body) as { serviceStatus: string; statusReasons: string[] };
    expect(opened).toMatchObject({ event: 'open', service: 'x', incidentId: v1.incidents[0].id, confidence: 'probe-only' });
    expect(['partial_outage', 'major_outage']).toContain(opened.serviceStatus);
    expect(opened.statusReasons).toEqual([expect.stringMatching(/^[23] of 3 locations: connection refused on x-tcp$/)]);

    // The pages: home (kept open to see the recovery arrive live) and the status page.
    const home = await browser.newPage();
    const homeErrors = watchErrors(home);
    await home.goto(`${server.url}/`);
    const row = home.locator('li[data-slug=x]');
    await expect.poll(() => row.getAttribute('data-status')).toBe('major_outage');
    expect(await row.locator('[data-testid=status-reason]').innerText()).toBe(reason);
    const servicePage = await browser.newPage();
    const serviceErrors = watchErrors(servicePage);
    await servicePage.goto(`${server.url}/services/x`);
    await expect.poll(() => servicePage.locator('.service-head [data-testid=status-badge]').first().getAttribute('data-status'), { timeout: 10_000 }).toBe('major_outage');
    expect(await servicePage.locator('[data-testid=status-reasons]').innerText()).toContain(reason);
    await expect.poll(() => servicePage.locator('[data-testid=service-checks] li[data-check-id=cfg-x-tcp] [data-testid=status-badge]').getAttribute('data-status'), { timeout: 10_000 }).toBe('major_outage');
    const statusPage = await browser.newPage();
    await statusPage.goto(`${server.url}/status/x`);
    await expect.poll(() => statusPage.locator('[data-testid=status-banner]').getAttribute('data-status')).toBe('major_outage');
    expect(await statusPage.locator('[data-testid=status-reasons]').innerText()).toContain(reason);
    // Seconds of outage in 90 days still round to 100.00%: today's bar says it, the API counts it.
    await expect.poll(() => statusPage.locator('.uptime-day').last().getAttribute('data-worst')).toMatch(/^(partial|major)_outage$/);
    expect((await get<{ percent: number }>(server, '/api/v1/services/x/uptime?days=1')).percent).toBeLessThan(100);
    await screenshot(statusPage, 'status-probe-outage');

    // 1 of 3 locations failing the other service's check: below the quorum, still operational.
    const q = await get<StatusBody>(server, '/api/v1/services/q/status');
    expect(q).toMatchObject({ status: 'operational', reasons: [] });
    const qMatrix = await get<{ rows: { location: string; last: { ok: boolean; errorClass: string } | null }[] }>(server, '/api/v1/checks/cfg-q-http/matrix');
    expect(qMatrix.rows.map((r) => [r.location, r.last?.errorClass])).toEqual([['Frankfurt, DE', 'ok'], ['Tokyo, JP', 'http_5xx'], ['local', 'ok']]);
    expect((await get<{ incidents: unknown[] }>(server, '/api/v1/incidents?service=q')).incidents).toEqual([]);
    expect((await get<{ components: { id: string; status: string }[] }>(server, '/api/v2/summary.json')).components.find((c) => c.id === 'q')?.status).toBe('operational');
    expect((await get<{ services: { service: string; status: string }[] }>(server, '/api/v1/status')).services.find((s) => s.service === 'q')?.status).toBe('operational');
    expect(sse.events.filter((e) => e.service === 'q')).toEqual([]);
    expect(hook.requests.map((r) => (JSON.parse(r.body) as { service: string }).service)).not.toContain('q');

    // Open again: back to operational after recoveriesBefore good runs, everywhere.
    await xPort.open();
    await until('x up', () => get<StatusBody>(server, '/api/v1/services/x/status'), (s) => s.status === 'operational');
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 5_000 }).toBe('operational');
    expect((await get<{ components: { id: string; status: string }[] }>(server, '/api/v2/components.json')).components.find((c) => c.id === 'x')?.status).toBe('operational');
    const after = await get<{ components: { id: string; status: string }[]; incidents: { components: { id: string }[] }[] }>(server, '/api/v2/summary.json');
    expect(after.components.find((c) => c.id === 'x')?.status).toBe('operational');
    expect(after.incidents.filter((i) => i.components.some((c) => c.id === 'x'))).toEqual([]);
    expect((await get<{ services: { service: string; status: string; reasons: unknown[] }[] }>(server, '/api/v1/status')).services.find((s) => s.service === 'x')).toMatchObject({ status: 'operational', reasons: [] });
    await expect.poll(() => servicePage.locator('.service-head [data-testid=status-badge]').first().getAttribute('data-status'), { timeout: 5_000 }).toBe('operational');
    await statusPage.reload();
    await expect.poll(() => statusPage.locator('[data-testid=status-banner]').getAttribute('data-status'), { timeout: 5_000 }).toBe('operational');
    expect((await get<{ incidents: { status: string }[] }>(server, '/api/v1/incidents?service=x')).incidents.map((i) => i.status)).toEqual(['closed']);
    await until('SSE back', async () => sse.events, (e) => e.some((x) => x.service === 'x' && x.status === 'operational'));
    await until('webhook close', async () => hook.requests.length, (n) => n >= 2);
    expect(JSON.parse(hook.requests[1].body)).toMatchObject({ event: 'close', service: 'x', serviceStatus: 'operational' });
    expect(homeErrors).toEqual([]);
    expect(serviceErrors).toEqual([]);
    await home.close();
    await servicePage.close();
    await statusPage.close();
  }, 90_000);

  it('crowd reports while the probes fail: one incident, confirmed by the probes', async () => {
    const probeInc = await until(
      'the probe incident of c',
      () => get<{ incidents: { id: string; kind: string; status: string }[] }>(server, '/api/v1/incidents?service=c'),
      (l) => l.incidents.some((i) => i.kind === 'probe' && i.status === 'open'),
    );
    // Three quiet hours, then five minutes of a spike, backfilled with event times.
    const minute = 60_000;
    const now = Math.floor(Date.now() / minute) * minute;
    const lines: string[] = [];
    let n = 0;
    for (let t = now - 3 * 3_600_000; t < now - 5 * minute; t += minute) {
      for (let i = 0; i < 2 + (n % 3); i++) lines.push(JSON.stringify({ service: 'c', problem: 'app', ts: new Date(t + i * 1000).toISOString(), reporter: `r${n++}` }));
    }
    for (let t = now - 5 * minute; t < now; t += minute) {
      for (let i = 0; i < 300; i++) lines.push(JSON.stringify({ service: 'c', problem: 'app', ts: new Date(t + (i % 60) * 1000).toISOString(), reporter: `r${n++}` }));
    }
    const res = await fetch(`${server.url}/api/v1/reports:batch`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/x-ndjson' }, body: `${lines.join('\n')}\n` });
    expect(res.status).toBe(200);

    type Listed = { id: string; kind: string; status: string; correlation?: { confidence: string; cause: string } };
    const list = await until(
      'one confirmed crowd incident',
      () => get<{ incidents: Listed[] }>(server, '/api/v1/incidents?service=c'),
      (l) => l.incidents.length === 1 && l.incidents[0].kind === 'crowd' && l.incidents[0].correlation?.confidence === 'confirmed',
    );
    expect(list.incidents[0].correlation?.cause).toBe('confirmed outage, cause: connections refused from 3 of 3 locations on c-tcp');
    // The probe incident was folded into it: not listed, still readable, pointing at it.
    const folded = await get<{ incident: { status: string; mergedInto: string } }>(server, `/api/v1/incidents/${probeInc.incidents[0].id}`);
    expect(folded.incident).toMatchObject({ status: 'closed', mergedInto: list.incidents[0].id });
    const v2 = await get<{ incidents: { id: string; components: { id: string }[] }[] }>(server, '/api/v2/incidents.json');
    expect(v2.incidents.filter((i) => i.components.some((c) => c.id === 'c')).map((i) => i.id)).toEqual([list.incidents[0].id]);
    const status = await get<StatusBody>(server, '/api/v1/services/c/status');
    expect(status.status).toBe('major_outage');
    expect(status.reasons.map((r) => r.source).sort()).toEqual(['crowd', 'probe']);
  }, 60_000);
});
