import type { Migration } from '../migration.js';

/**
 * Dashboard sign-in sessions. Only a SHA-256 of the cookie's value is stored, so a copy of
 * the database does not sign anyone in; `csrf` is the token cookie-authenticated writes must
 * echo in a header.
 */
const ddl = (bigint: string): string => `
CREATE TABLE admin_sessions (
  id_hash TEXT PRIMARY KEY,
  csrf TEXT NOT NULL,
  created_at ${bigint} NOT NULL,
  expires_at ${bigint} NOT NULL
);
CREATE INDEX admin_sessions_expires ON admin_sessions (expires_at);
`;

export const adminSessionsMigration: Migration = {
  id: '730-admin-sessions',
  sqlite: ddl('INTEGER'),
  postgres: ddl('BIGINT'),
};
