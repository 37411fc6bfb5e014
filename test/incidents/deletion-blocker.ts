import pg from 'pg';
import type { Store } from '../../src/store/store.js';
import { PG_URL } from '../pg.js';

/**
 * A second PostgreSQL session that stops a service's deletion midway, for the tests of writes
 * that race it: `hold()` takes `lock` in its own transaction, so the deletion stops at the
 * statement that starts with `stopsAt` (after taking the service's row and emptying what comes
 * before), until `release()` commits. `waiting(n)` polls until n sessions wait on a lock there or
 * on the service's row (holdServiceRow's SELECT); false after about 2 s.
 */
export interface DeletionBlocker {
  hold(): Promise<void>;
  waiting(n: number): Promise<boolean>;
  release(): Promise<void>;
  end(): Promise<void>;
}

export async function deletionBlocker(store: Store, lock: string, stopsAt: string): Promise<DeletionBlocker> {
  const schema = (await store.db.get<{ s: string }>('SELECT current_schema() AS s'))?.s ?? '';
  const blocker = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
  await blocker.connect();
  return {
    async hold() {
      await blocker.query('BEGIN');
      await blocker.query(lock);
    },
    async waiting(n) {
      for (let i = 0; i < 100; i++) {
        // Asked outside the blocker's transaction, which would see one snapshot of the activity.
        const r = await store.db.get<{ n: number | string }>(
          `SELECT COUNT(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()
           AND (query LIKE ? OR query LIKE 'SELECT 1 AS one FROM services%')`,
          [`${stopsAt}%`],
        );
        if (Number(r?.n ?? 0) >= n) return true;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return false;
    },
    async release() {
      await blocker.query('COMMIT');
    },
    async end() {
      await blocker.end();
    },
  };
}
