import type { Migration } from '../migration.js';

/**
 * Probes: checks (definition kept as validated JSON, so config and API share one shape),
 * agents (only a SHA-256 of each token is stored), and results keyed by the agent-made id
 * so that a resend after a lost acknowledgement is not counted twice.
 */
const common = (bigint: string, bool: string): string => `
CREATE TABLE probe_checks (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  service TEXT,
  source TEXT NOT NULL,
  definition TEXT NOT NULL,
  created_at ${bigint} NOT NULL,
  updated_at ${bigint} NOT NULL
);
CREATE INDEX probe_checks_service ON probe_checks (service);
CREATE TABLE probe_agents (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  location TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at ${bigint} NOT NULL,
  revoked_at ${bigint},
  last_seen_at ${bigint}
);
CREATE TABLE probe_results (
  id TEXT PRIMARY KEY,
  check_id TEXT NOT NULL,
  location TEXT NOT NULL,
  agent_id TEXT,
  at ${bigint} NOT NULL,
  ok ${bool} NOT NULL,
  error_class TEXT NOT NULL,
  latency_ms INTEGER NOT NULL,
  status INTEGER,
  detail TEXT NOT NULL,
  conditions TEXT
);
CREATE INDEX probe_results_check_location_at ON probe_results (check_id, location, at);
CREATE INDEX probe_results_check_at ON probe_results (check_id, at);
`;

export const probesMigration: Migration = {
  id: '300-probes',
  sqlite: common('INTEGER', 'INTEGER'),
  postgres: common('BIGINT', 'SMALLINT'),
};
