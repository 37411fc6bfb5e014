import type { RunResult, SqlDb, SqlExecutor, SqlValue } from '../store/sql-db.js';
import { checkFence, type Fence } from './lease-table.js';

/**
 * A `SqlDb` whose every write is fenced by a lease: each transaction (and each single write,
 * made a transaction) first checks that the lease is still held at the epoch it was taken,
 * and fails with `LeaseLostError` otherwise. Reads go straight through. Repositories built
 * on it need no change to become safe against a node that lost its lease and does not know
 * yet (a long pause, a network split): its writes are refused by the database itself.
 */
export class FencedDb implements SqlDb {
  constructor(
    private readonly db: SqlDb,
    readonly fence: Fence,
  ) {}

  get dialect(): SqlDb['dialect'] {
    return this.db.dialect;
  }

  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.db.all<T>(sql, params);
  }

  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return this.db.get<T>(sql, params);
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<RunResult> {
    return this.transaction((tx) => tx.run(sql, params));
  }

  runMany(sql: string, rows: readonly (readonly SqlValue[])[]): Promise<void> {
    return this.transaction((tx) => tx.runMany(sql, rows));
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      await checkFence(tx, this.fence);
      return fn(tx);
    });
  }

  exec(): Promise<void> {
    return Promise.reject(new Error('a fenced database runs no scripts'));
  }

  /** The underlying database belongs to the server. */
  async close(): Promise<void> {}
}
