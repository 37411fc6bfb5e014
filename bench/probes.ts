// `npm run bench:probes`: one agent running ≥ 10,000 HTTP checks a minute against loopback
// targets (some slow, some failing), pushing to a real server in another process. Reports
// checks/min, scheduling drift, RSS and the error mix; the peer is a bare keep-alive
// http.request loop over the same targets with no scheduling, run in the same process.
// Writes bench/results/probes.json.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { ProbeAgent } from '../src/probes/agent.js';
import type { ErrorClass } from '../src/probes/result.js';
import { resultsPath, writeResults } from './results-file.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const PEER_SECONDS = Number(process.env.BENCH_PEER_SECONDS ?? 15);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);

interface Fixture { url: string; token: string; targets: string[]; checks: number; interval: string }

const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'probes-fixture.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
const fixture = await new Promise<Fixture>((resolve, reject) => {
  const rl = readline.createInterface({ input: child.stdout! });
  rl.once('line', (line) => resolve(JSON.parse(line) as Fixture));
  child.once('exit', (code) => reject(new Error(`fixture exited with ${code}`)));
});
const intervalMs = Number.parseFloat(fixture.interval) * 1000;
console.log(`fixture: ${fixture.checks} HTTP checks every ${fixture.interval} (${Math.round((fixture.checks * 60_000) / intervalMs)} scheduled/min), concurrency ${CONCURRENCY}`);

// ---- peer: a bare loop, as fast as the targets answer ------------------------------------
async function bareLoop(seconds: number): Promise<{ perMin: number; cpuUsPerRequest: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let done = 0;
  let next = 0;
  const end = performance.now() + seconds * 1000;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const one = (url: string): Promise<void> =>
    new Promise((resolve) => {
      const req = http.get(url, { agent, timeout: 2000 }, (res) => {
        res.resume();
        res.on('end', () => resolve());
        res.on('error', () => resolve());
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve());
    });
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        await one(fixture.targets[next++ % fixture.targets.length]);
        done++;
      }
    }),
  );
  const elapsed = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  agent.destroy();
  return { perMin: (done * 60_000) / elapsed, cpuUsPerRequest: (cpu.user + cpu.system) / done };
}

// ---- the agent -----------------------------------------------------------------------------
const spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-bench-spool-'));
const mix: Partial<Record<ErrorClass, number>> = {};
let windowStart = Number.POSITIVE_INFINITY;
let windowEnd = Number.POSITIVE_INFINITY;
let inWindow = 0;
const agent = new ProbeAgent({
  server: fixture.url, token: fixture.token, location: 'bench', spoolDir, concurrency: CONCURRENCY, flushMs: 1000,
  log: (line) => console.error(`agent: ${line}`),
  observe: (r) => {
    const t = performance.now();
    if (t >= windowStart && t < windowEnd) {
      inWindow++;
      mix[r.errorClass] = (mix[r.errorClass] ?? 0) + 1;
    }
  },
});

const peer = await bareLoop(PEER_SECONDS);
console.log(`peer (bare http.request loop): ${Math.round(peer.perMin)} requests/min, ${peer.cpuUsPerRequest.toFixed(0)} µs CPU per request`);

await agent.start();
// The first interval spreads the first runs; measure from the second one on.
await new Promise((r) => setTimeout(r, intervalMs));
windowStart = performance.now();
windowEnd = windowStart + SECONDS * 1000;
const cpu0 = process.cpuUsage();
let rssMax = 0;
const rssTimer = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage().rss)), 250);
await new Promise((r) => setTimeout(r, SECONDS * 1000));
const cpu = process.cpuUsage(cpu0);
clearInterval(rssTimer);
const stats = agent.getStats();
await agent.stop();
const final = agent.getStats();
// Every produced result should be on the server (acknowledged) — nothing silently dropped.
const checksPerMin = (inWindow * 60_000) / (SECONDS * 1000);
const cpuUsPerCheck = (cpu.user + cpu.system) / Math.max(1, inWindow);

const result = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: os.cpus().length,
  checks: fixture.checks,
  interval: fixture.interval,
  concurrency: CONCURRENCY,
  windowSeconds: SECONDS,
  checksPerMin: Math.round(checksPerMin),
  driftMs: { p50: Math.round(stats.drift.p50), p99: Math.round(stats.drift.p99) },
  rssMaxMb: Math.round(rssMax / 1048576),
  errorMix: mix,
  produced: final.produced,
  acknowledged: final.acknowledged,
  spooled: final.spooled,
  cpuUsPerCheck: Math.round(cpuUsPerCheck),
  peer: { name: 'bare keep-alive http.request loop, same targets and concurrency', requestsPerMin: Math.round(peer.perMin), cpuUsPerRequest: Math.round(peer.cpuUsPerRequest) },
  ratios: {
    /** Share of the raw loopback capacity the scheduled load needs. */
    scheduledOverBareThroughput: +(checksPerMin / peer.perMin).toFixed(3),
    /** Cost of scheduling, conditions, classification and batching per check. */
    cpuPerCheckOverBare: +(cpuUsPerCheck / peer.cpuUsPerRequest).toFixed(2),
  },
  targets: { checksPerMin: 10_000, driftP99Ms: 1000, rssMb: 300 },
  pass: checksPerMin >= 10_000 && stats.drift.p99 <= 1000 && rssMax <= 300 * 1048576,
};
writeResults(resultsPath('probes'), result);

const rows: [string, string, string][] = [
  ['checks/min', String(result.checksPerMin), '≥ 10000'],
  ['drift p50 / p99', `${result.driftMs.p50} / ${result.driftMs.p99} ms`, 'p99 ≤ 1000 ms'],
  ['RSS max', `${result.rssMaxMb} MB`, '≤ 300 MB'],
  ['error mix', Object.entries(mix).map(([k, v]) => `${k} ${v}`).join(', '), ''],
  ['produced / acked / spooled', `${final.produced} / ${final.acknowledged} / ${final.spooled}`, 'acked = produced'],
  ['CPU per check', `${result.cpuUsPerCheck} µs`, ''],
  ['peer: bare loop', `${result.peer.requestsPerMin} req/min, ${result.peer.cpuUsPerRequest} µs CPU/req`, ''],
  ['ratio scheduled/bare throughput', String(result.ratios.scheduledOverBareThroughput), ''],
  ['ratio CPU per check / bare', String(result.ratios.cpuPerCheckOverBare), ''],
];
const w = Math.max(...rows.map((r) => r[0].length));
for (const [k, v, t] of rows) console.log(`${k.padEnd(w)}  ${v}${t ? `   (${t})` : ''}`);
console.log(result.pass ? 'PASS' : 'FAIL');
child.kill('SIGTERM');
fs.rmSync(spoolDir, { recursive: true, force: true });
process.exit(0);
