import http from 'node:http';
import path from 'node:path';
import fc, { type Arbitrary } from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeResults } from '../../bench/results-file.js';
import { ABUSE_ADMIN, realServer, type RealServer } from '../abuse/real-server.js';
import { operationsOf, requestArbitrary, resolverOf, type FuzzRequest, type Operation, type Pools, type Tokens } from './openapi-requests.js';
import type { SchemaContext } from './schema-arbitrary.js';

/**
 * Issue 15: random requests over every operation of the OpenAPI document against the
 * production server on loopback (from 32 addresses on 32 networks): no answer is a 5xx,
 * every error is `{error, message}`, nothing hangs, and the server stays healthy. CI runs a
 * few thousand with a fixed seed; `npm run fuzz` runs 50,000 (FUZZ_REQUESTS, FUZZ_SEED).
 */
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 4_000);
const SEED = Number(process.env.FUZZ_SEED ?? (process.env.FUZZ_REQUESTS ? Math.floor(Math.random() * 2 ** 31) : 20_261_122));
const CONCURRENCY = 16;
/** Requests between re-seeds: the fuzz deletes services, checks and agents too; this brings them back. */
const CHUNK = 500;
const REQUEST_TIMEOUT_MS = 20_000;

interface Outcome {
  status: number;
  body: string;
  contentType: string;
  error?: string;
}

interface Failure {
  request: FuzzRequest;
  why: string;
  status?: number;
  body?: string;
}

let s: RealServer;
const agents = Array.from({ length: 32 }, (_, i) => new http.Agent({ keepAlive: true, maxSockets: 2, localAddress: `127.${100 + i}.0.1` }));

beforeAll(async () => {
  s = await realServer({
    services: [{ slug: 'x', name: 'X', url: 'https://x.example' }, { slug: 'y', name: 'Y', url: 'https://y.example' }],
    // Instant checks resolve their targets: through a loopback port nothing answers, never the network's resolver.
    instantChecks: { resolver: '127.0.0.1:9' },
  });
});
afterAll(async () => {
  for (const a of agents) a.destroy();
  await s?.close();
});

function execute(req: FuzzRequest, agent: http.Agent): Promise<Outcome> {
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = { ...req.headers };
    if (req.body !== undefined) headers['content-length'] = Buffer.byteLength(req.body);
    const r = http.request({ host: '127.0.0.1', port: s.port, method: req.method, path: req.url, headers, agent, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      const contentType = String(res.headers['content-type'] ?? '');
      if (contentType.startsWith('text/event-stream')) {
        r.destroy();
        resolve({ status: res.statusCode ?? 0, body: '', contentType });
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), contentType }));
      res.on('error', (err) => resolve({ status: res.statusCode ?? 0, body: '', contentType, error: err.message }));
    });
    r.on('timeout', () => {
      r.destroy();
      resolve({ status: 0, body: '', contentType: '', error: 'hang' });
    });
    r.on('error', (err) => resolve({ status: 0, body: '', contentType: '', error: err.message }));
    r.end(req.body);
  });
}

const admin = { authorization: `Bearer ${ABUSE_ADMIN}`, 'content-type': 'application/json' };
async function post(p: string, body: unknown, headers: Record<string, string> = admin): Promise<Record<string, unknown>> {
  const res = await fetch(`${s.url}${p}`, { method: 'POST', headers, body: JSON.stringify(body) });
  return (await res.json().catch(() => ({}))) as Record<string, unknown>;
}

/** Makes sure the resources requests name exist, and returns their ids and a working agent token. */
async function seed(): Promise<{ pools: Pools; tokens: Tokens }> {
  for (const slug of ['x', 'y']) await post('/api/v1/services', { slug, name: slug.toUpperCase(), url: `https://${slug}.example` });
  const check = await post('/api/v1/checks', { name: `fuzz-check-${Date.now()}`, service: 'x', type: 'tcp', target: '127.0.0.1:9', interval: '1h', locations: ['Frankfurt, DE'] });
  const agent = await post('/api/v1/agents', { name: 'fuzz-agent', location: 'Frankfurt, DE' });
  await post('/api/v1/alerts/channels', { name: 'hook', type: 'webhook', url: 'http://127.0.0.1:9/hook' });
  const rule = await post('/api/v1/alerts/rules', { service: 'x', on: ['open'], channels: ['hook'] });
  const incident = await post('/api/v1/incidents', { title: 'Fuzz', impact: 'minor', services: ['x'], update: { status: 'investigating', body: 'looking' } });
  const maintenance = await post('/api/v1/maintenances', { title: 'Fuzz', services: ['x'], startsAt: Date.now() + 3_600_000, endsAt: Date.now() + 7_200_000 });
  const ids = [check.id, (agent.agent as { id?: string } | undefined)?.id, rule.id, (incident.incident as { id?: string } | undefined)?.id ?? incident.id, (maintenance.maintenance as { id?: string } | undefined)?.id ?? maintenance.id].filter(
    (v): v is string => typeof v === 'string',
  );
  return {
    pools: { slug: ['x', 'y'], id: ids, name: ['hook'], section: ['incidents', 'maintenance', 'subscribers', 'nope'] },
    tokens: { admin: ABUSE_ADMIN, agent: typeof agent.token === 'string' ? agent.token : 'no-agent-token' },
  };
}

