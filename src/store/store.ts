import type { SqlDb } from './sql-db.js';

/**
 * Everything Stormwatch keeps. One repository per domain, each written against `SqlDb`
 * so that the same code (and the same contract tests) serve SQLite and PostgreSQL.
 * Domains add their repository here.
 */
export interface Store {
  readonly db: SqlDb;
  close(): Promise<void>;
}
