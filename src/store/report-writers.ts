import type { Statement } from 'better-sqlite3';
import type { PoolClient } from 'pg';
import { PostgresDb, toPgPlaceholders } from './postgres-db.js';
import type { SqlDb, SqlValue } from './sql-db.js';
import { SqliteDb } from './sqlite-db.js';

/** One acknowledged report as stored: no IP, only the salted fingerprint. */
export interface StoredReport {
  serviceId: number;
  /** Event time, epoch ms. */
  ts: number;
  problem: string;
  /** ISO 3166 code, or `unknown`. */
  region: string;
  client: string | null;
  fingerprint: string;
}

/** A batch's rollup delta for one (service, minute, problem, region). */
export interface MinuteDelta {
  serviceId: number;
  minute: number;
  problem: string;
  region: string;
  count: number;
  /** Reports among `count` whose source was new in the window (distinct-source evidence). */
  sources: number;
}

/** An admin import's idempotency key and the answer its first request got. */
export interface BatchKey {
  key: string;
  accepted: number;
  rejected: number;
  /** The answer's `errors`, as JSON. */
  errors: string;
  createdAt: number;
}

/**
 * Writes one batch (raw rows and rollup deltas) in a single transaction. With a key, the
 * key's row goes into the same transaction first; when the key is already stored nothing
 * is written and the answer is false (the batch was stored before).
 */
export type BatchWriter = (reports: readonly StoredReport[], deltas: readonly MinuteDelta[], key?: BatchKey) => Promise<boolean>;

const INSERT_KEY = 'INSERT INTO report_batch_keys (key, accepted, rejected, errors, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING';
const keyParams = (k: BatchKey): SqlValue[] => [k.key, k.accepted, k.rejected, k.errors, k.createdAt];

const INSERT_REPORT = 'INSERT INTO reports (service_id, ts, problem, region, client, fingerprint) VALUES (?, ?, ?, ?, ?, ?)';
const UPSERT_MINUTE =
  'INSERT INTO report_minutes (service_id, minute, problem, region, count, sources) VALUES (?, ?, ?, ?, ?, ?) ' +
  'ON CONFLICT (service_id, minute, problem, region) DO UPDATE SET count = report_minutes.count + excluded.count, sources = report_minutes.sources + excluded.sources';

/** Rows per multi-row INSERT on SQLite: far fewer native calls, well under its 32,766 parameters. */
const SQLITE_CHUNK = 1024;

/** SQLite: multi-row prepared statements run synchronously inside one transaction. */
function sqliteWriter(db: SqliteDb): BatchWriter {
  // By row count: building and hashing a 30 kB SQL string per chunk to find its statement costs more than the lookup saves.
  const inserts = new Map<number, Statement<SqlValue[]>>();
  const insertFor = (n: number): Statement<SqlValue[]> => {
    let stmt = inserts.get(n);
    if (!stmt) {
      stmt = db.raw.prepare<SqlValue[]>(`INSERT INTO reports (service_id, ts, problem, region, client, fingerprint) VALUES ${'(?, ?, ?, ?, ?, ?), '.repeat(n - 1)}(?, ?, ?, ?, ?, ?)`);
      inserts.set(n, stmt);
    }
    return stmt;
  };
  let upsertStmt: Statement<SqlValue[]> | undefined;
  let keyStmt: Statement<SqlValue[]> | undefined;
  return (reports, deltas, key) =>
    // Through the db's transaction so that it never interleaves with another domain's.
    db.transaction(async () => {
      if (key && (keyStmt ??= db.raw.prepare<SqlValue[]>(INSERT_KEY)).run(...keyParams(key)).changes === 0) return false;
      const params: SqlValue[] = [];
      for (let i = 0; i < reports.length; ) {
        // Full chunks, then powers of two: at most 11 distinct statements stay prepared.
        const left = reports.length - i;
        const n = left >= SQLITE_CHUNK ? SQLITE_CHUNK : 2 ** Math.floor(Math.log2(left));
        params.length = 0;
        for (let j = i; j < i + n; j++) {
          const r = reports[j];
          params.push(r.serviceId, r.ts, r.problem, r.region, r.client, r.fingerprint);
        }
        insertFor(n).run(...params);
        i += n;
      }
      const upsert = (upsertStmt ??= db.raw.prepare<SqlValue[]>(UPSERT_MINUTE));
      for (const d of deltas) upsert.run(d.serviceId, d.minute, d.problem, d.region, d.count, d.sources);
      return true;
    });
}

/** PostgreSQL: one multi-row statement per table, rows passed as arrays through unnest. */
function postgresWriter(db: PostgresDb): BatchWriter {
  return async (reports, deltas, key) => {
    const client: PoolClient = await db.raw.connect();
    try {
      await client.query('BEGIN');
      // A concurrent request with the same key waits here for the first one's commit.
      if (key && (await client.query(toPgPlaceholders(INSERT_KEY), keyParams(key))).rowCount === 0) {
        await client.query('ROLLBACK');
        return false;
      }
      await insertBatchPg(client, reports, deltas);
      await client.query('COMMIT');
      return true;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  };
}

/** The raw rows and the rollup deltas of a batch, inside the caller's transaction. */
export async function insertBatchPg(client: PoolClient, reports: readonly StoredReport[], deltas: readonly MinuteDelta[]): Promise<void> {
  if (reports.length > 0) {
    await client.query(
      'INSERT INTO reports (service_id, ts, problem, region, client, fingerprint) ' +
        'SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[])',
      [
        reports.map((r) => r.serviceId),
        reports.map((r) => r.ts),
        reports.map((r) => r.problem),
        reports.map((r) => r.region),
        reports.map((r) => r.client),
        reports.map((r) => r.fingerprint),
      ],
    );
  }
  if (deltas.length > 0) {
    await client.query(
      'INSERT INTO report_minutes (service_id, minute, problem, region, count, sources) ' +
        'SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::bigint[]) ' +
        'ON CONFLICT (service_id, minute, problem, region) DO UPDATE SET count = report_minutes.count + excluded.count, sources = report_minutes.sources + excluded.sources',
      [deltas.map((d) => d.serviceId), deltas.map((d) => d.minute), deltas.map((d) => d.problem), deltas.map((d) => d.region), deltas.map((d) => d.count), deltas.map((d) => d.sources)],
    );
  }
}

/** Any other SqlDb: portable statements, one row at a time. */
function genericWriter(db: SqlDb): BatchWriter {
  return (reports, deltas, key) =>
    db.transaction(async (tx) => {
      if (key && (await tx.run(INSERT_KEY, keyParams(key))).changes === 0) return false;
      await tx.runMany(INSERT_REPORT, reports.map((r) => [r.serviceId, r.ts, r.problem, r.region, r.client, r.fingerprint]));
      await tx.runMany(UPSERT_MINUTE, deltas.map((d) => [d.serviceId, d.minute, d.problem, d.region, d.count, d.sources]));
      return true;
    });
}

export function batchWriterFor(db: SqlDb): BatchWriter {
  if (db instanceof SqliteDb) return sqliteWriter(db);
  if (db instanceof PostgresDb) return postgresWriter(db);
  return genericWriter(db);
}
