import type { Migration } from '../migration.js';

/**
 * Idempotency keys of admin batch imports (`Idempotency-Key` on `POST /api/v1/reports:batch`):
 * one row per batch, written in the transaction that stores the batch's reports, holding
 * the answer the first request got so that a retried or replayed batch gets it again and
 * stores nothing.
 */
const table = (bigint: string): string => `
CREATE TABLE report_batch_keys (
  key TEXT PRIMARY KEY,
  accepted ${bigint} NOT NULL,
  rejected ${bigint} NOT NULL,
  errors TEXT NOT NULL,
  created_at ${bigint} NOT NULL
);
`;

export const reportBatchKeysMigration: Migration = {
  id: '110-report-batch-keys',
  sqlite: table('INTEGER'),
  postgres: table('BIGINT'),
};
