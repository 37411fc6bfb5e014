import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FencedDb } from '../../src/cluster/fenced-db.js';
import { fencedStore } from '../../src/cluster/fenced-store.js';
import { LeaseManager } from '../../src/cluster/lease-manager.js';
import { LeaseLostError, LeaseTable } from '../../src/cluster/lease-table.js';
import { ownerOf } from '../../src/cluster/rendezvous.js';
import type { Store } from '../../src/store/store.js';
import { testDbs } from '../pg.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('rendezvous hashing', () => {
  it('every node computes the same owner, the keys spread, and only the leaving node\'s keys move', () => {
    const nodes = ['a', 'b', 'c'];
    const keys = Array.from({ length: 300 }, (_, i) => `incidents:svc-${i}`);
    const owners = keys.map((k) => ownerOf(k, nodes));
    expect(keys.map((k) => ownerOf(k, [...nodes].reverse()))).toEqual(owners);
    for (const n of nodes) expect(owners.filter((o) => o === n).length).toBeGreaterThan(60);
    const without = keys.map((k) => ownerOf(k, ['a', 'c']));
    keys.forEach((_, i) => {
      if (owners[i] !== 'b') expect(without[i]).toBe(owners[i]);
    });
  });
});

for (const tdb of testDbs) {
  describe(`leases and fencing (${tdb.name})`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await tdb.open();
    });
    afterEach(async () => {
      await tdb.cleanup(store);
    });

    it('a lease is held by one node at a time; a takeover bumps the epoch and the old holder can no longer write', async () => {
      const a = new LeaseTable(store.db, 'a', 300);
      const b = new LeaseTable(store.db, 'b', 300);
      const [fa] = await a.acquire(['alerts']);
      expect(fa).toMatchObject({ name: 'alerts', holder: 'a' });
      expect(await b.acquire(['alerts'])).toEqual([]);
      const asA = fencedStore(store, fa);
      // Probe-only events are stored for services only (alert-repository.ts).
      await store.services.create({ slug: 's', name: 'S', url: 'https://s.example' }, 'api', 1);
      await asA.alerts.saveProbeEvent({ id: 'p1', service: 's', startedAt: 1, failingLocations: 1, totalLocations: 2, errorClasses: [], cause: 'c', updatedAt: 1 });

      // a stops renewing (a pause, a partition): once expired, b takes over.
      await sleep(400);
      const [fb] = await b.acquire(['alerts']);
      expect(fb.epoch).toBe(fa.epoch + 1);
      await expect(asA.alerts.saveProbeEvent({ id: 'p2', service: 's', startedAt: 2, failingLocations: 1, totalLocations: 2, errorClasses: [], cause: 'c', updatedAt: 2 })).rejects.toBeInstanceOf(LeaseLostError);
      await expect(new FencedDb(store.db, fa).run("UPDATE probe_events SET cause = 'stale' WHERE id = 'p1'")).rejects.toBeInstanceOf(LeaseLostError);
      expect((await store.alerts.listProbeEvents()).map((e) => [e.id, e.cause])).toEqual([['p1', 'c']]);
      await fencedStore(store, fb).alerts.saveProbeEvent({ id: 'p3', service: 's', startedAt: 3, failingLocations: 1, totalLocations: 2, errorClasses: [], cause: 'c', updatedAt: 3 });
      // The renewal tells a what it still holds: nothing.
      expect(await a.heartbeat()).toEqual(new Map());
      expect(await b.heartbeat()).toEqual(new Map([['alerts', fb.epoch]]));
    });

    it('managers on two nodes split the leases and hand them over when a node leaves, never two holders at once', async () => {
      const log: string[] = [];
      const claim = (node: string, name: string) => ({
        async gained() {
          log.push(`${node}+${name}`);
        },
        async lost() {
          log.push(`${node}-${name}`);
        },
      });
      const names = Array.from({ length: 12 }, (_, i) => `job${i}`);
      const managers = ['a', 'b'].map((id) => new LeaseManager({ db: store.db, nodeId: id, ttlMs: 1500, renewMs: 100 }));
      managers.forEach((m, i) => {
        for (const n of names) m.register(n, claim(['a', 'b'][i], n));
        m.start();
      });
      const settled = async (): Promise<Map<string, string>> => {
        for (let i = 0; i < 100; i++) {
          const held = await new LeaseTable(store.db, 'x', 1).all();
          const live = held.filter((l) => l.holder !== '' && l.expiresInMs > 0);
          const statuses = managers.map((m) => m.status());
          const both = statuses.every((s) => s.liveNodes.length === 2);
          if (both && live.length === names.length && statuses.reduce((n, s) => n + s.held.length, 0) === names.length) return new Map(live.map((l) => [l.name, l.holder]));
          await sleep(100);
        }
        throw new Error('leases did not settle');
      };
      const split = await settled();
      for (const [name, holder] of split) expect(holder).toBe(ownerOf(name, ['a', 'b']));
      expect(new Set(split.values())).toEqual(new Set(['a', 'b']));

      // b leaves (gives its leases up): a takes every one of them.
      await managers[1].stop();
      for (let i = 0; i < 100 && managers[0].status().held.length < names.length; i++) await sleep(100);
      expect(managers[0].status().held.map((h) => h.name).sort()).toEqual([...names].sort());
      await managers[0].stop();
      // Every lease was started and stopped in pairs, never held twice at once.
      const holding = new Map<string, string>();
      for (const entry of log) {
        const [node, name] = entry.split(/[+-]/);
        if (entry.includes('+')) {
          expect(holding.has(name), `${name} taken by ${node} while ${holding.get(name)} held it`).toBe(false);
          holding.set(name, node);
        } else holding.delete(name);
      }
      expect(holding.size).toBe(0);
    });
  });
}
