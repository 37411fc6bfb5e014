// `npm run bench:alerts`: what alerting and correlation cost, each against a peer measured in
// the same run (the machine is shared and noisy; ratios travel better than absolutes).
//  1. Deliveries: N incident notices through the dispatcher (rules, dedupe, store records,
//     HMAC) to a loopback webhook sink, against N raw signed fetch POSTs of the same body.
//  2. Correlation: one recomputation of a service (store reads + pure verdict) with C checks
//     × L locations and an hour of older history, against the pure verdict alone on the
//     same recent results.
// Writes bench/results/alerts.json.
import Value from 'typebox/value';
import { signPayload, webhookBody } from '../src/alerts/channels/webhook.js';
import { resolveAlertsSection } from '../src/alerts/config.js';
import { buildAlertMessage } from '../src/alerts/message.js';
import { setupAlerts } from '../src/alerts/setup.js';
import { correlateIncident } from '../src/correlate/correlation.js';
import { locationStates } from '../src/correlate/location-states.js';
import { MemoryBus } from '../src/events/bus.js';
import { CheckDefinition } from '../src/probes/check.js';
import type { ProbeResult } from '../src/probes/result.js';
import { openStore } from '../src/store/open.js';
import { systemClock } from '../src/time/clock.js';
import { startHttpSink } from '../test/alerts/sinks.js';
import { resultsPath, writeResults } from './results-file.js';

