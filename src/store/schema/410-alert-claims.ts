import type { Migration } from '../migration.js';

/**
 * One row per alert delivery ever decided, keyed by its idempotency key (event, channel and
 * reminder number): a delivery is claimed here, in the transaction that creates it, before
 * anything is sent, so that two nodes (or a node and its successor after a failover) never
 * both send the same notice.
 */
const ddl = (bigint: string): string => `
CREATE TABLE alert_claims (
  claim_key TEXT PRIMARY KEY,
  delivery_id TEXT NOT NULL,
  claimed_at ${bigint} NOT NULL
);
`;

export const alertClaimsMigration: Migration = {
  id: '410-alert-claims',
  sqlite: ddl('INTEGER'),
  postgres: ddl('BIGINT'),
};
