import type { Migration } from '../migration.js';

/**
 * Announced maintenance windows. Whether one is scheduled, in progress or completed follows
 * from the time; `started_at`/`ended_at` record when the server announced its start and end,
 * so a restart announces neither twice.
 */
const ddl = (bigint: string): string => `
CREATE TABLE maintenances (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  services TEXT NOT NULL,
  starts_at ${bigint} NOT NULL,
  ends_at ${bigint} NOT NULL,
  started_at ${bigint},
  ended_at ${bigint},
  created_at ${bigint} NOT NULL,
  updated_at ${bigint} NOT NULL
);
CREATE INDEX maintenances_window ON maintenances (ends_at, starts_at);
`;

export const maintenancesMigration: Migration = {
  id: '710-maintenances',
  sqlite: ddl('INTEGER'),
  postgres: ddl('BIGINT'),
};
