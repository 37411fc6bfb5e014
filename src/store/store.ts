import type { SqlDb } from './sql-db.js';
import type { ProbeRepository } from './probe-repository.js';

/**
 * Everything Stormwatch keeps. One repository per domain, each written against `SqlDb`
 * so that the same code (and the same contract tests) serve SQLite and PostgreSQL.
 * Domains add their repository here.
 */
export interface Store {
  readonly db: SqlDb;
  /** Checks, agents and probe results. */
  readonly probes: ProbeRepository;
  close(): Promise<void>;
}
