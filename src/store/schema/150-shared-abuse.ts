import type { Migration } from '../migration.js';

/**
 * Abuse state shared by the nodes of a cluster, claimed inside the ingest commit
 * (src/store/report-claims.ts): the last accepted event time per reporter fingerprint and
 * service (dedupe), and the GCRA "theoretical arrival time" per rate-limit key (any key:
 * an address, a prefix, a service...). Rows whose window has passed are pruned.
 */
const ddl = (bigint: string): string => `
CREATE TABLE abuse_dedupe (
  service_id ${bigint} NOT NULL,
  fingerprint TEXT NOT NULL,
  ts ${bigint} NOT NULL,
  first_ts ${bigint} NOT NULL,
  PRIMARY KEY (service_id, fingerprint)
);
CREATE INDEX abuse_dedupe_ts ON abuse_dedupe (ts);
CREATE TABLE abuse_rates (
  key TEXT PRIMARY KEY,
  tat ${bigint} NOT NULL,
  burst_ms ${bigint} NOT NULL
);
CREATE INDEX abuse_rates_tat ON abuse_rates (tat);
`;

export const sharedAbuseMigration: Migration = {
  id: '150-shared-abuse',
  sqlite: ddl('INTEGER'),
  postgres: ddl('BIGINT'),
};
