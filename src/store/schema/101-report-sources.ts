import type { Migration } from '../migration.js';

/**
 * Distinct-source evidence for detection: per rollup row, how many of its reports came from
 * a source (network or integrator reporter) not seen in the window before. Rows written
 * before this existed were trusted history: each report counts as its own source.
 */
const script = (bigint: string): string => `
ALTER TABLE report_minutes ADD COLUMN sources ${bigint} NOT NULL DEFAULT 0;
UPDATE report_minutes SET sources = count;
`;

export const reportSourcesMigration: Migration = {
  id: '101-report-sources',
  sqlite: script('INTEGER'),
  postgres: script('BIGINT'),
};
