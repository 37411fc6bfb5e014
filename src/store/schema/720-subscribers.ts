import type { Migration } from '../migration.js';

/**
 * Status-page subscribers: e-mail addresses (double opt-in: `confirmed_at` stays empty until
 * the link in the confirmation mail is followed) and webhook URLs, for the whole page
 * (`scope` '*') or one service or category. An unsubscribed address is deleted, not kept.
 * `confirm_sent_at` throttles confirmation mails to one address.
 */
const ddl = (bigint: string): string => `
CREATE TABLE subscribers (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  address TEXT NOT NULL,
  scope TEXT NOT NULL,
  secret TEXT,
  confirmed_at ${bigint},
  confirm_sent_at ${bigint},
  created_at ${bigint} NOT NULL,
  UNIQUE (kind, address, scope)
);
CREATE INDEX subscribers_scope ON subscribers (scope, confirmed_at);
`;

export const subscribersMigration: Migration = {
  id: '720-subscribers',
  sqlite: ddl('INTEGER'),
  postgres: ddl('BIGINT'),
};