const N = Number(process.env.BENCH_DELIVERIES ?? 500);
const CHECKS = 20;
const LOCATIONS = 50;
/** Results per check and location older than the freshness window. */
const HISTORY = 60;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function deliveries(): Promise<{ dispatcherMs: number; rawMs: number }> {
  const sink = await startHttpSink();
  const store = await openStore('sqlite::memory:');
  const bus = new MemoryBus();
  const config = resolveAlertsSection({
    channels: [{ name: 'hook', type: 'webhook', url: sink.url, secret: 'bench-secret-key' }],
    rules: [{ service: '*', on: ['open'], channels: ['hook'], minLocations: 2 }],
  });
  const { dispatcher } = setupAlerts({ bus, clock: systemClock, repo: store.alerts, probes: store.probes, config, tickMs: 0 });
  let t = performance.now();
  for (let i = 0; i < N; i++) void dispatcher.notifyIncident({ kind: 'opened', incidentId: `i${i}`, service: 'svc', at: Date.now() });
  await dispatcher.idle();
  const dispatcherMs = performance.now() - t;
  const delivered = (await store.alerts.listDeliveries({ status: 'delivered', limit: 1000 })).length;
  if (delivered !== N) throw new Error(`expected ${N} deliveries, got ${delivered}`);

  t = performance.now();
  await Promise.all(
    Array.from({ length: N }, async (_, i) => {
      const m = buildAlertMessage({ kind: 'open', service: 'svc', at: Date.now(), repeat: false, publicUrl: config.publicUrl, incidentId: `r${i}` });
      const body = JSON.stringify(webhookBody(m));
      const ts = Math.floor(Date.now() / 1000);
      const res = await fetch(sink.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-stormwatch-timestamp': String(ts), 'x-stormwatch-signature': signPayload('bench-secret-key', ts, body) }, body });
      await res.text();
    }),
  );
  const rawMs = performance.now() - t;
  await store.close();
  await sink.close();
  return { dispatcherMs, rawMs };
}

async function correlation(): Promise<{ recomputeMs: number; pureMs: number }> {
  const store = await openStore('sqlite::memory:');
  const bus = new MemoryBus();
  const { correlator } = setupAlerts({ bus, clock: systemClock, repo: store.alerts, probes: store.probes, config: resolveAlertsSection({}), tickMs: 0 });
  await correlator.start();
  const now = Date.now();
  const results: ProbeResult[] = [];
  const checkIds: string[] = [];
  for (let c = 0; c < CHECKS; c++) {
    const def = Value.Default(CheckDefinition, { name: `c${c}`, service: 'svc', type: 'http', target: 'http://127.0.0.1:9/' }) as CheckDefinition;
    const id = (await store.probes.createCheck(def, 'api', now)).id;
    checkIds.push(id);
    for (let l = 0; l < LOCATIONS; l++) {
      for (let k = 0; k < 5; k++) {
        const ok = l % 3 !== 0;
        results.push({ id: `${c}-${l}-${k}`, checkId: id, location: `loc-${l}`, at: now - k * 30_000, ok, errorClass: ok ? 'ok' : 'timeout', latencyMs: 10, detail: '' });
      }
      // Older history the recomputation must not pay for.
      for (let k = 0; k < HISTORY; k++) {
        results.push({ id: `${c}-${l}-h${k}`, checkId: id, location: `loc-${l}`, at: now - 3_600_000 - k * 60_000, ok: true, errorClass: 'ok', latencyMs: 10, detail: '' });
      }
    }
  }
  await store.probes.insertResults(results);
  bus.publish('incident.changed', { kind: 'opened', incidentId: 'inc', service: 'svc', at: now });
  await correlator.idle();
  const times: number[] = [];
  for (let i = 0; i < RUNS * 4; i++) {
    const t = performance.now();
    bus.publish('probe.results', [{ checkId: checkIds[i % CHECKS], location: 'loc-1', ok: true, at: now }]);
    await correlator.idle();
    times.push(performance.now() - t);
  }
  const samples = results.filter((r) => r.at >= now - 300_000).map((r) => ({ checkId: r.checkId, location: r.location, at: r.at, ok: r.ok, errorClass: r.errorClass }));
  const pure: number[] = [];
  for (let i = 0; i < RUNS * 4; i++) {
    const t = performance.now();
    correlateIncident({ crowdSpike: true, locations: locationStates(samples, now - 600_000, Infinity), minFailingLocations: 2 });
    pure.push(performance.now() - t);
  }
  const c = await store.alerts.getCorrelation('inc');
  if (c?.confidence !== 'confirmed' || c.failingLocations !== Math.ceil(LOCATIONS / 3)) throw new Error(`unexpected correlation ${JSON.stringify(c)}`);
  await correlator.stop();
  await store.close();
  return { recomputeMs: median(times), pureMs: median(pure) };
}

const d: { dispatcherMs: number; rawMs: number }[] = [];
const c: { recomputeMs: number; pureMs: number }[] = [];
for (let i = 0; i < RUNS; i++) {
  d.push(await deliveries());
  c.push(await correlation());
}
const dispatcherMs = median(d.map((x) => x.dispatcherMs));
const rawMs = median(d.map((x) => x.rawMs));
const recomputeMs = median(c.map((x) => x.recomputeMs));
const pureMs = median(c.map((x) => x.pureMs));
const rows = [
  { measure: `${N} webhook deliveries via dispatcher (ms)`, value: dispatcherMs, peer: `raw signed fetch: ${rawMs.toFixed(1)} ms`, ratio: dispatcherMs / rawMs },
  { measure: 'deliveries per second via dispatcher', value: (N / dispatcherMs) * 1000, peer: `raw: ${((N / rawMs) * 1000).toFixed(0)}/s`, ratio: rawMs / dispatcherMs },
  { measure: `correlation recompute, ${CHECKS} checks x ${LOCATIONS} locations, ${CHECKS * LOCATIONS * (HISTORY + 5)} results stored (ms)`, value: recomputeMs, peer: `pure verdict: ${pureMs.toFixed(3)} ms`, ratio: recomputeMs / pureMs },
];
console.table(rows.map((r) => ({ ...r, value: Number(r.value.toFixed(2)), ratio: Number(r.ratio.toFixed(2)) })));
const out = resultsPath('alerts');
writeResults(out, { at: new Date().toISOString(), runs: RUNS, deliveries: N, checks: CHECKS, locations: LOCATIONS, history: HISTORY, rows, raw: { d, c } });
console.log(`wrote ${out}`);
