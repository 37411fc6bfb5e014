import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { PG_URL, testDbs } from '../pg.js';

const H = 3_600_000;

for (const tdb of testDbs) {
  describe(`scenario replays recorded per service (${tdb.name})`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await tdb.open();
      await store.services.create({ slug: 'x', name: 'X', url: 'https://x.example' }, 'api', 0);
    });
    afterEach(async () => {
      await tdb.cleanup(store);
    });

    const replay = { service: 'x', scenario: 'x-outage-2025-03-10', seed: 1, scale: 0.5, from: 100 * H, to: 268 * H, append: false };

    it('records a replay once, resumes it, refuses an overlapping one unless appended, and forgets them with the service', async () => {
      const first = await store.replays.record(replay, 5);
      expect(first).toMatchObject({ kind: 'created', replay: { ...replay, createdAt: 5 } });
      if (first.kind === 'gone') throw new Error('the service is there');
      expect(await store.replays.record(replay, 6)).toEqual({ kind: 'resume', replay: first.replay });
      const later = { ...replay, from: replay.from + H / 4, to: replay.to + H / 4 };
      expect(await store.replays.record(later, 7)).toEqual({ kind: 'overlaps', replay: first.replay });
      const appended = await store.replays.record({ ...later, append: true }, 8);
      expect(appended.kind).toBe('created');
      if (appended.kind === 'gone') throw new Error('the service is there');
      expect(await store.replays.list('x')).toEqual([first.replay, appended.replay]);
      expect(await store.replays.list('other')).toEqual([]);
      expect(await store.services.delete('x')).toBe(true);
      expect(await store.replays.list('x')).toEqual([]);
      // A replay recorded after the deletion (its look-up came before it) records nothing.
      expect(await store.replays.record(replay, 9)).toEqual({ kind: 'gone' });
      expect(await store.replays.list('x')).toEqual([]);
    });

    it('of overlapping replays started at once, exactly one is recorded', async () => {
      // On PostgreSQL from separate pools too, as two servers of a cluster would.
      const schema = tdb.name === 'postgres' ? (await store.db.get<{ s: string }>('SELECT current_schema() AS s'))?.s : undefined;
      const others = schema ? await Promise.all([1, 2, 3].map(() => openStore(PG_URL, { pgSchema: schema }))) : [];
      try {
        const stores = [store, ...others];
        const outcomes = await Promise.all(
          Array.from({ length: 8 }, (_, i) => stores[i % stores.length].replays.record({ ...replay, from: replay.from + i * 15 * 60_000, to: replay.to + i * 15 * 60_000 }, i)),
        );
        expect(outcomes.filter((o) => o.kind === 'created')).toHaveLength(1);
        expect(outcomes.filter((o) => o.kind === 'overlaps')).toHaveLength(7);
        expect(await store.replays.list('x')).toHaveLength(1);
      } finally {
        await Promise.all(others.map((o) => o.close()));
      }
    });
  });
}
