import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { RunResult, SqlDb, SqlExecutor, SqlValue } from './sql-db.js';
import { AsyncMutex } from './async-mutex.js';

type Params = readonly SqlValue[];

function bind(params: Params | undefined): unknown[] {
  if (!params) return [];
  // better-sqlite3 rejects booleans; store them as 0/1 like PostgreSQL's casts expect.
  return params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
}

class SqliteExecutor implements SqlExecutor {
  readonly dialect = 'sqlite' as const;
  private readonly statements = new Map<string, Database.Statement>();
  constructor(protected readonly db: Database.Database) {}

  protected prepare(sql: string): Database.Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  async all<T>(sql: string, params?: Params): Promise<T[]> {
    return this.prepare(sql).all(...bind(params)) as T[];
  }
  async get<T>(sql: string, params?: Params): Promise<T | undefined> {
    return this.prepare(sql).get(...bind(params)) as T | undefined;
  }
  async run(sql: string, params?: Params): Promise<RunResult> {
    const r = this.prepare(sql).run(...bind(params));
    return { changes: r.changes };
  }
  async runMany(sql: string, rows: readonly Params[]): Promise<void> {
    const stmt = this.prepare(sql);
    for (const row of rows) stmt.run(...bind(row));
  }
}

export class SqliteDb extends SqliteExecutor implements SqlDb {
  private readonly mutex = new AsyncMutex();

  constructor(file: string) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the
    // last transactions, the usual trade for group commit on one machine.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    super(db);
  }

  /** The driver itself, for the few hot paths that need synchronous batches. */
  get raw(): Database.Database {
    return this.db;
  }

  override async run(sql: string, params?: Params): Promise<RunResult> {
    // A write outside a transaction must not land inside someone else's open one.
    if (this.mutex.locked) return this.mutex.run(() => super.run(sql, params));
    return super.run(sql, params);
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.mutex.run(async () => {
      const tx = new SqliteExecutor(this.db);
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(tx);
        this.db.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw err;
      }
    });
  }

  async exec(script: string): Promise<void> {
    this.db.exec(script);
  }

  async close(): Promise<void> {
    await this.mutex.run(async () => {
      if (this.db.open) this.db.close();
    });
  }
}
