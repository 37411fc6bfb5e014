import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { importScenario } from '../../src/simulate/import-reports.js';
import { quietWeek } from '../../src/simulate/quiet-week.js';
import type { Scenario } from '../../src/simulate/scenario.js';
import type { Store } from '../../src/store/store.js';
import { testDbs } from '../pg.js';
import { ADMIN, liveServer, type LiveServer } from '../scenarios/live-server.js';
import { hasIpv6Loopback, report, send } from './loopback-client.js';

/**
 * Issue 15's attacks on crowd reports, against the real pipeline (HTTP on loopback, ingest,
 * rollups, the incident runner and detector) after a week of ordinary traffic, with a manual
 * wall clock. Each attack is shown to fail, and a control shows that the same volume from a
 * crowd of networks does open an incident, so the detector was not simply asleep.
 */
const MIN = 60_000;
const BASELINE_SCALE = 0.1;
const admin = { authorization: `Bearer ${ADMIN}` };
const asService = (slug: string): Scenario => ({ ...quietWeek, service: { ...quietWeek.service, slug } });

let ipv6 = false;
beforeAll(async () => {
  ipv6 = await hasIpv6Loopback();
});

for (const tdb of testDbs) {
  describe(`abuse of crowd reports (${tdb.name})`, () => {
    let store: Store;
    let server: LiveServer;
    beforeEach(async () => {
      store = await tdb.open();
      server = await liveServer(store, quietWeek.to, { host: ipv6 ? '::' : '127.0.0.1' });
      for (const slug of ['quiet', 'control']) await importScenario(asService(slug), { target: server.url, token: ADMIN, scale: BASELINE_SCALE, seed: 3 });
      await server.settle(quietWeek.to);
    });
    afterEach(async () => {
      await server.close();
      await tdb.cleanup(store);
    });

    const get = async <T>(path: string): Promise<T> => (await (await fetch(`${server.url}${path}`, { headers: admin })).json()) as T;
    const incidents = (slug: string) => get<{ incidents: { severity: string }[] }>(`/api/v1/services/${slug}/incidents`).then((b) => b.incidents);
    const alarmedMinutes = async (slug: string, from: number, to: number) =>
      (await get<{ points: { alarm: boolean }[] }>(`/api/v1/services/${slug}/baseline?from=${from}&to=${to}&step=1m`)).points.filter((p) => p.alarm).length;

    /** Runs `minutes` minutes of traffic from now on, ten rounds a minute, then lets the runner finish them. */
    async function play(minutes: number, round: (minute: number, round: number) => Promise<void>): Promise<{ from: number; to: number }> {
      const from = Math.ceil(server.clock.now() / MIN) * MIN + MIN;
      for (let m = 0; m < minutes; m++) {
        for (let r = 0; r < 10; r++) {
          server.clock.set(from + m * MIN + r * 6_000);
          await round(m, r);
        }
      }
      const to = from + minutes * MIN;
      await server.settle(to + 5 * MIN);
      return { from, to };
    }

    it('anonymous batches cannot inject reports: each line costs a token and reporter needs the admin token', async () => {
      const lines = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ service: 'quiet', problem: 'app', reporter: `${prefix}-${i}` })).join('\n');
      const ndjson = { 'content-type': 'application/x-ndjson' };
      const statuses: number[] = [];
      await play(3, async (m, r) => {
        if (r !== 0) return;
        const res = await send({ from: '127.0.0.2', port: server.port, method: 'POST', path: '/api/v1/reports:batch', headers: ndjson, body: lines(`m${m}`, 2_000) });
        statuses.push(res.status);
        expect(res.json()).toMatchObject({ error: 'body_too_large' });
      });
      expect(statuses).toEqual([413, 413, 413]);
      // Within the burst, reporter lines are refused and the rest are one reporter: one report.
      const small = await send({ from: '127.0.0.2', port: server.port, method: 'POST', path: '/api/v1/reports:batch', headers: ndjson, body: `${lines('s', 5)}\n${'{"service":"quiet","problem":"app"}\n'.repeat(5)}` });
      expect(small.json()).toMatchObject({ accepted: 1, rejected: 9 });
      expect((await send({ from: '127.0.0.2', port: server.port, method: 'POST', path: '/api/v1/reports:batch', headers: ndjson, body: lines('t', 1).replace(/,"reporter":"[^"]*"/, '') })).status).toBe(429);
      await server.settle(server.clock.now() + 10 * MIN);
      expect(await incidents('quiet')).toEqual([]);

      // Control: the same 6,000 lines as the admin's import do open an incident on the twin service.
      const control = server.clock.now() + MIN;
      for (let m = 0; m < 3; m++) {
        server.clock.set(control + m * MIN);
        const res = await send({ from: '127.0.0.2', port: server.port, method: 'POST', path: '/api/v1/reports:batch', headers: { ...ndjson, ...admin }, body: lines(`m${m}`, 2_000).replaceAll('"quiet"', '"control"') });
        expect(res.json()).toMatchObject({ accepted: 2_000 });
      }
      await server.settle(control + 10 * MIN);
      expect((await incidents('control')).map((i) => i.severity)).toEqual(['major_outage']);
    });

    it('three addresses rotating user agents (one of them ::1 where there is IPv6) open no incident; the operator sees suspected spam', async () => {
      const attackers = ['127.1.0.1', '127.2.0.1', ipv6 ? '::1' : '127.3.0.1'];
      let ua = 0;
      const statuses = new Map<number, number>();
      const { from, to } = await play(4, async () => {
        for (const a of attackers) {
          for (let k = 0; k < 3; k++) {
            const res = await report(server.port, a, 'quiet', `Mozilla/5.0 (attack ${ua++})`);
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          }
        }
      });
      expect(ua).toBe(360);
      // The limits let part through (the burst and the sustained rate): enough to alarm the detector.
      expect(statuses.get(202)).toBeGreaterThan(100);
      expect(statuses.get(429)).toBeGreaterThan(100);
      expect(await alarmedMinutes('quiet', from, to)).toBeGreaterThan(0);
      expect(await incidents('quiet')).toEqual([]);
      expect((await get<{ status: string }>('/api/v1/services/quiet/status')).status).toBe('operational');
      const { suspicions } = await get<{ suspicions: { start: number; sources: number; reports: number }[] }>('/api/v1/suspected-spam?service=quiet');
      expect(suspicions.length).toBeGreaterThan(0);
      expect(suspicions.every((s) => s.start >= from && s.start < to)).toBe(true);

      // Control: as many reports a minute from a crowd of networks open an incident.
      const crowd = await play(4, async (m, r) => {
        for (let k = 0; k < 5; k++) expect((await report(server.port, `127.${10 + m}.${r * 5 + k}.1`, 'control', 'Mozilla/5.0')).status).toBe(202);
      });
      expect(crowd.to).toBeGreaterThan(crowd.from);
      expect(await incidents('control')).toHaveLength(1);
    });

    it('one /24 rotating addresses and user agents opens no incident', async () => {
      let n = 0;
      const statuses: number[] = [];
      const { from, to } = await play(4, async () => {
        for (let k = 0; k < 9; k++) {
          statuses.push((await report(server.port, `127.20.0.${1 + (n % 250)}`, 'quiet', `agent-${n}`)).status);
          n++;
        }
      });
      // Every address is fresh, so only the network limits hold it: 20 at once, then 10 a minute.
      expect(statuses.filter((s) => s === 202).length).toBeLessThanOrEqual(20 + 4 * 10 + 1);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(250);
      expect(await incidents('quiet')).toEqual([]);
      const { suspicions } = await get<{ suspicions: { start: number }[] }>('/api/v1/suspected-spam?service=quiet');
      expect(suspicions.every((s) => s.start >= from && s.start < to)).toBe(true);
    });
  });
}

describe('behind a proxy (trustProxy: the proxy address)', () => {
  const tdb = testDbs[0];
  let store: Store;
  let server: LiveServer;
  beforeEach(async () => {
    store = await tdb.open();
    server = await liveServer(store, Date.parse('2025-03-10T12:00:00Z'), { trustProxy: { addresses: ['127.0.0.9'] } });
    await fetch(`${server.url}/api/v1/services`, { method: 'POST', headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify({ slug: 'x', name: 'X', url: 'https://x.example' }) });
  });
  afterEach(async () => {
    await server.close();
    await tdb.cleanup(store);
  });

  it("a client's own X-Forwarded-For is ignored: it neither picks its region nor escapes its limit", async () => {
    const first = await report(server.port, '127.0.0.20', 'x', 'ua-0', { 'x-forwarded-for': '81.2.69.142' });
    expect(first.json()).toEqual({ accepted: true, region: 'unknown' });
    const statuses: number[] = [];
    for (let i = 1; i <= 10; i++) statuses.push((await report(server.port, '127.0.0.20', 'x', `ua-${i}`, { 'x-forwarded-for': `11.${i}.0.1` })).status);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 202, 202, 202, 202, 429]);
  });

  it("the listed proxy's view is believed: the address it appended, not a forged one to its left", async () => {
    const first = await report(server.port, '127.0.0.9', 'x', 'ua-0', { 'x-forwarded-for': '8.8.8.8, 81.2.69.150' });
    expect(first.json()).toEqual({ accepted: true, region: 'GB' });
    const forged: number[] = [];
    for (let i = 1; i <= 11; i++) forged.push((await report(server.port, '127.0.0.9', 'x', `ua-${i}`, { 'x-forwarded-for': `11.${i}.0.1, 81.2.69.142` })).status);
    expect(forged.slice(0, 10).every((s) => s === 202)).toBe(true);
    expect(forged[10]).toBe(429);
    // Clients on other networks behind the same proxy each have their own limits.
    for (let i = 1; i <= 30; i++) expect((await report(server.port, '127.0.0.9', 'x', 'ua', { 'x-forwarded-for': `11.${i}.${i}.1` })).status).toBe(202);
  });
});

