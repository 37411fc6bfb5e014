import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/incidents/incident.js';
import type { Store } from '../../src/store/store.js';
import { testDbs } from '../pg.js';
import { deletionBlocker } from './deletion-blocker.js';

const T = Date.parse('2026-03-01T12:00:00Z');

function incident(service: string, id: string, kind?: 'probe'): Incident {
  return {
    id, service, status: 'open', severity: 'major_outage', title: `${service}: outage`, openedAt: T, peak: 50, reports: 300,
    phases: [{ start: T, detectedAt: T, peak: 50 }], breakdown: [], regions: [], updatedAt: T, ...(kind ? { kind } : {}),
  };
}

const state = (service: string) => ({ service, lastMinute: T, status: 'major_outage' as const, detector: { trained: true }, engine: {}, updatedAt: T });
const point = { minute: T, total: 300, expected: 5, upper: 20, score: 1, alarm: true };

async function rowsLeft(store: Store, slug: string): Promise<number> {
  let n = 0;
  for (const table of ['incidents', 'incident_engine_state', 'detector_points']) {
    const row = await store.db.get<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table} WHERE service = ?`, [slug]);
    n += Number(row?.n ?? 0);
  }
  return n;
}

describe.each(testDbs)('writes for a deleted service on $name', (tdb) => {
  let store: Store;
  beforeAll(async () => {
    store = await tdb.open();
  });
  afterAll(async () => {
    await tdb.cleanup(store);
  });

  it('writes nothing for a service that is gone, and says so', async () => {
    await store.services.create({ slug: 'kept', name: 'Kept', url: 'https://kept' }, 'api', T);
    await store.services.create({ slug: 'gone', name: 'Gone', url: 'https://gone' }, 'api', T);
    expect(await store.incidents.save(state('kept'), [incident('kept', 'k1')], [point])).toBe(true);
    expect(await store.services.delete('gone')).toBe(true);
    // A runner's save and a status watcher's probe incident computed before the deletion.
    expect(await store.incidents.save(state('gone'), [incident('gone', 'g1')], [point])).toBe(false);
    expect(await store.incidents.upsert(incident('gone', 'g2', 'probe'))).toBe(false);
    expect(await rowsLeft(store, 'gone')).toBe(0);
    // Made again under the same slug, it starts from nothing.
    await store.services.create({ slug: 'gone', name: 'Gone again', url: 'https://gone' }, 'api', T + 1);
    expect(await store.incidents.loadState('gone')).toBeUndefined();
    expect(await store.incidents.upsert(incident('gone', 'g3', 'probe'))).toBe(true);
    expect([...(await store.incidents.getMany(['k1', 'g1', 'g3', 'none'])).keys()].sort()).toEqual(['g3', 'k1']);
  });

  if (tdb.name === 'postgres') {
    it('a save that comes while the deletion runs waits for it and writes nothing', async () => {
      await store.services.create({ slug: 'racing', name: 'Racing', url: 'https://racing' }, 'api', T);
      // Another session holds the last table the deletion empties, so the deletion stops
      // there: after it has deleted the service's incidents and engine state, before it commits.
      const blocker = await deletionBlocker(store, 'LOCK TABLE forensics_reports IN ACCESS EXCLUSIVE MODE', 'DELETE FROM forensics_reports');
      try {
        await blocker.hold();
        const deleting = store.services.delete('racing');
        expect(await blocker.waiting(1)).toBe(true);
        const saving = store.incidents.save(state('racing'), [incident('racing', 'r1')], [point]);
        const upserting = store.incidents.upsert(incident('racing', 'r2', 'probe'));
        // Both wait for the service's row, which the deletion holds (without the lock they
        // would have committed by now, under a slug about to disappear).
        expect(await blocker.waiting(3)).toBe(true);
        await blocker.release();
        expect(await deleting).toBe(true);
        expect(await saving).toBe(false);
        expect(await upserting).toBe(false);
        expect(await rowsLeft(store, 'racing')).toBe(0);
      } finally {
        await blocker.end();
      }
    });
  }
});
