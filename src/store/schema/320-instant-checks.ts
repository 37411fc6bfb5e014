import type { Migration } from '../migration.js';

/**
 * Instant checks (one-off checks from every location, check-host style) and one answer per
 * location. In cluster mode these tables are how any node hands the work to its agents and
 * answers for a check made on another node.
 */
const ddl = (bigint: string): string => `
CREATE TABLE instant_checks (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  target TEXT NOT NULL,
  locations TEXT NOT NULL,
  created_at ${bigint} NOT NULL,
  expires_at ${bigint} NOT NULL
);
CREATE INDEX instant_checks_expires ON instant_checks (expires_at);
CREATE INDEX instant_checks_created ON instant_checks (created_at);
CREATE TABLE instant_answers (
  check_id TEXT NOT NULL,
  location TEXT NOT NULL,
  answer TEXT NOT NULL,
  received_at ${bigint} NOT NULL,
  PRIMARY KEY (check_id, location)
);
`;

export const instantChecksMigration: Migration = {
  id: '320-instant-checks',
  sqlite: ddl('INTEGER'),
  postgres: ddl('BIGINT'),
};
