import type { Bus } from '../../src/events/bus.js';
import type { Scenario } from '../../src/simulate/scenario.js';
import type { Store } from '../../src/store/store.js';

/**
 * Writes a scenario's rollups straight into the reports repository, a chunk of minutes per
 * commit, and announces each commit on the bus the way the ingest queue does. The HTTP
 * path is covered by test/scenarios; this one isolates the runner.
 */
export async function feedRollups(store: Store, bus: Bus, scenario: Scenario, opts: { scale: number; seed: number; chunkMinutes: number; from?: number; to?: number }): Promise<void> {
  const svc = await store.services.get(scenario.service.slug);
  if (!svc) throw new Error(`service ${scenario.service.slug} missing`);
  // One delta per (minute, problem, region), as the ingest queue aggregates them.
  let deltas = new Map<string, { serviceId: number; minute: number; problem: string; region: string; count: number; sources: number }>();
  let minutes = new Map<number, number>();
  let n = 0;
  const flush = async (): Promise<void> => {
    if (deltas.size > 0) await store.reports.commit([], [...deltas.values()]);
    if (minutes.size > 0) bus.publish('reports.committed', [...minutes].map(([minute, count]) => ({ service: svc.slug, minute, count })));
    deltas = new Map();
    minutes = new Map();
  };
  let t = scenario.from;
  for (const cells of scenario.minutes({ scale: opts.scale, seed: opts.seed })) {
    const minute = t;
    t += 60_000;
    if ((opts.from !== undefined && minute < opts.from) || (opts.to !== undefined && minute >= opts.to)) continue;
    for (const c of cells) {
      const key = `${c.minute}|${c.problem}|${c.region}`;
      const d = deltas.get(key);
      if (d) {
        d.count += c.count;
        d.sources += c.count;
      }
      else deltas.set(key, { serviceId: svc.id, minute: c.minute, problem: c.problem, region: c.region, count: c.count, sources: c.count });
      minutes.set(c.minute, (minutes.get(c.minute) ?? 0) + c.count);
    }
    if (++n % opts.chunkMinutes === 0) await flush();
  }
  await flush();
}

/**
 * Writes per-minute totals of one service (one problem, one region, every report its own
 * source) a day per commit, and announces each commit on the bus, as ingest does.
 */
export async function feedMinutes(store: Store, bus: Bus, slug: string, minutes: readonly { minute: number; total: number }[]): Promise<void> {
  const svc = await store.services.get(slug);
  if (!svc) throw new Error(`no service ${slug}`);
  for (let i = 0; i < minutes.length; i += 1440) {
    const day = minutes.slice(i, i + 1440).filter((m) => m.total > 0);
    await store.reports.commit([], day.map((m) => ({ serviceId: svc.id, minute: m.minute, problem: 'app', region: 'GB', count: m.total, sources: m.total })));
    bus.publish('reports.committed', day.map((m) => ({ service: slug, minute: m.minute, count: m.total })));
  }
}
