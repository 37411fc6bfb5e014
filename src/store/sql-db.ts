/**
 * The one seam between Stormwatch and a relational database. Domain stores are written
 * once against this interface; the SQLite and PostgreSQL differences live in
 * `sqlite-db.ts` and `postgres-db.ts`.
 *
 * SQL uses `?` placeholders everywhere; the PostgreSQL driver rewrites them to `$n`.
 */
export type Dialect = 'sqlite' | 'postgres';

export type SqlValue = string | number | bigint | boolean | null | Buffer;

export interface RunResult {
  /** Rows changed by the statement. */
  changes: number;
}

/** Statements usable both on the database and inside a transaction. */
export interface SqlExecutor {
  readonly dialect: Dialect;
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  run(sql: string, params?: readonly SqlValue[]): Promise<RunResult>;
  /** Runs the same statement once per parameter row (a prepared statement on SQLite). */
  runMany(sql: string, rows: readonly (readonly SqlValue[])[]): Promise<void>;
}

export interface SqlDb extends SqlExecutor {
  /**
   * Runs `fn` in one transaction. Transactions are serialised: on SQLite the single
   * connection cannot interleave them, on PostgreSQL each gets its own pooled client.
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Runs a multi-statement script (migrations). */
  exec(script: string): Promise<void>;
  close(): Promise<void>;
}
