// `npm run bench:incidents`: the incident engine's cost over the detector it runs on, and
// the live runner's throughput over a real store. Peers, measured in the same run:
//   - engine: the detector alone over the same minutes (the engine's overhead is the ratio);
//   - runner: reading the same rollups from the same store without processing them.
// Plus the end-to-end backfill: the X outage imported over HTTP (scale BENCH_SCALE) and the
// time from the last batch to the incident being closed in the API.
// Writes bench/results/incidents.json.
import { createDetector } from '../src/detect/detector.js';
import { MemoryBus } from '../src/events/bus.js';
import { initialEngineState } from '../src/incidents/engine.js';
import { processMinutes } from '../src/incidents/process-minutes.js';
import { denseMinutes, IncidentRunner } from '../src/incidents/runner.js';
import { storeMinuteSource } from '../src/incidents/store-minute-source.js';
import { importScenario } from '../src/simulate/import-reports.js';
import { xOutage } from '../src/simulate/x-outage.js';
import { openStore } from '../src/store/open.js';
import { ManualClock } from '../src/time/clock.js';
import { ADMIN, liveServer } from '../test/scenarios/live-server.js';
import { resultsPath, writeResults } from './results-file.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SCALE = Number(process.env.BENCH_SCALE ?? 0.1);

const best = (xs: number[]): number => Math.min(...xs);

// ---- 1. engine over detector, in memory ---------------------------------------------------
const cells = [...xOutage.minutes({ scale: 1, seed: 1 })].flat();
const minutes = denseMinutes(cells, xOutage.from, xOutage.to);
const detOnly: number[] = [];
const withEngine: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  let t0 = performance.now();
  const d = createDetector();
  for (const m of minutes) d.update({ t: m.minute, value: m.total });
  detOnly.push(performance.now() - t0);
  t0 = performance.now();
  processMinutes('x', createDetector(), initialEngineState(), minutes);
  withEngine.push(performance.now() - t0);
}
const detectorPerS = Math.round(minutes.length / (best(detOnly) / 1000));
const enginePerS = Math.round(minutes.length / (best(withEngine) / 1000));

// ---- 2. the runner over a real SQLite store -------------------------------------------------
async function runnerRound(): Promise<{ runnerMs: number; readMs: number }> {
  const store = await openStore('sqlite::memory:');
  const svc = await store.services.create(xOutage.service, 'api', 0);
  if (!svc) throw new Error('service not created');
  const deltas = new Map<string, { serviceId: number; minute: number; problem: string; region: string; count: number; sources: number }>();
  for (const c of cells) {
    const key = `${c.minute}|${c.problem}|${c.region}`;
    const d = deltas.get(key);
    if (d) {
      d.count += c.count;
      d.sources += c.count;
    }
    else deltas.set(key, { serviceId: svc.id, minute: c.minute, problem: c.problem, region: c.region, count: c.count, sources: c.count });
  }
  await store.reports.commit([], [...deltas.values()]);
  const source = storeMinuteSource(store.services, store.reports);
  let t0 = performance.now();
  for (let from = xOutage.from; from < xOutage.to; from += 1440 * 60_000) await source.minuteCounts('x', from, from + 1440 * 60_000);
  const readMs = performance.now() - t0;
  const bus = new MemoryBus();
  const clock = new ManualClock(xOutage.to);
  const runner = new IncidentRunner({ bus, clock, repo: store.incidents, source, tickMs: 0 });
  await runner.start();
  t0 = performance.now();
  bus.publish('reports.committed', [{ service: 'x', minute: xOutage.from, count: 1 }, { service: 'x', minute: xOutage.to, count: 1 }]);
  await runner.idle();
  const runnerMs = performance.now() - t0;
  await runner.stop();
  if ((await store.incidents.list({ limit: 5 })).length !== 1) throw new Error('expected one incident');
  await store.close();
  return { runnerMs, readMs };
}
const runnerRuns: { runnerMs: number; readMs: number }[] = [];
for (let r = 0; r < Math.max(2, Math.ceil(ROUNDS / 2)); r++) runnerRuns.push(await runnerRound());
const runnerMs = best(runnerRuns.map((r) => r.runnerMs));
const readMs = best(runnerRuns.map((r) => r.readMs));

// ---- 3. backfill over HTTP, then time to the incident ---------------------------------------
// Peer: the same import without Idempotency-Key (batches join the group commit instead of
// committing alone with their key row), on its own fresh store.
const plainStore = await openStore('sqlite::memory:');
const plainServer = await liveServer(plainStore, xOutage.to);
let t0 = performance.now();
const plain = await importScenario(xOutage, { target: plainServer.url, token: ADMIN, scale: SCALE, seed: 1, idempotent: false });
const plainS = (performance.now() - t0) / 1000;
await plainServer.close();
await plainStore.close();

const store = await openStore('sqlite::memory:');
const server = await liveServer(store, xOutage.to);
t0 = performance.now();
const imported = await importScenario(xOutage, { target: server.url, token: ADMIN, scale: SCALE, seed: 1 });
const importS = (performance.now() - t0) / 1000;
t0 = performance.now();
await server.settle(xOutage.to);
const res = await fetch(`${server.url}/api/v1/services/x/incidents`);
const { incidents } = (await res.json()) as { incidents: { status: string; phases: unknown[] }[] };
const toIncidentMs = performance.now() - t0;
await server.close();
await store.close();
if (incidents.length !== 1 || incidents[0].status !== 'closed') throw new Error('backfill did not give one closed incident');

const result = {
  minutes: minutes.length,
  detector_minutes_per_s: detectorPerS,
  engine_minutes_per_s: enginePerS,
  engine_over_detector: Math.round((enginePerS / detectorPerS) * 100) / 100,
  runner_minutes_per_s: Math.round(minutes.length / (runnerMs / 1000)),
  rollup_read_minutes_per_s: Math.round(minutes.length / (readMs / 1000)),
  runner_over_read: Math.round((readMs / runnerMs) * 100) / 100,
  backfill_scale: SCALE,
  backfill_reports: imported.accepted,
  backfill_requests: imported.requests,
  backfill_reports_per_s: Math.round(imported.accepted / importS),
  backfill_plain_reports_per_s: Math.round(plain.accepted / plainS),
  backfill_keyed_over_plain: Math.round((plain.accepted / plainS > 0 ? imported.accepted / importS / (plain.accepted / plainS) : 0) * 100) / 100,
  backfill_settle_ms: Math.round(toIncidentMs),
  backfill_phases: incidents[0].phases.length,
  rounds: ROUNDS,
  node: process.version,
  at: new Date().toISOString(),
};
console.table([
  { what: 'detector alone (peer)', 'minutes/s': detectorPerS },
  { what: 'detector + incident engine', 'minutes/s': enginePerS, ratio: result.engine_over_detector },
  { what: 'rollup reads only (peer)', 'minutes/s': result.rollup_read_minutes_per_s },
  { what: 'runner: read + detect + engine + save', 'minutes/s': result.runner_minutes_per_s, ratio: result.runner_over_read },
  { what: `backfill over HTTP without Idempotency-Key (peer)`, 'reports/s': result.backfill_plain_reports_per_s },
  { what: `backfill over HTTP, scale ${SCALE}`, 'reports/s': result.backfill_reports_per_s, ratio: result.backfill_keyed_over_plain, note: `${imported.accepted} reports, ${imported.requests} requests; incident closed ${result.backfill_settle_ms} ms after the last batch` },
]);
const out = resultsPath('incidents');
writeResults(out, result);
console.log(`wrote ${out}`);
