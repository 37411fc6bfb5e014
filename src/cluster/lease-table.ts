import type { SqlDb, SqlExecutor } from '../store/sql-db.js';

/** A lease this node holds: its name and the epoch (fencing token) it was taken at. */
export interface Fence {
  readonly name: string;
  readonly holder: string;
  readonly epoch: number;
}

export class LeaseLostError extends Error {
  constructor(readonly lease: string) {
    super(`lease ${lease} is held by another node now; the write was refused`);
    this.name = 'LeaseLostError';
  }
}

/** The database's clock in epoch ms: nodes' own clocks never decide who holds what. */
function nowSql(db: SqlExecutor): string {
  return db.dialect === 'postgres' ? '(CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT))' : "(CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))";
}

/**
 * Nodes and leases in the database (tables of migration 600-cluster). Every statement
 * reads time from the database, so a lease's expiry means the same to every node.
 */
export class LeaseTable {
  constructor(
    private readonly db: SqlDb,
    readonly nodeId: string,
    private readonly ttlMs: number,
  ) {}

  /** Marks this node alive, renews every lease it holds and returns them (name → epoch). */
  async heartbeat(): Promise<Map<string, number>> {
    const now = nowSql(this.db);
    await this.db.run(
      `INSERT INTO cluster_nodes (id, started_at, seen_at) VALUES (?, ${now}, ${now}) ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at`,
      [this.nodeId],
    );
    await this.db.run(`UPDATE cluster_leases SET expires_at = ${now} + ? WHERE holder = ?`, [this.ttlMs, this.nodeId]);
    const rows = await this.db.all<{ name: string; epoch: number }>('SELECT name, epoch FROM cluster_leases WHERE holder = ?', [this.nodeId]);
    return new Map(rows.map((r) => [r.name, Number(r.epoch)]));
  }

  /** Nodes seen within the lease time, this one included, sorted. */
  async liveNodes(): Promise<string[]> {
    const rows = await this.db.all<{ id: string }>(`SELECT id FROM cluster_nodes WHERE seen_at > ${nowSql(this.db)} - ? ORDER BY id`, [this.ttlMs]);
    return rows.map((r) => r.id);
  }

  /**
   * Takes each lease that is free or expired; returns the ones taken with their new epoch.
   * A write fenced by the old holder's epoch holds the row (FOR SHARE) until it commits, so
   * taking over waits for it: the new holder reads what the old one wrote.
   */
  async acquire(names: readonly string[]): Promise<Fence[]> {
    const out: Fence[] = [];
    const now = nowSql(this.db);
    for (const name of names) {
      const row = await this.db.transaction((tx) => tx.get<{ epoch: number }>(
        `INSERT INTO cluster_leases (name, holder, epoch, expires_at) VALUES (?, ?, 1, ${now} + ?)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, epoch = cluster_leases.epoch + 1, expires_at = excluded.expires_at
         WHERE cluster_leases.expires_at < ${now} OR cluster_leases.holder = ''
         RETURNING epoch`,
        [name, this.nodeId, this.ttlMs],
      ));
      if (row) out.push({ name, holder: this.nodeId, epoch: Number(row.epoch) });
    }
    return out;
  }

  /** Gives leases up at once (the next holder need not wait for them to expire). */
  async release(names: readonly string[]): Promise<void> {
    for (const name of names) await this.db.run("UPDATE cluster_leases SET holder = '', expires_at = 0 WHERE name = ? AND holder = ?", [name, this.nodeId]);
  }

  /** Leaves the cluster: every lease given up, the node row gone. */
  async leave(): Promise<void> {
    await this.db.run("UPDATE cluster_leases SET holder = '', expires_at = 0 WHERE holder = ?", [this.nodeId]);
    await this.db.run('DELETE FROM cluster_nodes WHERE id = ?', [this.nodeId]);
  }

  /** Every lease (the cluster status endpoint, tests). */
  async all(): Promise<{ name: string; holder: string; epoch: number; expiresInMs: number }[]> {
    const rows = await this.db.all<{ name: string; holder: string; epoch: number; left: number }>(
      `SELECT name, holder, epoch, expires_at - ${nowSql(this.db)} AS left FROM cluster_leases ORDER BY name`,
    );
    return rows.map((r) => ({ name: r.name, holder: r.holder, epoch: Number(r.epoch), expiresInMs: Number(r.left) }));
  }
}

/**
 * The fencing check, first statement of every write transaction done under a lease: the
 * lease must still be ours at the epoch we took it. On PostgreSQL the row is held (FOR
 * SHARE) until the transaction ends, so no one can take the lease over in between; SQLite
 * has one writer at a time anyway.
 */
export async function checkFence(tx: SqlExecutor, fence: Fence): Promise<void> {
  const lock = tx.dialect === 'postgres' ? ' FOR SHARE' : '';
  const row = await tx.get<{ epoch: number }>(`SELECT epoch FROM cluster_leases WHERE name = ? AND holder = ? AND epoch = ?${lock}`, [fence.name, fence.holder, fence.epoch]);
  if (!row) throw new LeaseLostError(fence.name);
}