describe('every limit refuses on its own and is counted in the metrics', () => {
  const tdb = testDbs[0];
  let store: Store;
  let server: LiveServer;
  beforeEach(async () => {
    store = await tdb.open();
    server = await liveServer(store, Date.parse('2025-03-10T12:00:00Z'));
    for (const slug of ['a', 'b', 'c']) {
      await fetch(`${server.url}/api/v1/services`, { method: 'POST', headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify({ slug, name: slug, url: `https://${slug}.example` }) });
    }
  });
  afterEach(async () => {
    await server.close();
    await tdb.cleanup(store);
  });

  /** Sends reports until the first refusal; the number accepted before it, and the refusal. */
  async function untilRefused(next: (i: number) => Promise<Awaited<ReturnType<typeof report>>>): Promise<{ accepted: number; message: string }> {
    for (let i = 0; i < 100; i++) {
      const res = await next(i);
      if (res.status === 429) return { accepted: i, message: res.json<{ message: string }>().message };
      expect(res.status).toBe(202);
    }
    throw new Error('never refused');
  }

  it('address (burst 10), network and service (burst 20), network (burst 40)', async () => {
    // One address rotating user agents: its own bucket runs dry first.
    expect(await untilRefused((i) => report(server.port, '127.30.0.1', 'a', `ua-${i}`))).toMatchObject({ accepted: 10, message: expect.stringMatching(/address/) });
    // A new address each time, one /24, one service: the network's share of the service.
    expect(await untilRefused((i) => report(server.port, `127.31.0.${i + 1}`, 'a', 'ua'))).toMatchObject({ accepted: 20, message: expect.stringMatching(/service/) });
    // A new address each time, one /24, three services: the network's own bucket.
    expect(await untilRefused((i) => report(server.port, `127.32.0.${i + 1}`, 'abc'[i % 3], 'ua'))).toMatchObject({ accepted: 40, message: expect.stringMatching(/network/) });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    for (const limit of ['address', 'service', 'prefix']) expect(metrics).toMatch(new RegExp(`^stormwatch_reports_limited_total\\{limit="${limit}"\\} 1$`, 'm'));
  });
});
