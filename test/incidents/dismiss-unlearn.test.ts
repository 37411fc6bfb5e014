import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDetector } from '../../src/detect/detector.js';
import type { EngineState } from '../../src/incidents/engine.js';
import type { IncidentRunner } from '../../src/incidents/runner.js';
import { setupIncidents } from '../../src/incidents/setup.js';
import { feedWithout } from '../../src/incidents/unlearn.js';
import type { Store } from '../../src/store/store.js';
import { auth, createService, harness, type Harness } from '../api/harness.js';
import { testDbs } from '../pg.js';
import { feedMinutes } from './feed.js';

/**
 * Issue 12: "a dismissed incident … the detector's baseline is not taught by it". Two services
 * get the same reports, a false 3-hour surge included; the surge of one is dismissed. The
 * dismissed one's detector is rebuilt without the surge's minutes, and the next day its
 * baseline is that of a detector that never saw the surge, while the other's has learnt it.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const D0 = Date.UTC(2025, 1, 24); // a Monday, two weeks before the harness's clock
const SURGE = { from: D0 + 6 * DAY + 14 * HOUR, to: D0 + 6 * DAY + 17 * HOUR, factor: 5 };

interface Minute { minute: number; total: number }

/** Per-minute report counts with a daily cycle (seeded Poisson), and a surge where asked. */
function reports(from: number, to: number, seed: number, surges: readonly { from: number; to: number; factor: number }[]): { clean: Minute[]; actual: Minute[] } {
  let s = seed;
  const rnd = (): number => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const poisson = (lambda: number): number => {
    const limit = Math.exp(-lambda);
    let k = 0;
    for (let p = rnd(); p > limit; p *= rnd()) k++;
    return k;
  };
  const clean: Minute[] = [];
  const actual: Minute[] = [];
  for (let t = from; t < to; t += MINUTE) {
    const mean = 20 + 15 * Math.sin(((t % DAY) / DAY) * 2 * Math.PI);
    const surge = surges.find((x) => x.from <= t && t < x.to);
    const usual = poisson(mean);
    clean.push({ minute: t, total: usual });
    actual.push({ minute: t, total: surge ? poisson(mean * surge.factor) : usual });
  }
  return { clean, actual };
}

