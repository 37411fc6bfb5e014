import type { SqlDb, SqlExecutor } from './sql-db.js';

/**
 * The one lock that orders writes about a service against its deletion: the service's row.
 * Its deletion (services-repo.ts) takes it `update` before it deletes what was derived from it
 * (`SLUG_KEYED_TABLES`). Every writer of those tables takes it first in its transaction
(most through `writeForService`, below),
 * `share` (incident-repository.ts: engine state, incidents, detector points; alert-repository.ts:
 * correlations, probe-only events; status-repository.ts; forensics-repository.ts) or `update`
 * (replay-repository.ts, which also orders two replays of one service), and writes nothing
 * when it returns false. So a write either commits before the deletion starts (and goes with
 * the rest) or waits for it and finds no service; one that comes after it finds none either.
 * The lock is taken on PostgreSQL only: SQLite's single connection runs transactions one at a
 * time, and the answer alone is enough there. Returns whether the service exists.
 *
 * A writer for several services in one transaction would have to take their rows in one order
 * (sorted slugs) to avoid deadlocks; none does today (tests:
 * test/incidents/deleted-service-writes.test.ts, deleted-service-derived-writes.test.ts).
 */
export async function holdServiceRow(tx: SqlExecutor, slug: string, mode: 'share' | 'update'): Promise<boolean> {
  const lock = tx.dialect !== 'postgres' ? '' : mode === 'share' ? ' FOR SHARE' : ' FOR UPDATE';
  return (await tx.get<{ one: number }>(`SELECT 1 AS one FROM services WHERE slug = ?${lock}`, [slug])) !== undefined;
}

/**
 * The usual writer's form of it: `write` runs in one transaction that holds the service's row
 * `share`, and only if the service exists. Whether it ran (false: nothing written).
 */
export function writeForService(db: SqlDb, slug: string, write: (tx: SqlExecutor) => Promise<void>): Promise<boolean> {
  return db.transaction(async (tx) => {
    if (!(await holdServiceRow(tx, slug, 'share'))) return false;
    await write(tx);
    return true;
  });
}
