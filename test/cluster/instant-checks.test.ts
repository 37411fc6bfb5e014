import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProbeAgent } from '../../src/probes/agent.js';
import type { InstantView } from '../../src/probes/instant/instant-check.js';
import { api, eventually, PG_URL, startCluster, type TestCluster } from './nodes.js';
import { openSse } from './sse-client.js';

if (PG_URL) {
  /**
   * Instant checks across two `stormwatch serve` nodes on one PostgreSQL schema and NATS
   * JetStream: the store is the queue and the bus wakes waiting agents, so a check made on
   * node a reaches an agent long-polling node b at once, and its answer reaches node a's
   * reads and live stream.
   */
  describe('instant checks in cluster mode', () => {
    let cluster: TestCluster;
    let target: http.Server;
    let targetUrl: string;
    let agent: ProbeAgent;
    const node = (id: string): string => cluster.nodes.find((n) => n.id === id)!.url;

    beforeAll(async () => {
      target = http.createServer((_req, res) => res.end('ok'));
      await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
      targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/`;
      cluster = await startCluster({ ids: ['a', 'b'], config: { probes: { localAgent: true, location: 'local' }, instantChecks: { allowPrivateTargets: true, public: true, ratePerMinute: 1, rateBurst: 3, networkRatePerMinute: 100, networkRateBurst: 100 } } });
      const created = await api<{ token: string }>(node('a'), '/api/v1/agents', { method: 'POST', admin: true, body: JSON.stringify({ name: 'paris', location: 'Paris, FR' }) });
      agent = new ProbeAgent({ server: node('b'), token: created.body.token, spoolDir: fs.mkdtempSync(path.join(os.tmpdir(), 'sw-cluster-instant-')), concurrency: 2 });
      await agent.start();
    }, 180_000);

    afterAll(async () => {
      await agent?.stop();
      await cluster?.cleanup();
      target?.close();
    });

    it('the limit on anonymous instant checks holds across nodes: a client has its burst once, not once per node', async () => {
      const post = (id: string) => api(node(id), '/api/v1/instant-checks', { method: 'POST', body: JSON.stringify({ type: 'tcp', target: new URL(targetUrl).host }) });
      const statuses: number[] = [];
      // A burst of 3: each node alone would let 3 through, so 6 alternating requests would pass.
      for (const id of ['a', 'b', 'a', 'b']) statuses.push((await post(id)).status);
      expect(statuses).toEqual([202, 202, 202, 429]);
      const refused = await post('a');
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({ error: 'rate_limited', message: expect.stringContaining('from this address') });
      // One token a minute: the bucket is full again in about a minute, and a refusal took nothing.
      const retry = Number(refused.headers.get('retry-after'));
      expect(retry).toBeGreaterThanOrEqual(50);
      expect(retry).toBeLessThanOrEqual(60);
      // The admin is not limited.
      expect((await api(node('b'), '/api/v1/instant-checks', { method: 'POST', admin: true, body: JSON.stringify({ type: 'tcp', target: new URL(targetUrl).host }) })).status).toBe(202);
    });

    it('a check made on node a is answered by the agent on node b and the built-in agent, and read on node a', async () => {
      const created = await api<InstantView>(node('a'), '/api/v1/instant-checks', { method: 'POST', admin: true, body: JSON.stringify({ type: 'http', target: targetUrl }) });
      expect(created.status).toBe(202);
      expect(created.body.rows.map((r) => r.location)).toEqual(['local', 'Paris, FR']);
      const view = await eventually(async () => {
        const { body } = await api<InstantView>(node('a'), `/api/v1/instant-checks/${created.body.id}`);
        return body.complete ? body : undefined;
      }, 20_000, 'both locations to answer');
      for (const row of view.rows) expect(row).toMatchObject({ state: 'ok', httpStatus: 200, address: '127.0.0.1' });
    });

    it('an agent waiting on node b is woken by a check made on node a (through the bus), not by the end of its wait', async () => {
      const oslo = await api<{ token: string }>(node('a'), '/api/v1/agents', { method: 'POST', admin: true, body: JSON.stringify({ name: 'oslo', location: 'Oslo, NO' }) });
      const auth = { authorization: `Bearer ${oslo.body.token}` };
      // What is open already (the checks above) is taken first.
      const open = await api<{ checks: { id: string }[] }>(node('b'), '/api/v1/agent/instant-checks?wait=0', { headers: auth });
      const skip = open.body.checks.map((c) => c.id).join(',');
      const started = Date.now();
      const waiting = api<{ checks: { id: string }[] }>(node('b'), `/api/v1/agent/instant-checks?wait=10${skip ? `&skip=${skip}` : ''}`, { headers: auth });
      await new Promise((r) => setTimeout(r, 300));
      const created = await api<InstantView>(node('a'), '/api/v1/instant-checks', { method: 'POST', admin: true, body: JSON.stringify({ type: 'tcp', target: new URL(targetUrl).host }) });
      const got = await waiting;
      expect(got.body.checks.map((c) => c.id)).toEqual([created.body.id]);
      expect(Date.now() - started).toBeLessThan(5000);
    });

    it("an answer given to node b reaches node a's live stream", async () => {
      const lyon = await api<{ token: string }>(node('a'), '/api/v1/agents', { method: 'POST', admin: true, body: JSON.stringify({ name: 'lyon', location: 'Lyon, FR' }) });
      const created = await api<InstantView>(node('a'), '/api/v1/instant-checks', { method: 'POST', admin: true, body: JSON.stringify({ type: 'http', target: targetUrl }) });
      const sse = await openSse(`${node('a')}/api/v1/events?instant=${created.body.id}`);
      try {
        const answer = { id: created.body.id, ok: false, errorClass: 'timeout', latencyMs: 5000, detail: 'no answer', at: Date.now() };
        const pushed = await api(node('b'), '/api/v1/agent/instant-answers', { method: 'POST', headers: { authorization: `Bearer ${lyon.body.token}` }, body: JSON.stringify({ answers: [answer] }) });
        expect(pushed.body).toEqual({ accepted: 1, duplicates: 0, ignored: 0 });
        const live = await sse.waitFor((e) => e.event === 'instant.answered' && (e.data as { row: { location: string } }).row.location === 'Lyon, FR', 10_000);
        expect(live.data).toMatchObject({ id: created.body.id, row: { location: 'Lyon, FR', state: 'failed', errorClass: 'timeout' } });
      } finally {
        sse.close();
      }
    });
  });
}
