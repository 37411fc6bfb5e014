import type { Migration } from '../migration.js';

/**
 * Forensics: summaries of `stormwatch analyze` runs attached to a service (the incidents
 * domain may link them to an incident later). The summary is kept as JSON text.
 */
const common = (bigint: string): string => `
CREATE TABLE forensics_reports (
  id TEXT PRIMARY KEY,
  service TEXT NOT NULL,
  created_at ${bigint} NOT NULL,
  attack_count INTEGER NOT NULL,
  first_attack_start ${bigint},
  summary TEXT NOT NULL
);
CREATE INDEX forensics_reports_service ON forensics_reports (service, created_at);
`;

export const forensicsMigration: Migration = {
  id: '500-forensics',
  sqlite: common('INTEGER'),
  postgres: common('BIGINT'),
};
