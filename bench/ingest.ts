// `npm run bench:ingest`: crowd-report ingest against the real server on loopback, with a
// bare Fastify route as the peer measured in the same run. Writes bench/results/ingest.json.
// BENCH_BASELINES=/dir/a,/dir/b adds the servers of other checkouts of this repository (each
// with its node_modules; `git worktree add /dir/a <commit>`), measured interleaved with this
// one in the same run, and writes bench/results/ingest-baselines.json with the ratios.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import autocannon from 'autocannon';
import { resultsPath, writeResults } from './results-file.js';

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

const REPO = path.resolve(import.meta.dirname, '..');
/** Node options for the servers, e.g. BENCH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to see where their time goes. */
const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);

/** Starts `bench/ingest-server.ts` of the checkout at `root` (this one by default). */
async function spawnServer(args: string[], root = REPO): Promise<Child> {
  const proc = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(root, 'bench', 'ingest-server.ts'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: proc.stdout! });
  for await (const line of lines) {
    if (line.startsWith('{')) return { proc, url: (JSON.parse(line) as { url: string }).url };
  }
  throw new Error('server child exited before printing its URL');
}

/** The commit a checkout is at, short, with `+dirty` when it has uncommitted changes. */
function commitOf(root: string): string {
  const head = execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  const dirty = execFileSync('git', ['-C', root, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim() !== '';
  return dirty ? `${head}+dirty` : head;
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


type Timed = { result: Result; cpuUsPerReq: number };
type Batch = Awaited<ReturnType<typeof batchIngest>>;

interface Subject {
  label: string;
  root: string;
  child: Child;
  singles: Timed[];
  batches: Batch[];
  fixed?: Result;
}

const best = (rs: Timed[]): Result => rs.map((r) => r.result).reduce((a, b) => (b.requests.average > a.requests.average ? b : a));
const leastCpu = (rs: { cpuUsPerReq: number }[]): number => Math.min(...rs.map((r) => r.cpuUsPerReq));
const round2 = (n: number): number => Math.round(n * 100) / 100;

const baselineRoots = (process.env.BENCH_BASELINES ?? '').split(',').map((d) => d.trim()).filter(Boolean).map((d) => path.resolve(d));
const bare = await spawnServer(['--bare']);
const subjects: Subject[] = [];
try {
  for (const root of [REPO, ...baselineRoots]) {
    subjects.push({ label: root === REPO ? `this (${commitOf(root)})` : commitOf(root), root, child: await spawnServer([], root), singles: [], batches: [] });
  }
  // Warm every server up (JIT, SQLite page cache) before measuring.
  await singleReports(bare.url, { duration: 2 });
  for (const s of subjects) await singleReports(s.child.url, { duration: 2 });

  // The peer gets exactly the same requests (same client cost); interleaved runs, best of
  // each, since the machine is shared and noisy. With baselines, the order of the servers
  // rotates each round so none always runs right after the peer.
  const bares: Timed[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    bares.push(await withCpu(bare.proc.pid!, () => singleReports(bare.url)));
    for (let k = 0; k < subjects.length; k++) {
      const s = subjects[(i + k) % subjects.length];
      s.singles.push(await withCpu(s.child.proc.pid!, () => singleReports(s.child.url)));
    }
  }
  for (const s of subjects) s.fixed = await singleReports(s.child.url, { overallRate: 5000, connections: 100 });
  // With baselines, batch phases in rounds too (BENCH_BATCH_ROUNDS, default 2); one without.
  const batchRounds = baselineRoots.length > 0 ? Number(process.env.BENCH_BATCH_ROUNDS ?? 2) : 1;
  for (let i = 0; i < batchRounds; i++) {
    for (let k = 0; k < subjects.length; k++) {
      const s = subjects[(i + k) % subjects.length];
      s.batches.push(await batchIngest(s.child.url, s.child.proc.pid!));
    }
  }

  const bareResult = best(bares);
  const cpuBare = leastCpu(bares);
  const figures = subjects.map((s) => {
    const single = best(s.singles);
    const cpuSingle = leastCpu(s.singles);
    const fixed = s.fixed!;
    const batch = s.batches.reduce((a, b) => (b.reports / b.seconds > a.reports / a.seconds ? b : a));
    return {
      commit: s.label,
      single_rps: Math.round(single.requests.average),
      bare_rps: Math.round(bareResult.requests.average),
      ratio: round2(single.requests.average / bareResult.requests.average),
      server_cpu_us_per_req: cpuSingle,
      bare_cpu_us_per_req: cpuBare,
      cpu_ratio: round2(cpuBare / cpuSingle),
      p50_ms: single.latency.p50,
      p99_ms: single.latency.p99,
      single_non_2xx: s.singles.reduce((n, r) => n + r.result.non2xx, 0),
      p99_ms_at_5000rps: fixed.latency.p99,
      p50_ms_at_5000rps: fixed.latency.p50,
      rps_at_5000rps: Math.round(fixed.requests.average),
      fixed_non_2xx: fixed.non2xx,
      batch_reports_per_s: Math.round(batch.reports / batch.seconds),
      batch_reports: batch.reports,
      batch_rejected: s.batches.reduce((n, b) => n + b.rejected, 0),
      batch_clients: BATCH_CLIENTS,
      batch_server_cpu_us_per_report: Math.min(...s.batches.map((b) => b.cpuUsPerReport)),
      rss_mb: peakRssMb(s.child.proc.pid!),
      connections: CONNECTIONS,
      duration_s: DURATION_S,
      rounds: ROUNDS,
      node: process.version,
      at: new Date().toISOString(),
    };
  });
  const [out] = figures;
  const bareP50 = bareResult.latency.p50;
  const bareP99 = bareResult.latency.p99;
  for (const f of figures) {
    console.log(`\nserver ${f.commit}`);
    console.table({
      'single report POST': { 'req/s': f.single_rps, 'p50 ms': f.p50_ms, 'p99 ms': f.p99_ms },
      'bare Fastify 204 (peer)': { 'req/s': f.bare_rps, 'p50 ms': bareP50, 'p99 ms': bareP99 },
      'single at 5,000 req/s': { 'req/s': f.rps_at_5000rps, 'p50 ms': f.p50_ms_at_5000rps, 'p99 ms': f.p99_ms_at_5000rps },
    });
    console.log(`server CPU per request: report ${f.server_cpu_us_per_req} µs, bare ${f.bare_cpu_us_per_req} µs (ratio ${f.cpu_ratio}: the throughput ratio on an idle core)`);
    console.log(`ratio single/bare ${f.ratio} (target ≥ 0.5); batch ${f.batch_reports_per_s} reports/s (target ≥ 200,000; ${BATCH_CLIENTS} clients, server CPU ${f.batch_server_cpu_us_per_report} µs/report on all its threads); server peak RSS ${f.rss_mb} MB`);
    if (f.single_non_2xx > 0 || f.fixed_non_2xx > 0 || f.batch_rejected > 0) console.log(`refused: single ${f.single_non_2xx}, fixed-rate ${f.fixed_non_2xx}, batch lines ${f.batch_rejected}`);
  }
  const { commit: _commit, rounds: _rounds, p50_ms_at_5000rps: _p50, ...single } = out;
  writeResults(resultsPath('ingest'), single);
  if (figures.length > 1) {
    // This server against each baseline: above 1 is better for throughput, below 1 for cost.
    // Best against best, and the median of the ratios of each round's back-to-back runs,
    // which a machine whose load drifts between rounds disturbs least.
    const [self] = subjects;
    const median = (xs: number[]): number => {
      const v = [...xs].sort((a, b) => a - b);
      return round2(v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2);
    };
    const perRound = <T>(a: T[], b: T[], f: (x: T) => number): number[] => a.map((x, i) => round2(f(x) / f(b[i])));
    const vs = figures.slice(1).map((b, k) => {
      const base = subjects[k + 1];
      const rps = perRound(self.singles, base.singles, (r) => r.result.requests.average);
      const cpu = perRound(self.singles, base.singles, (r) => r.cpuUsPerReq);
      const batchRate = perRound(self.batches, base.batches, (r) => r.reports / r.seconds);
      const batchCpu = perRound(self.batches, base.batches, (r) => r.cpuUsPerReport);
      return {
        baseline: b.commit,
        single_rps: round2(out.single_rps / b.single_rps),
        ratio_to_bare: round2(out.ratio / b.ratio),
        server_cpu_us_per_req: round2(out.server_cpu_us_per_req / b.server_cpu_us_per_req),
        p99_ms_at_5000rps: round2(out.p99_ms_at_5000rps / b.p99_ms_at_5000rps),
        batch_reports_per_s: round2(out.batch_reports_per_s / b.batch_reports_per_s),
        batch_server_cpu_us_per_report: round2(out.batch_server_cpu_us_per_report / b.batch_server_cpu_us_per_report),
        paired_single_rps_median: median(rps),
        paired_single_cpu_median: median(cpu),
        paired_batch_rps_median: median(batchRate),
        paired_batch_cpu_median: median(batchCpu),
        paired_rounds: { single_rps: rps, single_cpu: cpu, batch_rps: batchRate, batch_cpu: batchCpu },
      };
    });
    console.log('\nthis server / baseline (throughput: > 1 is faster; CPU and p99: < 1 is cheaper; paired: median over rounds of back-to-back runs)');
    console.table(Object.fromEntries(vs.map(({ baseline, paired_rounds: _r, ...r }) => [baseline, r])));
    for (const v of vs) console.log(`${v.baseline} per round: ${JSON.stringify(v.paired_rounds)}`);
    writeResults(resultsPath('ingest-baselines'), { servers: figures, this_over_baseline: vs });
  }
} finally {
  for (const s of subjects) await stop(s.child);
  await stop(bare);
}
