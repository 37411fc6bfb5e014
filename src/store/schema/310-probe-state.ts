import type { Migration } from '../migration.js';

/**
 * The probe state the service status is derived from: one row per check and location with
 * its failure/recovery streaks (folded from the stored results, so any node can take over),
 * and on each result the time the server received it (what the evaluator sweeps for) and
 * the certificate's expiry.
 */
const ddl = (bigint: string): string => `
ALTER TABLE probe_results ADD COLUMN received_at ${bigint};
ALTER TABLE probe_results ADD COLUMN cert_expires_at ${bigint};
CREATE INDEX probe_results_received ON probe_results (received_at);
CREATE TABLE probe_location_states (
  check_id TEXT NOT NULL,
  location TEXT NOT NULL,
  settled INTEGER NOT NULL,
  down INTEGER NOT NULL,
  fail_streak INTEGER NOT NULL,
  ok_streak INTEGER NOT NULL,
  last_at ${bigint} NOT NULL,
  last_id TEXT NOT NULL,
  last_ok INTEGER NOT NULL,
  last_error_class TEXT NOT NULL,
  last_latency_ms INTEGER NOT NULL,
  fail_class TEXT,
  fail_detail TEXT,
  cert_expires_at ${bigint},
  changed_at ${bigint} NOT NULL,
  updated_at ${bigint} NOT NULL,
  PRIMARY KEY (check_id, location)
);
`;

export const probeStateMigration: Migration = {
  id: '310-probe-state',
  sqlite: ddl('INTEGER'),
  postgres: ddl('BIGINT'),
};
