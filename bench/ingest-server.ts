// Child process of `bench/ingest.ts`: the real Stormwatch server (SQLite file in a temp
// dir) or, with `--bare`, the peer: a bare Fastify route answering 204. Prints its URL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { loadConfig } from '../src/config/load.js';
import { startServer } from '../src/server.js';

export const BENCH_ADMIN = 'bench-admin-token-0123456789';

async function main(): Promise<void> {
  if (process.argv.includes('--bare')) {
    const app = Fastify({ logger: false });
    // Same requests as the report route (JSON body parsed), answered with 204 and no work.
    app.post('/api/v1/services/:slug/reports', async (_request, reply) => reply.status(204).send());
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    if (addr === null || typeof addr === 'string') throw new Error('no address');
    process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${addr.port}` })}\n`);
    process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stormwatch-bench-'));
  const config = loadConfig({
    env: {},
    overrides: {
      'server.port': 0,
      'server.host': '127.0.0.1',
      'server.logLevel': 'silent',
      // Every simulated client sends its own X-Forwarded-For, as behind a reverse proxy on loopback.
      'server.trustProxy': ['127.0.0.1'],
      'database.url': `sqlite:${path.join(dir, 'bench.db')}`,
      'probes.localAgent': false,
      adminToken: BENCH_ADMIN,
      services: [{ slug: 'x', name: 'X', url: 'https://x.com' }],
      ...(process.env.BENCH_FLUSH_MS !== undefined ? { 'reports.flushDelayMs': Number(process.env.BENCH_FLUSH_MS) } : {}),
      ...(process.env.BENCH_PARSE_WORKERS !== undefined ? { 'reports.parseWorkers': Number(process.env.BENCH_PARSE_WORKERS) } : {}),
    },
  });
  const server = await startServer(config);
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
  process.once('SIGTERM', () => {
    void server.close().then(() => {
      fs.rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  });
}

void main();
