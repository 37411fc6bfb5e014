import { afterEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/incidents/incident.js';
import { reportBatches } from '../../src/simulate/expand-reports.js';
import { xOutage } from '../../src/simulate/x-outage.js';
import { startHttpSink } from '../alerts/sinks.js';
import { expectOutageDetected } from '../scenarios/expectations.js';
import { api, eventually, leases, PG_URL, query, sleep, startCluster, type TestCluster } from './nodes.js';
import { startPrivateNats, startPrivatePostgres, type PrivateNats, type PrivatePostgres } from './private-servers.js';
import { replayRoundRobin } from './replay.js';
import { openSse } from './sse-client.js';

/**
 * Issue 13's faults. The node kill uses the shared servers (only our own processes die);
 * the NATS and PostgreSQL restarts use private servers started here, so that no other test
 * on this machine notices.
 */
describe.runIf(PG_URL)('cluster faults', () => {
  let cluster: TestCluster | undefined;
  let nats: PrivateNats | undefined;
  let postgres: PrivatePostgres | undefined;
  afterEach(async () => {
    await cluster?.cleanup();
    await nats?.cleanup();
    await postgres?.cleanup();
    cluster = undefined;
    nats = undefined;
    postgres = undefined;
  });

  it('kill -9 of the node holding the incident lease during the replay: another takes over within 15 s, no incident lost or doubled, no acknowledged report lost', async () => {
    const hook = await startHttpSink();
    try {
      // Default lease timing (8 s lease, renewed every 2 s): the figure the docs quote.
      cluster = await startCluster({
        ids: ['a', 'b', 'c'],
        config: {
          services: [{ slug: 'x', name: 'X', url: 'https://x.com' }],
          incidents: { tickSeconds: 1, settleSeconds: 10 },
          probes: { localAgent: false },
          alerts: { maxEventAge: '100000d', channels: [{ name: 'hook', type: 'webhook', url: hook.url }], rules: [{ service: 'x', on: ['open', 'phase', 'close'], channels: ['hook'] }] },
        },
      });
      const c = cluster;
      await eventually(async () => ((await leases(c)).some((l) => l.name === 'incidents:x') ? true : undefined), 30_000, 'the incident lease');
      const total = [...reportBatches(xOutage, { scale: 0.02, seed: 11 }, 5_000)].length;
      let killed: { id: string; at: number; heldAlerts: boolean } | undefined;
      const alive = (): string[] => c.nodes.filter((n) => n.id !== killed?.id).map((n) => n.url);
      const done = await replayRoundRobin(xOutage, 0.02, alive, async (p) => {
        // Halfway, in the quiet week before the outage: the runner for x is at work.
        if (killed || p.batches < Math.floor(total / 2)) return;
        const holder = (await leases(c)).find((l) => l.name === 'incidents:x')!.holder;
        const heldAlerts = (await leases(c)).some((l) => l.name === 'alerts' && l.holder === holder);
        c.nodes.find((n) => n.id === holder)!.proc.kill('SIGKILL');
        killed = { id: holder, at: Date.now(), heldAlerts };
      });
      expect(killed).toBeDefined();
      const victim = killed!;
      const successor = await eventually(async () => {
        const l = (await leases(c)).find((r) => r.name === 'incidents:x');
        return l && l.holder !== victim.id ? { holder: l.holder, at: Date.now() } : undefined;
      }, 20_000, 'another node to take the incident lease');
      expect(successor.at - victim.at).toBeLessThan(15_000);

      const survivors = c.nodes.filter((n) => n.id !== victim.id);
      const incidents = await eventually(async () => {
        const list = (await api<{ incidents: Incident[] }>(survivors[0].url, '/api/v1/services/x/incidents')).body.incidents;
        return list.length > 0 && list.every((i) => i.status === 'closed') ? list : undefined;
      }, 60_000, 'the incident to close').catch(async (err: unknown) => {
        const st = await query(c, 'SELECT service, last_minute, status, updated_at FROM incident_engine_state');
        const mx = await query(c, 'SELECT MAX(minute) AS m, MIN(minute) AS n FROM report_minutes');
        console.log(JSON.stringify({ victim, successor, st, mx, leases: await leases(c) }), c.nodes.map((n) => `${n.id}: ${n.output()}`).join('\n'));
        throw err;
      });
      if (incidents[0].phases.length !== 4) console.log(JSON.stringify(victim), JSON.stringify(successor), c.nodes.map((n) => `${n.id}: ${n.output()}`).join('\n'));
      expectOutageDetected(incidents, xOutage);
      expect((await api(survivors[1].url, '/api/v1/services/x/incidents')).body).toEqual({ incidents });
      const stored = await query<{ n: number }>(c, 'SELECT COUNT(*)::int AS n FROM reports');
      expect(stored[0].n).toBe(done.acknowledged);

      // Every delivery's idempotency key names one incident event; a key is sent twice only
      // when the killed node was sending it at the moment it died.
      await sleep(3000);
      const keys = hook.requests.map((r) => (JSON.parse(r.body) as { idempotencyKey: string }).idempotencyKey);
      expect(keys.length).toBeGreaterThanOrEqual(incidents[0].phases.length + 1);
      expect(keys.length - new Set(keys).size).toBeLessThanOrEqual(victim.heldAlerts ? 1 : 0);
    } finally {
      await hook.close();
    }
  }, 240_000);

  it('NATS restarted during load: nodes reconnect, no acknowledged report is lost, the live view resumes', async () => {
    nats = await startPrivateNats();
    cluster = await startCluster({
      ids: ['a', 'b'],
      natsUrl: nats.url,
      config: { server: { host: '127.0.0.1', port: 0, logLevel: 'warn', trustProxy: ['127.0.0.1/32'] }, services: [{ slug: 'live', name: 'Live', url: 'https://live.example' }], probes: { localAgent: false }, reports: { ratePerMinute: 100000, rateBurst: 100000, prefixRatePerMinute: 100000, prefixRateBurst: 100000, serviceRatePerMinute: 100000, serviceRateBurst: 100000 } },
    });
    const [a, b] = cluster.nodes;
    const sse = await openSse(`${b.url}/api/v1/events?service=live`);
    await sse.waitFor((e) => e.event === 'hello', 5000);
    let acknowledged = 0;
    let refused = 0;
    let running = true;
    let n = 0;
    const load = (async () => {
      while (running) {
        const target = n % 2 === 0 ? a.url : b.url;
        const i = n++;
        try {
          const r = await api(target, '/api/v1/services/live/reports', { method: 'POST', body: JSON.stringify({ problem: 'app' }), headers: { 'x-forwarded-for': `198.51.100.${i % 250}`, 'user-agent': `load-${i}` } });
          if (r.status === 202) acknowledged++;
          else refused++;
        } catch {
          refused++;
        }
      }
    })();
    await sleep(2000);
    const before = acknowledged;
    await nats.stop();
    await sleep(3000);
    const duringOutage = acknowledged - before;
    await nats.start();
    await sleep(3000);
    running = false;
    await load;
    // Ingest never waits for NATS: reports were acknowledged while it was down.
    expect(duringOutage).toBeGreaterThan(0);
    expect(refused).toBe(0);
    const stored = await query<{ n: number }>(cluster, 'SELECT COUNT(*)::int AS n FROM reports');
    expect(stored[0].n).toBe(acknowledged);
    // The live view on B resumes: a report posted to A after the restart shows up there.
    const posted = performance.now();
    expect((await api(a.url, '/api/v1/services/live/reports', { method: 'POST', body: JSON.stringify({ problem: 'login' }), headers: { 'x-forwarded-for': '203.0.113.9', 'user-agent': 'after-restart' } })).status).toBe(202);
    await sse.waitFor((e) => e.event === 'reports.committed', 15_000, posted);
    sse.close();
    expect(a.proc.exitCode).toBeNull();
    expect(b.proc.exitCode).toBeNull();
  }, 180_000);

  it('PostgreSQL restarted: requests get 503 with Retry-After (never a hang or a crash), and the nodes recover by themselves', async () => {
    postgres = await startPrivatePostgres();
    cluster = await startCluster({
      ids: ['a', 'b'],
      dbUrl: postgres.url,
      config: { server: { host: '127.0.0.1', port: 0, logLevel: 'warn', trustProxy: ['127.0.0.1/32'] }, services: [{ slug: 'live', name: 'Live', url: 'https://live.example' }], probes: { localAgent: false } },
      env: { STORMWATCH_CLUSTER__LEASE_SECONDS: '4', STORMWATCH_CLUSTER__RENEW_SECONDS: '1' },
    });
    const c = cluster;
    await eventually(async () => ((await leases(c)).length >= 3 ? true : undefined), 30_000, 'leases');
    const report = (url: string, i: number) =>
      api(url, '/api/v1/services/live/reports', { method: 'POST', body: JSON.stringify({ problem: 'app' }), headers: { 'x-forwarded-for': `203.0.113.${i}`, 'user-agent': `pg-${i}` }, signal: AbortSignal.timeout(15_000) });
    expect((await report(c.nodes[0].url, 1)).status).toBe(202);

    await postgres.stop();
    let i = 10;
    for (const n of c.nodes) {
      for (const path of ['/healthz', '/api/v1/incidents']) {
        const started = performance.now();
        const r = await api<{ error: string }>(n.url, path, { signal: AbortSignal.timeout(15_000) });
        expect(r.status, `${path} on ${n.id}`).toBe(503);
        expect(r.body.error).toBe('unavailable');
        expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(performance.now() - started).toBeLessThan(10_000);
      }
      const r = await report(n.url, i++);
      expect(r.status).toBe(503);
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    await sleep(5000); // longer than a lease: the nodes notice they cannot renew
    await postgres.start();

    for (const n of c.nodes) {
      await eventually(async () => ((await api(n.url, '/healthz')).status === 200 ? true : undefined), 30_000, `${n.id} healthy again`);
      await eventually(async () => ((await report(n.url, i++)).status === 202 ? true : undefined), 30_000, `${n.id} taking reports again`);
      expect(n.proc.exitCode).toBeNull();
    }
    // The once-per-cluster work is held again.
    await eventually(async () => {
      const names = (await leases(c)).map((l) => l.name);
      return ['alerts', 'incidents:live', 'probe-retention'].every((x) => names.includes(x)) ? true : undefined;
    }, 30_000, 'leases held again');
  }, 180_000);
});
