import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryBus, type BusEvents } from '../../src/events/bus.js';
import type { StatusService } from '../../src/status/status-service.js';
import { StatusWatcher } from '../../src/status/status-watcher.js';
import { SLUG_KEYED_TABLES } from '../../src/store/services-repo.js';
import type { Store } from '../../src/store/store.js';
import { ManualClock } from '../../src/time/clock.js';
import { testDbs } from '../pg.js';
import { deletionBlocker } from './deletion-blocker.js';

/**
 * The writers of a service's derived rows other than the incident engine's
 * (deleted-service-writes.test.ts covers incidents, engine state and detector points): each
 * holds the service's row (service-row-lock.ts), so a write that comes after the service's
 * deletion, or while it runs, writes nothing, and a service made again under the same slug
 * inherits nothing.
 */

const T = Date.parse('2026-03-01T12:00:00Z');
const H = 3_600_000;

interface Writer {
  name: string;
  table: (typeof SLUG_KEYED_TABLES)[number];
  /** Whether it wrote. */
  write(store: Store, slug: string): Promise<boolean>;
}

const writers: Writer[] = [
  {
    name: "the correlator's incident correlation",
    table: 'incident_correlations',
    write: (store, slug) =>
      store.alerts.saveCorrelation({
        incidentId: `${slug}-inc`, service: slug, open: true, openedAt: T, confidence: 'confirmed', cause: 'c', failingLocations: 3, totalLocations: 4,
        errorClasses: [{ errorClass: 'dns', locations: 3 }], updatedAt: T,
      }),
  },
  {
    name: "the correlator's probe-only event",
    table: 'probe_events',
    write: (store, slug) =>
      store.alerts.saveProbeEvent({ id: `${slug}-probe`, service: slug, startedAt: T, failingLocations: 3, totalLocations: 4, errorClasses: [], cause: 'c', updatedAt: T }),
  },
  {
    name: "the status watcher's published status",
    table: 'service_status',
    write: (store, slug) => store.status.save({ service: slug, status: 'major_outage', reasons: [], since: T, updatedAt: T }),
  },
  {
    name: 'a forensics report',
    table: 'forensics_reports',
    write: async (store, slug) => (await store.forensics.add(slug, { attacks: [], lines: 1, bad_lines: 0 }, 0, null, null, T)) !== undefined,
  },
  {
    name: 'a scenario replay',
    table: 'scenario_replays',
    write: async (store, slug) =>
      (await store.replays.record({ service: slug, scenario: 'x-outage', seed: 1, scale: 1, from: T, to: T + H, append: false }, T)).kind !== 'gone',
  },
];

async function rowsOf(store: Store, slug: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of SLUG_KEYED_TABLES) {
    const n = Number((await store.db.get<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table} WHERE service = ?`, [slug]))?.n ?? 0);
    if (n > 0) out[table] = n;
  }
  return out;
}

const create = (store: Store, slug: string, at = T) => store.services.create({ slug, name: slug, url: `https://${slug}.example` }, 'api', at);

describe.each(testDbs)('derived writes for a deleted service on $name', (tdb) => {
  let store: Store;
  beforeAll(async () => {
    store = await tdb.open();
  });
  afterAll(async () => {
    await tdb.cleanup(store);
  });

  it.each(writers.map((w, i) => ({ ...w, slug: `after-${i}` })))('$name: written while the service exists, nothing after its deletion', async (w) => {
    await create(store, w.slug);
    expect(await w.write(store, w.slug)).toBe(true);
    expect(await rowsOf(store, w.slug)).toEqual({ [w.table]: 1 });
    expect(await store.services.delete(w.slug)).toBe(true);
    // Computed before the deletion (the caller saw the service), written after it.
    expect(await w.write(store, w.slug)).toBe(false);
    expect(await rowsOf(store, w.slug)).toEqual({});
    // Made again under the same slug, it starts from nothing, and is written for again.
    await create(store, w.slug, T + 1);
    expect(await rowsOf(store, w.slug)).toEqual({});
    expect(await w.write(store, w.slug)).toBe(true);
  });

  it.each(writers.map((w, i) => ({ ...w, slug: `never-${i}` })))('$name: nothing for a slug that is no service', async (w) => {
    expect(await w.write(store, w.slug)).toBe(false);
    expect(await rowsOf(store, w.slug)).toEqual({});
  });

  it('the status watcher keeps no status and announces none for a service deleted while it evaluated it', async () => {
    await create(store, 'watched');
    const bus = new MemoryBus();
    const changes: BusEvents['status.changed'][] = [];
    bus.subscribe('status.changed', (e) => changes.push(e));
    const watcher = new StatusWatcher({
      bus, clock: new ManualClock(T), tickMs: 0, services: async () => ['watched'],
      status: { of: async () => ({ status: 'major_outage', reasons: [] }) } as unknown as StatusService,
      incidents: { upsert: (i) => store.incidents.upsert(i), openProbeIncident: async () => undefined },
      published: {
        // The deletion (on another server, say) comes after the watcher saw the service.
        get: async (slug) => {
          await store.services.delete(slug);
          return store.status.get(slug);
        },
        list: () => store.status.list(), save: (p) => store.status.save(p), delete: (slug) => store.status.delete(slug),
      },
    });
    await watcher.start();
    await watcher.stop();
    expect(await store.services.get('watched')).toBeUndefined();
    expect(await rowsOf(store, 'watched')).toEqual({});
    expect(changes).toEqual([]);
  });

  if (tdb.name === 'postgres') {
    it.each(writers.map((w, i) => ({ ...w, slug: `racing-${i}` })))('$name: a write that comes while the deletion runs waits for it and writes nothing', async (w) => {
      await create(store, w.slug);
      // Another session holds the services table in SHARE mode: the deletion takes the
      // service's row (a row lock, which SHARE lets through), empties every derived table,
      // then stops at its last statement, the DELETE of the service, until the blocker ends.
      const blocker = await deletionBlocker(store, 'LOCK TABLE services IN SHARE MODE', 'DELETE FROM services');
      try {
        await blocker.hold();
        const deleting = store.services.delete(w.slug);
        expect(await blocker.waiting(1)).toBe(true);
        const writing = w.write(store, w.slug);
        // The write waits for the service's row, which the deletion holds (without that lock it
        // would have committed by now, after the deletion emptied its table).
        const waited = await blocker.waiting(2);
        await blocker.release();
        expect(await deleting).toBe(true);
        const wrote = await writing;
        expect(await rowsOf(store, w.slug)).toEqual({});
        expect(wrote).toBe(false);
        expect(waited).toBe(true);
        await create(store, w.slug, T + 1);
        expect(await rowsOf(store, w.slug)).toEqual({});
      } finally {
        await blocker.end();
      }
    });
  }
});
