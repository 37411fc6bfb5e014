// `npm run bench:limits`: what the per-line limits of issue 15 cost each anonymous report, in
// process. The peer is what every report paid before them: one token from its address's
// bucket. The subject is what it pays now: its network's key, tokens from its address's and
// network's buckets and its network's share of the service, and the distinct-source lookup
// for detection. Both run over the same million client addresses (each on its own /24, as
// in bench:ingest), in alternating rounds, with the default table sizes. Writes
// bench/results/limits.json; relates the added time to the server's CPU per report from
// bench/results/ingest.json.
import fs from 'node:fs';
import path from 'node:path';
import { LimitPolicy } from '../src/reports/limit-policy.js';
import { RateLimiter } from '../src/reports/rate-limit.js';
import { reportsDefaults } from '../src/reports/config.js';
import { SourceWindow } from '../src/reports/source-window.js';
import { resultsPath, writeResults } from './results-file.js';

const N = Number(process.env.BENCH_REPORTS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const c = reportsDefaults();

function nextIps(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${11 + (i & 0x3f)}.${(i >>> 6) & 255}.${(i >>> 14) & 255}.${(i >>> 22) & 255}`);
}
const ips = nextIps(N);

const peer = new RateLimiter(c.ratePerMinute, c.rateBurst, c.maxTrackedClients);
const policy = new LimitPolicy(
  {
    address: new RateLimiter(c.ratePerMinute, c.rateBurst, c.maxTrackedClients),
    prefix: new RateLimiter(c.prefixRatePerMinute, c.prefixRateBurst, c.maxTrackedClients),
    service: new RateLimiter(c.serviceRatePerMinute, c.serviceRateBurst, c.maxTrackedClients),
  },
  { v4: c.prefixLengthV4, v6: c.prefixLengthV6 },
);
const sources = new SourceWindow(c.sourceWindowMinutes * 60_000, c.maxTrackedClients);

/** CPU nanoseconds per report of `fn` over every address, at event time `now`. */
function perReport(fn: (ip: string, now: number) => boolean, now: number): { ns: number; admitted: number } {
  let admitted = 0;
  const before = process.cpuUsage();
  for (let i = 0; i < N; i++) if (fn(ips[i], now + i)) admitted++;
  const used = process.cpuUsage(before);
  return { ns: ((used.user + used.system) * 1000) / N, admitted };
}

const runPeer = (ip: string, now: number): boolean => peer.take(ip, now);
const runPolicy = (ip: string, now: number): boolean => {
  const network = policy.network(ip);
  if (policy.admitSender(ip, network, now) !== null) return false;
  if (policy.admitService(network, 1, now) !== null) {
    policy.refundSender(ip, network, now);
    return false;
  }
  sources.isNew(1, network, now);
  return true;
};

// Warm-up: JIT, and tables filled to their steady state.
perReport(runPeer, 0);
perReport(runPolicy, 0);
const rounds: { peer: number; policy: number }[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const now = (r + 1) * 3_600_000;
  const a = r % 2 === 0 ? perReport(runPeer, now) : undefined;
  const b = perReport(runPolicy, now);
  const p = a ?? perReport(runPeer, now);
  if (p.admitted !== N || b.admitted !== N) throw new Error(`a report was refused (peer ${p.admitted}, policy ${b.admitted} of ${N}): addresses should be distinct`);
  rounds.push({ peer: p.ns, policy: b.ns });
}
const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const peerNs = median(rounds.map((r) => r.peer));
const policyNs = median(rounds.map((r) => r.policy));
const addedNs = median(rounds.map((r) => r.policy - r.peer));
const ingestFile = path.join(import.meta.dirname, 'results', 'ingest.json');
const serverUs = fs.existsSync(ingestFile) ? (JSON.parse(fs.readFileSync(ingestFile, 'utf8')) as { server_cpu_us_per_req?: number }).server_cpu_us_per_req : undefined;

const out = {
  reports: N,
  rounds: ROUNDS,
  peer_ns_per_report: Math.round(peerNs),
  policy_ns_per_report: Math.round(policyNs),
  added_ns_per_report: Math.round(addedNs),
  ratio: Math.round((policyNs / peerNs) * 100) / 100,
  per_round: rounds.map((r) => ({ peer: Math.round(r.peer), policy: Math.round(r.policy) })),
  server_cpu_us_per_req_from_ingest: serverUs ?? null,
  added_share_of_server_cpu: serverUs ? Math.round((addedNs / 1000 / serverUs) * 1000) / 1000 : null,
  node: process.version,
  at: new Date().toISOString(),
};
console.table({
  'before: address bucket only (peer)': { 'ns/report': out.peer_ns_per_report },
  'now: address, network, network+service, sources': { 'ns/report': out.policy_ns_per_report },
  'added (median of rounds)': { 'ns/report': out.added_ns_per_report },
});
if (serverUs) console.log(`added ${(addedNs / 1000).toFixed(2)} µs per report = ${(out.added_share_of_server_cpu! * 100).toFixed(1)}% of the server's ${serverUs} µs CPU per single report (bench/results/ingest.json)`);
writeResults(resultsPath('limits'), out);