/** What is wrong with an answer, or undefined. */
function verdict(req: FuzzRequest, o: Outcome): string | undefined {
  if (o.error === 'hang') return `no answer within ${REQUEST_TIMEOUT_MS} ms`;
  if (o.error !== undefined) return undefined; // counted apart (a connection the server closed after refusing a body)
  if (o.status >= 500) return `status ${o.status}`;
  if (o.status >= 400 && req.method !== 'HEAD') {
    let body: unknown;
    try {
      body = JSON.parse(o.body);
    } catch {
      return `a ${o.status} without a JSON body (${o.contentType})`;
    }
    const b = body as { error?: unknown; message?: unknown };
    if (typeof b.error !== 'string' || typeof b.message !== 'string') return `a ${o.status} without {error, message}`;
  }
  return undefined;
}

describe('OpenAPI-driven fuzz', () => {
  it(`${REQUESTS} random requests over every operation: no 5xx, every error {error, message}, no hang`, { timeout: 120_000 + REQUESTS * 20 }, async () => {
    const doc = (await (await fetch(`${s.url}/api/docs/json`)).json()) as Parameters<typeof operationsOf>[0];
    const operations = operationsOf(doc);
    expect(operations.length).toBeGreaterThan(50);
    const byStatus = new Map<number, number>();
    const byOperation = new Map<string, number>();
    const failures: Failure[] = [];
    let errors = 0;
    let done = 0;
    const started = performance.now();
    console.log(`fuzz: ${REQUESTS} requests, seed ${SEED} (FUZZ_SEED=${SEED} to repeat), ${operations.length} operations`);

    for (let chunk = 0; done < REQUESTS; chunk++) {
      const { pools, tokens } = await seed();
      const schemas: SchemaContext = { resolve: resolverOf(doc), hints: { service: fc.constantFrom('x', 'y'), scope: fc.constantFrom('x', 'y'), slug: fc.constantFrom('x', 'y'), checkId: fc.constantFrom(...(pools.id ?? ['x'])) } };
      const arbitraries: Arbitrary<FuzzRequest>[] = operations.map((op: Operation) => requestArbitrary(op, schemas, pools, tokens));
      const n = Math.min(CHUNK, REQUESTS - done);
      const requests = fc.sample(fc.oneof(...arbitraries), { seed: SEED + chunk, numRuns: n });
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async (_, worker) => {
          while (next < requests.length) {
            const i = next++;
            const req = requests[i];
            const o = await execute(req, agents[(worker + i) % agents.length]);
            byOperation.set(req.operationId, (byOperation.get(req.operationId) ?? 0) + 1);
            byStatus.set(o.status, (byStatus.get(o.status) ?? 0) + 1);
            if (o.error !== undefined && o.error !== 'hang') errors++;
            const why = verdict(req, o);
            if (why) failures.push({ request: { ...req, ...(req.body !== undefined ? { body: req.body.slice(0, 300) } : {}) }, why, status: o.status, body: o.body.slice(0, 300) });
          }
        }),
      );
      done += n;
    }
    const seconds = (performance.now() - started) / 1000;

    const health = await fetch(`${s.url}/healthz`, { signal: AbortSignal.timeout(5_000) });
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    const serverErrors = [...metrics.matchAll(/stormwatch_http_requests_total\{([^}]*status="5\d\d"[^}]*)\} (\d+)/g)].map((m) => `${m[1]} ${m[2]}`);
    const summary = {
      requests: done,
      seed: SEED,
      seconds: Math.round(seconds),
      requests_per_s: Math.round(done / seconds),
      operations: operations.length,
      operations_driven: byOperation.size,
      min_per_operation: Math.min(...operations.map((o) => byOperation.get(o.operationId) ?? 0)),
      by_status: Object.fromEntries([...byStatus].sort((a, b) => a[0] - b[0])),
      connection_errors: errors,
      failures: failures.length,
      server_5xx_in_metrics: serverErrors.length,
      at: new Date().toISOString(),
    };
    console.log(JSON.stringify(summary));
    for (const f of failures.slice(0, 20)) console.log('FAILURE', JSON.stringify(f));
    if (process.env.FUZZ_OUT) writeResults(path.resolve(process.env.FUZZ_OUT), summary);

    expect(failures).toEqual([]);
    expect(serverErrors).toEqual([]);
    expect(health.status).toBe(200);
    expect(byOperation.size).toBe(operations.length);
    // A request that could not even be sent is rare (a socket the server closed after refusing a body).
    expect(errors).toBeLessThan(done / 50);
  });
});