describe.each(testDbs)('a dismissed incident does not teach the baseline ($name)', (tdb) => {
  let store: Store;
  let h: Harness;
  let runner: IncidentRunner;

  const startRunner = async (): Promise<IncidentRunner> => {
    // Minutes complete by event time only: the harness's wall clock is days past the data.
    const r = setupIncidents({ store, bus: h.bus, clock: h.clock, config: { incidents: { tickSeconds: 3600 } } });
    await r.start();
    return r;
  };

  /** Writes the minutes' rollups a day per commit, as ingest does, and lets the engine catch up. */
  const feed = async (slug: string, minutes: readonly Minute[]): Promise<void> => {
    await feedMinutes(store, h.bus, slug, minutes);
    await runner.idle();
  };

  const dismiss = async (id: string): Promise<void> => {
    const res = await h.app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/dismiss`, headers: auth, payload: { reason: 'A TV advert, not an outage.' } });
    expect(res.statusCode, res.body).toBe(200);
  };

  const engine = async (slug: string): Promise<EngineState> => (await store.incidents.loadState(slug))?.engine as EngineState;

  beforeEach(async () => {
    store = await tdb.open();
    h = await harness(store);
    runner = await startRunner();
  });
  afterEach(async () => {
    await runner.stop();
    await h.close();
    await tdb.cleanup(store);
  });

  it('rebuilds the detector without the dismissed minutes: the next day its baseline is the one that never saw them', async () => {
    for (const slug of ['kept', 'gone']) await createService(h.app, slug);
    const week = reports(D0, D0 + 7 * DAY, 42, [SURGE]);
    for (const slug of ['kept', 'gone']) await feed(slug, week.actual);
    const [gone] = await store.incidents.list({ service: 'gone', limit: 5 });
    const [kept] = await store.incidents.list({ service: 'kept', limit: 5 });
    expect(gone).toMatchObject({ status: 'closed' });
    expect(gone.openedAt).toBeGreaterThanOrEqual(SURGE.from);
    expect(gone.openedAt).toBeLessThan(SURGE.from + 10 * MINUTE);
    expect(kept.openedAt).toBe(gone.openedAt);

    await dismiss(gone.id);
    await runner.idle();
    const state = await store.incidents.loadState('gone');
    expect((state?.engine as EngineState).unlearned).toEqual([gone.id]);
    // Exactly a detector fed the whole history with the incident's minutes replaced by what
    // the baseline expected; and the kept service's, learnt live, is exactly the plain replay.
    const processed = week.actual.filter((m) => m.minute <= (state?.lastMinute ?? 0));
    const replay = createDetector();
    feedWithout(replay, processed, [{ from: gone.phases[0].start, to: gone.closedAt ?? 0 }]);
    expect(state?.detector).toEqual(replay.snapshot());
    const plain = createDetector();
    feedWithout(plain, processed, []);
    expect((await store.incidents.loadState('kept'))?.detector).toEqual(plain.snapshot());
    expect((await engine('kept')).unlearned).toBeUndefined();

    // The next day, same reports for both: compare the baselines at the surge's time of day
    // with a detector that saw the same week without the surge.
    const next = reports(D0 + 7 * DAY, D0 + 8 * DAY, 7, []);
    for (const slug of ['kept', 'gone']) await feed(slug, next.actual);
    const from = SURGE.from + DAY;
    const to = SURGE.to + DAY;
    const neverSum = sumExpected([...week.clean, ...next.actual], from, to);
    const pts = async (slug: string): Promise<number> => (await store.incidents.points(slug, from, to)).reduce((s, p) => s + p.expected, 0);
    const keptSum = await pts('kept');
    const goneSum = await pts('gone');
    // With these seeds (the data are deterministic): the dismissed service 0.6 % above the
    // detector that never saw the surge, the kept one 30 % above it.
    expect(Math.abs(goneSum / neverSum - 1)).toBeLessThan(0.01);
    expect(keptSum / neverSum).toBeGreaterThan(1.25);
  });

  it('an incident dismissed while open runs its course, is unlearnt when it closes, and is never reopened', async () => {
    for (const slug of ['kept', 'gone']) await createService(h.app, slug);
    // A second surge two hours after the first ends, within the 4-hour merge window (the
    // evening is quieter, hence the larger factor).
    const second = { from: SURGE.to + 2 * HOUR, to: SURGE.to + 3 * HOUR, factor: 12 };
    const { actual } = reports(D0, D0 + 7 * DAY, 3, [SURGE, second]);
    const cut = SURGE.from + HOUR;
    for (const slug of ['kept', 'gone']) await feed(slug, actual.filter((m) => m.minute < cut));
    const [open] = await store.incidents.list({ service: 'gone', limit: 5 });
    expect(open).toMatchObject({ status: 'open' });

    await dismiss(open.id);
    await runner.idle();
    // Still open: the detector is left alone until the surge is over, so it stays one incident.
    expect((await engine('gone')).tracked).toMatchObject({ id: open.id, dismissed: true });
    expect((await engine('gone')).unlearned ?? []).toEqual([]);

    for (const slug of ['kept', 'gone']) await feed(slug, actual.filter((m) => m.minute >= cut));
    const gone = await store.incidents.list({ service: 'gone', limit: 5 });
    const first = gone.find((i) => i.id === open.id);
    expect(first).toMatchObject({ status: 'closed', phases: [expect.anything()] });
    expect(first?.closedAt).toBeLessThan(second.from);
    expect((await engine('gone')).unlearned).toEqual([open.id]);
    // The second surge is an incident of its own, not a new wave of the dismissed one.
    const after = gone.filter((i) => i.id !== open.id);
    expect(after).toHaveLength(1);
    expect(after[0].openedAt).toBeGreaterThanOrEqual(second.from);
    expect(after[0].openedAt).toBeLessThan(second.from + 10 * MINUTE);
    // Without the dismissal the second surge reopens the first incident as its second wave.
    const kept = await store.incidents.list({ service: 'kept', limit: 5 });
    expect(kept).toHaveLength(1);
    expect(kept[0].phases).toHaveLength(2);
  });

  it('a dismissal made while no runner listened is applied when the state is next loaded', async () => {
    await createService(h.app, 'gone');
    const { actual } = reports(D0, D0 + 8 * DAY, 5, [SURGE]);
    await feed('gone', actual.filter((m) => m.minute < D0 + 7 * DAY));
    const [inc] = await store.incidents.list({ service: 'gone', limit: 5 });
    await runner.stop();
    await dismiss(inc.id); // the event is published, nobody hears it
    expect((await engine('gone')).unlearned).toBeUndefined();

    runner = await startRunner();
    await feed('gone', actual.filter((m) => m.minute >= D0 + 7 * DAY));
    const state = await store.incidents.loadState('gone');
    expect((state?.engine as EngineState).unlearned).toEqual([inc.id]);
    expect(state?.lastMinute).toBeGreaterThan(D0 + 7 * DAY + 23 * HOUR);
    // Rebuilt on load, then the next day learnt on top: the same as a replay that masks it.
    const replay = createDetector();
    feedWithout(replay, actual.filter((m) => m.minute <= (state?.lastMinute ?? 0)), [{ from: inc.phases[0].start, to: inc.closedAt ?? 0 }]);
    expect(state?.detector).toEqual(replay.snapshot());
  });
});

/** The sum of `expected` over [from, to) of a fresh detector fed `minutes`. */
function sumExpected(minutes: readonly Minute[], from: number, to: number): number {
  const d = createDetector();
  let sum = 0;
  for (const m of minutes) {
    const out = d.update({ t: m.minute, value: m.total });
    if (m.minute >= from && m.minute < to) sum += out.expected;
  }
  return sum;
}
