// `npm run bench:cluster`: single-report POSTs through one node and through three nodes of a
// cluster (PostgreSQL + NATS JetStream, dedupe and rate limits shared through the database),
// in the same run, with the one-process PostgreSQL server (in-memory dedupe) as the peer that
// prices the shared state. Private PostgreSQL and NATS servers, so that their CPU time is
// ours alone. Writes bench/results/cluster.json.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import autocannon from 'autocannon';
import { api, startCluster, type TestCluster } from '../test/cluster/nodes.js';
import { startPrivateNats, startPrivatePostgres } from '../test/cluster/private-servers.js';
import { resultsPath, writeResults } from './results-file.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 48);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const PROBLEMS = ['app', 'website', 'login', 'feed', 'notifications', 'connection', 'other'];
const TICKS = 100; // USER_HZ on Linux

let ipCounter = 0;
/** A distinct address per request: neither dedupe nor the rate limit refuses (each still claims). */
function nextIp(): string {
  const n = ipCounter++;
  return `${11 + ((n >>> 24) & 0x3f)}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

function load(url: string, connections: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections,
        duration: DURATION_S,
        requests: [
          {
            method: 'POST',
            path: '/api/v1/services/x/reports',
            setupRequest: (req) => ({ ...req, headers: { 'content-type': 'application/json', 'x-forwarded-for': nextIp(), 'user-agent': 'bench' }, body: JSON.stringify({ problem: PROBLEMS[ipCounter % 7] }) }),
          },
        ],
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
}

/** CPU seconds used so far by a process and its children still running. */
function cpuSeconds(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone
    }
  }
  return ticks / TICKS;
}

function childrenOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

async function commitStats(urls: readonly string[]): Promise<{ commits: number; seconds: number; reports: number }> {
  let commits = 0;
  let seconds = 0;
  let reports = 0;
  for (const url of urls) {
    const text = (await api<string>(url, '/metrics')).body;
    const read = (name: string): number => Number(new RegExp(`^${name} ([0-9.e+-]+)$`, 'm').exec(text)?.[1] ?? 0);
    commits += read('stormwatch_ingest_commit_seconds_count');
    seconds += read('stormwatch_ingest_commit_seconds_sum');
    reports += read('stormwatch_ingest_batch_reports_sum');
  }
  return { commits, seconds, reports };
}

interface Phase {
  name: string;
  nodes: number;
  reportsPerS: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  stored: number;
  commitsPerS: number;
  avgCommitMs: number;
  avgCommitSize: number;
  cpu: { nodes: number; postgres: number; nats: number };
}

async function phase(name: string, opts: { nodes: number; clustered: boolean; sharedAbuse?: boolean }, pgUrl: string, pgPid: () => number, natsUrl: string, natsPid: () => number): Promise<Phase> {
  const ids = Array.from({ length: opts.nodes }, (_, i) => `n${i + 1}`);
  const env: Record<string, string> = { STORMWATCH_LOG_LEVEL: 'silent', STORMWATCH_PROBES__LOCAL_AGENT: 'false' };
  if (opts.sharedAbuse === false) env.STORMWATCH_CLUSTER__SHARED_ABUSE_STATE = 'false';
  const cluster: TestCluster = await startCluster({
    ids,
    dbUrl: pgUrl,
    natsUrl,
    config: { server: { host: '127.0.0.1', port: 0, logLevel: 'silent', trustProxy: ['127.0.0.1/32'] }, services: [{ slug: 'x', name: 'X', url: 'https://x.com' }], reports: { ratePerMinute: 1_000_000, rateBurst: 1_000_000, prefixRatePerMinute: 1_000_000, prefixRateBurst: 1_000_000, serviceRatePerMinute: 1_000_000, serviceRateBurst: 1_000_000 } },
    env,
    clustered: opts.clustered,
  });
  try {
    const urls = cluster.nodes.map((n) => n.url);
    // Warm up (JIT, pools, the first statements), then measure.
    await Promise.all(urls.map((u) => load(u, 8).catch(() => undefined)));
    const nodePids = cluster.nodes.map((n) => n.proc.pid as number);
    const pgPids = (): number[] => [pgPid(), ...childrenOf(pgPid())];
    const before = { nodes: cpuSeconds(nodePids), pg: cpuSeconds(pgPids()), nats: cpuSeconds([natsPid()]), commits: await commitStats(urls) };
    const per = Math.max(1, Math.round(CONNECTIONS / urls.length));
    const results = await Promise.all(urls.map((u) => load(u, per)));
    const after = { nodes: cpuSeconds(nodePids), pg: cpuSeconds(pgPids()), nats: cpuSeconds([natsPid()]), commits: await commitStats(urls) };
    const commits = after.commits.commits - before.commits.commits;
    const ok = results.reduce((a, r) => a + r.requests.total! - r.non2xx, 0);
    return {
      name,
      nodes: opts.nodes,
      reportsPerS: Math.round(ok / DURATION_S),
      p50Ms: Math.max(...results.map((r) => r.latency.p50)),
      p99Ms: Math.max(...results.map((r) => r.latency.p99)),
      non2xx: results.reduce((a, r) => a + r.non2xx, 0),
      stored: after.commits.reports - before.commits.reports,
      commitsPerS: Math.round(commits / DURATION_S),
      avgCommitMs: commits > 0 ? +((1000 * (after.commits.seconds - before.commits.seconds)) / commits).toFixed(2) : 0,
      avgCommitSize: commits > 0 ? +((after.commits.reports - before.commits.reports) / commits).toFixed(1) : 0,
      cpu: { nodes: +(after.nodes - before.nodes).toFixed(1), postgres: +(after.pg - before.pg).toFixed(1), nats: +(after.nats - before.nats).toFixed(1) },
    };
  } finally {
    await cluster.cleanup();
  }
}

async function main(): Promise<void> {
  const postgres = await startPrivatePostgres();
  const nats = await startPrivateNats();
  const pgPid = (): number => postgres.pid();
  const natsPid = (): number => nats.pid();
  try {
    const phases: Phase[] = [];
    phases.push(await phase('one process, PostgreSQL, in-memory dedupe (peer)', { nodes: 1, clustered: false }, postgres.url, pgPid, nats.url, natsPid));
    phases.push(await phase('cluster, 1 node, shared dedupe', { nodes: 1, clustered: true }, postgres.url, pgPid, nats.url, natsPid));
    phases.push(await phase('cluster, 3 nodes, shared dedupe', { nodes: 3, clustered: true }, postgres.url, pgPid, nats.url, natsPid));
    const [peer, one, three] = phases;
    console.log(`bench:cluster — ${CONNECTIONS} connections, ${DURATION_S} s per phase, single-report POSTs, distinct reporters (every report claims dedupe and a rate limit)`);
    console.table(
      phases.map((p) => ({
        phase: p.name,
        'reports/s': p.reportsPerS,
        'p50 ms': p.p50Ms,
        'p99 ms': p.p99Ms,
        'non-2xx': p.non2xx,
        'commits/s': p.commitsPerS,
        'commit ms': p.avgCommitMs,
        'reports/commit': p.avgCommitSize,
        'CPU s nodes': p.cpu.nodes,
        'CPU s postgres': p.cpu.postgres,
        'CPU s nats': p.cpu.nats,
      })),
    );
    const out = {
      bench: 'cluster',
      at: new Date().toISOString(),
      connections: CONNECTIONS,
      durationS: DURATION_S,
      cores: (await import('node:os')).cpus().length,
      phases,
      ratios: {
        threeNodesOverOne: +(three.reportsPerS / one.reportsPerS).toFixed(2),
        sharedOverInMemory: +(one.reportsPerS / peer.reportsPerS).toFixed(2),
      },
      note: 'On a 2-core machine three nodes, PostgreSQL and NATS share the same two cores: the goal here is no collapse and correct behaviour, not a speed-up; the scaling figure means something on bigger machines.',
    };
    console.log(`3 nodes / 1 node: ${out.ratios.threeNodesOverOne}; shared dedupe / in-memory (1 node): ${out.ratios.sharedOverInMemory}`);
    console.log(out.note);
    writeResults(resultsPath('cluster'), out);
  } finally {
    await nats.cleanup();
    await postgres.cleanup();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
