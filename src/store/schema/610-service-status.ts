import type { Migration } from '../migration.js';

/**
 * The last status published for each service (`status.changed`), so that a restarted or
 * another node announces only real changes, and reads can say since when it holds.
 */
const ddl = (bigint: string): string => `
CREATE TABLE service_status (
  service TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  reasons TEXT NOT NULL,
  since ${bigint} NOT NULL,
  updated_at ${bigint} NOT NULL
);
`;

export const serviceStatusMigration: Migration = {
  id: '610-service-status',
  sqlite: ddl('INTEGER'),
  postgres: ddl('BIGINT'),
};
