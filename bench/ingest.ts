// `npm run bench:ingest`: crowd-report ingest against the real server on loopback, with a
// bare Fastify route as the peer measured in the same run. Writes bench/results/ingest.json.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import autocannon from 'autocannon';

const ADMIN = 'bench-admin-token-0123456789';
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const BATCHES = Number(process.env.BENCH_BATCHES ?? 100);
/** Batches sent first and not counted: the parse thread starts on the first large body, and JIT. */
const WARMUP_BATCHES = 6;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
/** Integrators posting batches at once: enough to keep the server's parse thread and main thread both busy. */
const BATCH_CLIENTS = Number(process.env.BENCH_BATCH_CLIENTS ?? 4);
const PROBLEMS = ['app', 'website', 'login', 'feed', 'notifications', 'connection', 'other'];

interface Child {
  proc: ChildProcess;
  url: string;
}

async function spawnServer(args: string[]): Promise<Child> {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'ingest-server.ts'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: proc.stdout! });
  for await (const line of lines) {
    if (line.startsWith('{')) return { proc, url: (JSON.parse(line) as { url: string }).url };
  }
  throw new Error('server child exited before printing its URL');
}

async function stop(child: Child): Promise<void> {
  const exited = new Promise((resolve) => child.proc.once('exit', resolve));
  child.proc.kill('SIGTERM');
  await exited;
}

/** Peak resident set of a process (VmHWM), MB. */
function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** CPU time (user + system) a process has used so far, ms; immune to waiting on a busy machine. */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of the file, in clock ticks (100 per second).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Runs `fn` and returns its result with the server's CPU microseconds per completed request. */
async function withCpu(pid: number, fn: () => Promise<Result>): Promise<{ result: Result; cpuUsPerReq: number }> {
  const before = cpuMs(pid);
  const result = await fn();
  const done = result.requests.total ?? 0;
  return { result, cpuUsPerReq: done > 0 ? Math.round(((cpuMs(pid) - before) * 1000) / done) : NaN };
}

let ipCounter = 0;
/**
 * A distinct public-looking IPv4 per request, so neither dedupe nor a rate limit refuses it:
 * consecutive requests come from different /24 networks (a network comes back only every
 * 4 million requests), as a real crowd does, so the per-network limits see one report each.
 */
function nextIp(): string {
  const n = ipCounter++;
  return `${11 + (n & 0x3f)}.${(n >>> 6) & 255}.${(n >>> 14) & 255}.${(n >>> 22) & 255}`;
}

type Result = autocannon.Result;

function run(opts: autocannon.Options): Promise<Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

async function singleReports(url: string, extra: Partial<autocannon.Options> = {}): Promise<Result> {
  return run({
    url,
    connections: CONNECTIONS,
    duration: DURATION_S,
    requests: [
      {
        method: 'POST',
        path: '/api/v1/services/x/reports',
        setupRequest: (req) => ({
          ...req,
          headers: { 'content-type': 'application/json', 'x-forwarded-for': nextIp(), 'user-agent': 'bench' },
          body: JSON.stringify({ problem: PROBLEMS[ipCounter % PROBLEMS.length] }),
        }),
      },
    ],
    ...extra,
  });
}

