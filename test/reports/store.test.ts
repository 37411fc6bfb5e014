import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aggregate } from '../../src/reports/ingest-queue.js';
import type { StoredReport } from '../../src/store/reports-repo.js';
import type { Store } from '../../src/store/store.js';
import { testDbs } from '../pg.js';

const T = Date.parse('2025-03-10T12:00:00Z');

describe.each(testDbs)('reports and services store on $name', (db) => {
  let store: Store;
  beforeEach(async () => {
    store = await db.open();
  });
  afterEach(async () => {
    await db.cleanup(store);
  });

  const report = (serviceId: number, ts: number, problem: string, region: string, fingerprint = 'f'): StoredReport => ({ serviceId, ts, problem, region, client: null, fingerprint });
  const commit = (rows: StoredReport[]) => store.reports.commit(rows, aggregate(rows));

  it('adds rollup deltas across commits and answers every read from them', async () => {
    const svc = await store.services.create({ slug: 'x', name: 'X', url: 'https://x' }, 'api', T);
    if (!svc) throw new Error('not created');
    await commit([report(svc.id, T + 1_000, 'app', 'DE', 'a'), report(svc.id, T + 2_000, 'app', 'DE', 'b'), report(svc.id, T + 61_000, 'login', 'US-CA', 'c')]);
    await commit([report(svc.id, T + 3_000, 'app', 'DE', 'd'), report(svc.id, T - 60_000, 'feed', 'unknown', 'e')]);
    expect(await store.reports.minuteCounts(svc.id, T, T + 120_000)).toEqual([
      { minute: T, problem: 'app', region: 'DE', count: 3, sources: 3 },
      { minute: T + 60_000, problem: 'login', region: 'US-CA', count: 1, sources: 1 },
    ]);
    expect(await store.reports.bucketCounts(svc.id, T - 300_000, T + 300_000, 300_000)).toEqual([
      { t: T - 300_000, problem: 'feed', count: 1 },
      { t: T, problem: 'app', count: 3 },
      { t: T, problem: 'login', count: 1 },
    ]);
    expect(await store.reports.problemBreakdown(svc.id, T - 60_000, T + 120_000)).toEqual([
      { problem: 'app', count: 3 },
      { problem: 'feed', count: 1 },
      { problem: 'login', count: 1 },
    ]);
    expect(await store.reports.regionBreakdown(svc.id, T, T + 120_000)).toEqual([
      { region: 'DE', count: 3 },
      { region: 'US-CA', count: 1 },
    ]);
    expect(await store.reports.totalsByService(T - 60_000, T + 120_000)).toEqual(new Map([[svc.id, 5]]));
    expect((await store.reports.recentFingerprints(T + 1_500, 10)).map((r) => r.fingerprint)).toEqual(['c', 'd', 'b']);
    expect(await store.reports.countRaw(svc.id)).toBe(5);
  });

  it('keeps, per rollup row, how many reports came from a source new in the window', async () => {
    const svc = await store.services.create({ slug: 'x', name: 'X', url: 'https://x' }, 'api', T);
    if (!svc) throw new Error('not created');
    const known = (ts: number) => ({ ...report(svc.id, ts, 'app', 'DE'), newSource: false });
    await commit([report(svc.id, T, 'app', 'DE'), known(T + 1), known(T + 2)]);
    await commit([known(T + 3), { ...report(svc.id, T + 4, 'app', 'DE'), newSource: true }]);
    expect(await store.reports.minuteCounts(svc.id, T, T + 60_000)).toEqual([{ minute: T, problem: 'app', region: 'DE', count: 5, sources: 2 }]);
  });

  it('deletes a service with its reports and rollups; upserts config services', async () => {
    const svc = await store.services.create({ slug: 'x', name: 'X', url: 'https://x' }, 'api', T);
    if (!svc) throw new Error('not created');
    expect(await store.services.create({ slug: 'x', name: 'X2', url: 'https://x' }, 'api', T)).toBeUndefined();
    await commit([report(svc.id, T, 'app', 'DE')]);
    expect(await store.services.delete('x')).toBe(true);
    expect(await store.services.delete('x')).toBe(false);
    expect(await store.reports.countRaw()).toBe(0);
    expect(await store.reports.minuteCounts(svc.id, 0, T * 2)).toEqual([]);

    await store.services.upsertMany([{ slug: 'a', name: 'A', url: 'https://a' }, { slug: 'b', name: 'B', url: 'https://b', category: 'social' }], 'config', T);
    await store.services.upsertMany([{ slug: 'a', name: 'A2', url: 'https://a2' }], 'config', T + 1);
    expect((await store.services.list()).map((s) => [s.slug, s.name, s.category])).toEqual([
      ['a', 'A2', undefined],
      ['b', 'B', 'social'],
    ]);
    const patched = await store.services.update('b', { category: null, name: 'Bee' }, T + 2);
    expect(patched).toMatchObject({ name: 'Bee', updatedAt: T + 2 });
    expect(patched?.category).toBeUndefined();
  });

  it('keeps generated secrets', async () => {
    const first = await store.settings.getOrCreateSecret('k');
    expect(first.created).toBe(true);
    expect(await store.settings.getOrCreateSecret('k')).toEqual({ value: first.value, created: false });
  });
});
