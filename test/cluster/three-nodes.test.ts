import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xOutage } from '../../src/simulate/x-outage.js';
import { startHttpSink } from '../alerts/sinks.js';
import { expectOutageDetected } from '../scenarios/expectations.js';
import type { Incident } from '../../src/incidents/incident.js';
import { api, eventually, leases, PG_URL, query, sleep, startCluster, waitForLeases, type TestCluster } from './nodes.js';
import { replayRoundRobin } from './replay.js';
import { openSse } from './sse-client.js';
import { runCli } from '../run-cli.js';

function timeless(key: string, value: unknown): unknown {
  return key === 'updated_at' ? undefined : value;
}

/**
 * Issue 13's acceptance: three `stormwatch serve` processes on one PostgreSQL schema and the
 * local NATS server (a stream name of their own), as a load balancer would see them.
 */
describe('cluster mode', () => {
  it('refuses SQLite with a clear message', async () => {
    const run = await runCli(['serve', '--port', '0', '--db', 'sqlite::memory:'], undefined, { STORMWATCH_CLUSTER__NATS: 'nats://127.0.0.1:4222' });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('config: cluster.nats: cluster mode needs PostgreSQL');
  });
});

if (PG_URL) {
  describe('three nodes on one PostgreSQL and NATS JetStream', () => {
    let cluster: TestCluster;
    let hook: Awaited<ReturnType<typeof startHttpSink>>;
    const probeHits: number[] = [];
    let target: http.Server;
    const ids = ['a', 'b', 'c'];
    const node = (id: string): string => cluster.nodes.find((n) => n.id === id)!.url;

    beforeAll(async () => {
      hook = await startHttpSink();
      target = http.createServer((_req, res) => {
        probeHits.push(Date.now());
        res.end('ok');
      });
      await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
      const targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/`;
      cluster = await startCluster({
        ids,
        config: {
          server: { host: '127.0.0.1', port: 0, logLevel: 'warn', trustProxy: ['127.0.0.1/32'] },
          services: [{ slug: 'x', name: 'X', url: 'https://x.com' }],
          reports: { ratePerMinute: 1, rateBurst: 10, prefixRatePerMinute: 100000, prefixRateBurst: 100000, serviceRatePerMinute: 100000, serviceRateBurst: 100000 },
          incidents: { tickSeconds: 1, settleSeconds: 10 },
          checks: [{ name: 'target', type: 'http', target: targetUrl, interval: '1s' }],
          alerts: {
            maxEventAge: '100000d',
            channels: [{ name: 'hook', type: 'webhook', url: hook.url }],
            rules: [{ service: 'x', on: ['open', 'phase', 'close'], channels: ['hook'] }],
          },
        },
      });
      await waitForLeases(cluster, ['alerts', 'local-agent', 'probe-retention', 'abuse-prune', 'incidents:x'], ids);
    }, 120_000);

    afterAll(async () => {
      await cluster?.cleanup();
      await hook?.close();
      await new Promise((resolve) => target?.close(resolve));
    });

    it('every node sees the others, and each once-per-cluster lease is held by exactly one of them', async () => {
      const held = new Map<string, string>();
      for (const id of ids) {
        const status = await api<{ nodeId: string; liveNodes: string[]; held: { name: string }[] }>(node(id), '/api/v1/cluster', { admin: true });
        expect(status.status).toBe(200);
        expect(status.body.nodeId).toBe(id);
        expect(status.body.liveNodes).toEqual(ids);
        for (const h of status.body.held) {
          expect(held.has(h.name), `${h.name} held by ${held.get(h.name)} and ${id}`).toBe(false);
          held.set(h.name, id);
        }
      }
      const rows = await leases(cluster);
      expect(new Map(rows.map((r) => [r.name, r.holder]))).toEqual(held);
      // Three nodes share five leases: no node holds all of them.
      expect(new Set(held.values()).size).toBeGreaterThan(1);
    });

    it('an SSE client on node C sees a report posted to node A within 1 s', async () => {
      // Another service than the replay's: a live report would make x's history look old.
      expect((await api(node('b'), '/api/v1/services', { method: 'POST', admin: true, body: JSON.stringify({ slug: 'live', name: 'Live', url: 'https://live.example' }) })).status).toBe(201);
      const sse = await openSse(`${node('c')}/api/v1/events?service=live`);
      try {
        await sse.waitFor((e) => e.event === 'hello', 5000);
        const posted = performance.now();
        const res = await api(node('a'), '/api/v1/services/live/reports', { method: 'POST', body: JSON.stringify({ problem: 'app', region: 'US-CA' }), headers: { 'x-forwarded-for': '198.51.100.1', 'user-agent': 'sse-test' } });
        expect(res.status).toBe(202);
        const seen = await sse.waitFor((e) => e.event === 'reports.committed', 5000, posted);
        expect(seen.at - posted).toBeLessThan(1000);
      } finally {
        sse.close();
      }
    });

    it('the same reporter sent to node A then node B is counted once, and a rate limit holds across nodes', async () => {
      expect((await api(node('a'), '/api/v1/services', { method: 'POST', admin: true, body: JSON.stringify({ slug: 'dd', name: 'DD', url: 'https://dd.example' }) })).status).toBe(201);
      const who = { 'x-forwarded-for': '198.51.100.2', 'user-agent': 'same-person' };
      const first = await api(node('a'), '/api/v1/services/dd/reports', { method: 'POST', body: JSON.stringify({ problem: 'login' }), headers: who });
      expect(first.status).toBe(202);
      // Node B knew nothing of this reporter locally: the shared state refuses it at commit.
      const again = await api<{ accepted: boolean; reason: string }>(node('b'), '/api/v1/services/dd/reports', { method: 'POST', body: JSON.stringify({ problem: 'login' }), headers: who });
      expect(again.status).toBe(202);
      expect(again.body).toEqual({ accepted: false, reason: 'duplicate' });
      // The same through the batch endpoint with an explicit reporter (an integrator's import).
      const line = JSON.stringify({ service: 'dd', problem: 'app', reporter: 'r-42' });
      const batchHeaders = { 'content-type': 'application/x-ndjson', 'x-forwarded-for': '198.51.100.3' };
      const b1 = await api<{ accepted: number }>(node('b'), '/api/v1/reports:batch', { method: 'POST', body: line, headers: batchHeaders, admin: true });
      const b2 = await api<{ accepted: number; errors: { error: string }[] }>(node('c'), '/api/v1/reports:batch', { method: 'POST', body: line, headers: batchHeaders, admin: true });
      expect([b1.body.accepted, b2.body.accepted]).toEqual([1, 0]);
      expect(b2.body.errors.map((e) => e.error)).toEqual(['duplicate']);
      const series = await api<{ total: number }>(node('c'), '/api/v1/services/dd/reports?step=1h');
      expect(series.body.total).toBe(2);

      // Burst 10 per address, one token a minute: 8 to A, then 8 to B, distinct reporters.
      const statuses: number[] = [];
      for (const target of ['a', 'b']) {
        for (let i = 0; i < 8; i++) {
          const r = await api(node(target), '/api/v1/services/dd/reports', { method: 'POST', body: JSON.stringify({ problem: 'app' }), headers: { 'x-forwarded-for': '198.51.100.4', 'user-agent': `${target}-${i}` } });
          statuses.push(r.status);
        }
      }
      expect(statuses.filter((s) => s === 202)).toHaveLength(10);
      expect(statuses.filter((s) => s === 429)).toHaveLength(6);
    });

    it('a check is probed once per interval, not three times', async () => {
      const window = 6_000;
      const from = Date.now();
      await sleep(window);
      const hits = probeHits.filter((t) => t >= from && t < from + window).length;
      // 1 s interval with up to 5 % jitter: about 6 runs; three agents would make about 18.
      expect(hits).toBeGreaterThanOrEqual(4);
      expect(hits).toBeLessThanOrEqual(8);
      const rows = await query<{ n: number }>(cluster, `SELECT COUNT(*)::int AS n FROM probe_results WHERE check_id = 'cfg-target' AND at >= $1 AND at < $2`, [from, from + window]);
      expect(rows[0].n).toBeLessThanOrEqual(8);
    });

    it('the X outage replayed round-robin over the nodes: one incident with 4 phases, equal on every node; one webhook delivery per incident event', async () => {
      // Node B's live view records every incident event, wherever the runner for x runs.
      const sse = await openSse(`${node('b')}/api/v1/events?service=x`);
      await sse.waitFor((e) => e.event === 'hello', 5000);
      const done = await replayRoundRobin(xOutage, 0.02, () => cluster.nodes.map((n) => n.url));
      expect(done.acknowledged).toBe(done.sent);
      const incidents = await eventually(async () => {
        const r = await api<{ incidents: Incident[] }>(node('a'), '/api/v1/services/x/incidents');
        const list = r.body.incidents;
        return list.length > 0 && list.every((i) => i.status === 'closed') ? list : undefined;
      }, 60_000, 'the incident to close');
      expectOutageDetected(incidents, xOutage);
      const [incident] = incidents;
      const stored = await query<{ n: number }>(cluster, 'SELECT COUNT(*)::int AS n FROM reports WHERE service_id = (SELECT id FROM services WHERE slug = $1)', ['x']);
      expect(stored[0].n).toBe(done.acknowledged);
      for (const id of ids) {
        expect((await api(node(id), '/api/v1/incidents')).body).toEqual((await api(node('a'), '/api/v1/incidents')).body);
        // Every node answers the same page, its URL from the configuration (never the Host
        // the node was asked by); only the times of the announcements may differ by node.
        const summary = JSON.parse(JSON.stringify((await api(node(id), '/api/v2/summary.json')).body, timeless)) as Record<string, unknown>;
        const reference = JSON.parse(JSON.stringify((await api(node('a'), '/api/v2/summary.json')).body, timeless)) as Record<string, unknown>;
        expect(summary).toEqual(reference);
      }
      // Each incident event (opened, each close and reopening between waves, closed) is
      // delivered exactly once, named by its kind and event time.
      await sleep(3000);
      sse.close();
      const kinds: Record<string, string> = { opened: 'open', phase: 'phase', closed: 'close' };
      const events = new Set(
        sse.events
          .filter((e) => e.event === 'incident.changed')
          .map((e) => e.data as { kind: string; at: number })
          .filter((e) => kinds[e.kind])
          .map((e) => `${kinds[e.kind]}@${e.at}`),
      );
      expect(events.size).toBeGreaterThanOrEqual(incident.phases.length + 1);
      const deliveries = hook.requests.map((r) => JSON.parse(r.body) as { event: string; incidentId: string; idempotencyKey: string });
      expect(deliveries.every((b) => b.incidentId === incident.id)).toBe(true);
      expect(deliveries.map((b) => `${b.event}@${b.idempotencyKey.split('@').pop()}`).sort()).toEqual([...events].sort());
    }, 180_000);

    it("the incident dismissed on a node that does not run x's detector: the node that does rebuilds it without the incident", async () => {
      const [incident] = (await api<{ incidents: Incident[] }>(node('a'), '/api/v1/services/x/incidents')).body.incidents;
      const holder = (await leases(cluster)).find((r) => r.name === 'incidents:x')?.holder;
      const other = ids.find((id) => id !== holder) ?? 'a';
      const res = await api(node(other), `/api/v1/incidents/${incident.id}/dismiss`, { method: 'POST', admin: true, body: JSON.stringify({ reason: 'A replay, not an outage.' }) });
      expect(res.status).toBe(200);
      // The engine state records which dismissed incidents its detector was rebuilt without.
      const unlearned = await eventually(async () => {
        const [row] = await query<{ engine: string }>(cluster, 'SELECT engine FROM incident_engine_state WHERE service = $1', ['x']);
        const list = (JSON.parse(row?.engine ?? '{}') as { unlearned?: string[] }).unlearned;
        return list?.includes(incident.id) ? list : undefined;
      }, 30_000, "x's detector to be rebuilt without the dismissed incident");
      expect(unlearned).toEqual([incident.id]);
      // Kept in the history, marked dismissed, on every node.
      for (const id of ids) expect((await api<{ incident: { dismissedAt?: number } }>(node(id), `/api/v1/incidents/${incident.id}`)).body.incident.dismissedAt).toBeGreaterThan(0);
    }, 60_000);
  });
}