async function batchIngest(url: string, pid: number): Promise<{ reports: number; seconds: number; rejected: number; cpuUsPerReport: number }> {
  const now = Date.now();
  const makeBodies = (prefix: string, count: number): string[] => {
    const bodies: string[] = [];
    for (let b = 0; b < count; b++) {
      const lines: string[] = [];
      for (let i = 0; i < 10_000; i++) {
        lines.push(JSON.stringify({ service: 'x', problem: PROBLEMS[i % 7], region: i % 3 === 0 ? 'US-CA' : 'DE', reporter: `${prefix}${b}-${i}`, ts: new Date(now - 3_600_000 + ((b * 10_000 + i) % 3_600_000)).toISOString() }));
      }
      bodies.push(lines.join('\n'));
    }
    return bodies;
  };
  // Several integrators in parallel: while one body is parsed on the server's parse thread,
  // another is checked and committed on its main thread and a third is on the wire.
  const send = async (bodies: string[]): Promise<{ reports: number; rejected: number }> => {
    let reports = 0;
    let rejected = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: BATCH_CLIENTS }, async () => {
        while (next < bodies.length) {
          const body = bodies[next++];
          const res = await fetch(`${url}/api/v1/reports:batch`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${ADMIN}` }, body });
          const out = (await res.json()) as { accepted: number; rejected: number };
          reports += out.accepted;
          rejected += out.rejected;
        }
      }),
    );
    return { reports, rejected };
  };
  await send(makeBodies('w', WARMUP_BATCHES));
  const bodies = makeBodies('b', BATCHES);
  const cpuBefore = cpuMs(pid);
  const started = performance.now();
  const { reports, rejected } = await send(bodies);
  const seconds = (performance.now() - started) / 1000;
  return { reports, seconds, rejected, cpuUsPerReport: reports > 0 ? Math.round(((cpuMs(pid) - cpuBefore) * 1000 * 100) / reports) / 100 : NaN };
}

const bare = await spawnServer(['--bare']);
const server = await spawnServer([]);
try {
  // Warm both up (JIT, SQLite page cache) before measuring.
  await singleReports(bare.url, { duration: 2 });
  await singleReports(server.url, { duration: 2 });

  // The peer gets exactly the same requests (same client cost); interleaved runs, best of
  // each, since the machine is shared and noisy.
  const bares: { result: Result; cpuUsPerReq: number }[] = [];
  const singles: { result: Result; cpuUsPerReq: number }[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    bares.push(await withCpu(bare.proc.pid!, () => singleReports(bare.url)));
    singles.push(await withCpu(server.proc.pid!, () => singleReports(server.url)));
  }
  const best = (rs: { result: Result }[]): Result => rs.map((r) => r.result).reduce((a, b) => (b.requests.average > a.requests.average ? b : a));
  const leastCpu = (rs: { cpuUsPerReq: number }[]): number => Math.min(...rs.map((r) => r.cpuUsPerReq));
  const bareResult = best(bares);
  const single = best(singles);
  const cpuSingle = leastCpu(singles);
  const cpuBare = leastCpu(bares);
  const fixed = await singleReports(server.url, { overallRate: 5000, connections: 100 });
  const batch = await batchIngest(server.url, server.proc.pid!);
  const rssMb = peakRssMb(server.proc.pid!);

  const out = {
    single_rps: Math.round(single.requests.average),
    bare_rps: Math.round(bareResult.requests.average),
    ratio: Math.round((single.requests.average / bareResult.requests.average) * 100) / 100,
    server_cpu_us_per_req: cpuSingle,
    bare_cpu_us_per_req: cpuBare,
    cpu_ratio: Math.round((cpuBare / cpuSingle) * 100) / 100,
    p50_ms: single.latency.p50,
    p99_ms: single.latency.p99,
    single_non_2xx: single.non2xx,
    p99_ms_at_5000rps: fixed.latency.p99,
    rps_at_5000rps: Math.round(fixed.requests.average),
    fixed_non_2xx: fixed.non2xx,
    batch_reports_per_s: Math.round(batch.reports / batch.seconds),
    batch_reports: batch.reports,
    batch_rejected: batch.rejected,
    batch_clients: BATCH_CLIENTS,
    batch_server_cpu_us_per_report: batch.cpuUsPerReport,
    rss_mb: rssMb,
    connections: CONNECTIONS,
    duration_s: DURATION_S,
    node: process.version,
    at: new Date().toISOString(),
  };
  console.table({
    'single report POST': { 'req/s': out.single_rps, 'p50 ms': out.p50_ms, 'p99 ms': out.p99_ms },
    'bare Fastify 204 (peer)': { 'req/s': out.bare_rps, 'p50 ms': bareResult.latency.p50, 'p99 ms': bareResult.latency.p99 },
    'single at 5,000 req/s': { 'req/s': out.rps_at_5000rps, 'p50 ms': fixed.latency.p50, 'p99 ms': out.p99_ms_at_5000rps },
  });
  console.log(`server CPU per request: report ${cpuSingle} µs, bare ${cpuBare} µs (ratio ${out.cpu_ratio}: the throughput ratio on an idle core)`);
  console.log(`ratio single/bare ${out.ratio} (target ≥ 0.5); batch ${out.batch_reports_per_s} reports/s (target ≥ 200,000; ${BATCH_CLIENTS} clients, server CPU ${out.batch_server_cpu_us_per_report} µs/report on all its threads); server peak RSS ${out.rss_mb} MB`);
  if (out.single_non_2xx > 0 || out.fixed_non_2xx > 0 || out.batch_rejected > 0) console.log(`refused: single ${out.single_non_2xx}, fixed-rate ${out.fixed_non_2xx}, batch lines ${out.batch_rejected}`);
  fs.mkdirSync(path.join(import.meta.dirname, 'results'), { recursive: true });
  fs.writeFileSync(path.join(import.meta.dirname, 'results', 'ingest.json'), `${JSON.stringify(out, null, 2)}\n`);
} finally {
  await stop(server);
  await stop(bare);
}
