import pg from 'pg';
import type { RunResult, SqlDb, SqlExecutor, SqlValue } from './sql-db.js';

type Params = readonly SqlValue[];
type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

// BIGINT (int8) and NUMERIC come back as strings by default; our counters and epoch
// milliseconds fit in a double, so parse them as numbers everywhere.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

const rewritten = new Map<string, string>();

/** `?` → `$1, $2, ...`, skipping quoted strings. Cached per distinct statement. */
export function toPgPlaceholders(sql: string): string {
  const cached = rewritten.get(sql);
  if (cached !== undefined) return cached;
  let out = '';
  let n = 0;
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '?') {
      out += `$${++n}`;
    } else {
      out += ch;
    }
  }
  rewritten.set(sql, out);
  return out;
}

class PgExecutor implements SqlExecutor {
  readonly dialect = 'postgres' as const;
  constructor(protected readonly q: Queryable) {}

  async all<T>(sql: string, params?: Params): Promise<T[]> {
    const r = await this.q.query(toPgPlaceholders(sql), params ? [...params] : []);
    return r.rows as T[];
  }
  async get<T>(sql: string, params?: Params): Promise<T | undefined> {
    const rows = await this.all<T>(sql, params);
    return rows[0];
  }
  async run(sql: string, params?: Params): Promise<RunResult> {
    const r = await this.q.query(toPgPlaceholders(sql), params ? [...params] : []);
    return { changes: r.rowCount ?? 0 };
  }
  async runMany(sql: string, rows: readonly Params[]): Promise<void> {
    for (const row of rows) await this.run(sql, row);
  }
}

export class PostgresDb extends PgExecutor implements SqlDb {
  private readonly pool: pg.Pool;

  constructor(connectionString: string, options: { schema?: string; max?: number } = {}) {
    // The schema is set at connection start-up, so every pooled client sees it before its
    // first query (tests isolate themselves in a schema each).
    const schema = options.schema?.replace(/[^A-Za-z0-9_]/g, '');
    const pool = new pg.Pool({
      connectionString,
      max: options.max ?? 10,
      // A server that is down or restarting answers at once or not at all: never wait long.
      connectionTimeoutMillis: 5000,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    // An idle pooled connection cut by a server restart must not crash the process: the
    // pool drops it and opens a new one on the next query.
    pool.on('error', () => undefined);
    super(pool);
    this.pool = pool;
  }

  get raw(): pg.Pool {
    return this.pool;
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(new PgExecutor(client));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async exec(script: string): Promise<void> {
    await this.pool.query(script);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
