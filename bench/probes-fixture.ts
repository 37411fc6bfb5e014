// Child process for `npm run bench:probes`: loopback targets (up, slow, failing, refusing)
// and a real Stormwatch server (SQLite, built-in agent off) holding the checks. Prints one
// JSON line with what the agent needs, then serves until killed.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config/load.js';
import { startServer } from '../src/server.js';

const CHECKS = Number(process.env.BENCH_CHECKS ?? 1200);
const INTERVAL = process.env.BENCH_INTERVAL ?? '6s';
const SLOW_MS = 300;
const ADMIN = 'bench-admin-token-0123456789';

const targets = http.createServer((req, res) => {
  if (req.url?.startsWith('/slow')) return void setTimeout(() => res.end('ok'), SLOW_MS);
  if (req.url?.startsWith('/fail')) {
    res.statusCode = 503;
    return void res.end('down');
  }
  res.end('{"status":"up"}');
});
targets.keepAliveTimeout = 60_000;
const listen = (s: net.Server): Promise<number> => new Promise((r) => s.listen(0, '127.0.0.1', () => r((s.address() as net.AddressInfo).port)));
const port = await listen(targets);
const probe = net.createServer();
const refusedPort = await listen(probe);
await new Promise((r) => probe.close(r));

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-bench-probes-'));
const server = await startServer(
  loadConfig({
    env: {},
    overrides: {
      'server.port': 0, 'server.host': '127.0.0.1', 'server.logLevel': 'silent', 'database.url': `sqlite:${path.join(dir, 'db.sqlite')}`,
      adminToken: ADMIN, probes: { localAgent: false },
    },
  }),
);
const post = async (url: string, body: unknown): Promise<{ token?: string }> => {
  const res = await fetch(`${server.url}${url}`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { token?: string };
};
// 80 % up, 10 % slow (fails `response_time < 200ms`), 5 % HTTP 503, 5 % refused.
const mix: string[] = [];
for (let i = 0; i < CHECKS; i++) {
  const k = i % 20;
  const target = k < 16 ? `http://127.0.0.1:${port}/up/${i}` : k < 18 ? `http://127.0.0.1:${port}/slow/${i}` : k < 19 ? `http://127.0.0.1:${port}/fail/${i}` : `http://127.0.0.1:${refusedPort}/`;
  mix.push(target);
  await post('/api/v1/checks', { name: `bench-${i}`, type: 'http', target, interval: INTERVAL, timeout: '2s', conditions: ['status == 200', 'response_time < 200ms'] });
}
const { token } = await post('/api/v1/agents', { name: 'bench', location: 'bench' });
console.log(JSON.stringify({ url: server.url, token, targets: mix, checks: CHECKS, interval: INTERVAL, dir }));
process.on('SIGTERM', () => {
  void server.close().then(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
});
