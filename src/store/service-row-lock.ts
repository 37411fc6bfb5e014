import type { SqlExecutor } from './sql-db.js';

/**
 * The one lock that orders writes about a service against its deletion: the service's row.
 * Its deletion (services-repo.ts) takes it `update` before it deletes what was derived from it;
 * writers of derived state take it `share` (incident-repository.ts) or `update` (replays), so a
 * write either commits before the deletion starts or waits for it. On PostgreSQL only: SQLite's
 * single connection runs transactions one at a time. Returns whether the service exists.
 */
export async function holdServiceRow(tx: SqlExecutor, slug: string, mode: 'share' | 'update'): Promise<boolean> {
  const lock = tx.dialect !== 'postgres' ? '' : mode === 'share' ? ' FOR SHARE' : ' FOR UPDATE';
  return (await tx.get<{ one: number }>(`SELECT 1 AS one FROM services WHERE slug = ?${lock}`, [slug])) !== undefined;
}
