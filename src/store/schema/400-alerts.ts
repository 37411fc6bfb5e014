import type { Migration } from '../migration.js';

/**
 * Alerts and correlation: channels and rules made through the admin API (config ones live
 * in memory), one row per delivery of a message to a channel with its attempts, and the
 * correlation of each incident and each probe-only event with the probe results.
 */
const common = (bigint: string): string => `
CREATE TABLE alert_channels (
  name TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  definition TEXT NOT NULL,
  created_at ${bigint} NOT NULL
);
CREATE TABLE alert_rules (
  id TEXT PRIMARY KEY,
  definition TEXT NOT NULL,
  created_at ${bigint} NOT NULL
);
CREATE TABLE alert_deliveries (
  id TEXT PRIMARY KEY,
  channel TEXT NOT NULL,
  channel_type TEXT NOT NULL,
  event_key TEXT NOT NULL,
  kind TEXT NOT NULL,
  service TEXT NOT NULL,
  incident_id TEXT,
  repeat_count INTEGER NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  last_error TEXT,
  response_code INTEGER,
  message TEXT NOT NULL,
  created_at ${bigint} NOT NULL,
  updated_at ${bigint} NOT NULL
);
CREATE INDEX alert_deliveries_created ON alert_deliveries (created_at);
CREATE INDEX alert_deliveries_incident ON alert_deliveries (incident_id);
CREATE TABLE alert_attempts (
  delivery_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  at ${bigint} NOT NULL,
  ok INTEGER NOT NULL,
  response_code INTEGER,
  error TEXT,
  duration_ms INTEGER NOT NULL,
  PRIMARY KEY (delivery_id, attempt)
);
CREATE TABLE incident_correlations (
  incident_id TEXT PRIMARY KEY,
  service TEXT NOT NULL,
  open INTEGER NOT NULL,
  opened_at ${bigint} NOT NULL,
  closed_at ${bigint},
  confidence TEXT NOT NULL,
  cause TEXT NOT NULL,
  failing_locations INTEGER NOT NULL,
  total_locations INTEGER NOT NULL,
  error_classes TEXT NOT NULL,
  updated_at ${bigint} NOT NULL
);
CREATE INDEX incident_correlations_open ON incident_correlations (open, service);
CREATE TABLE probe_events (
  id TEXT PRIMARY KEY,
  service TEXT NOT NULL,
  started_at ${bigint} NOT NULL,
  ended_at ${bigint},
  failing_locations INTEGER NOT NULL,
  total_locations INTEGER NOT NULL,
  error_classes TEXT NOT NULL,
  cause TEXT NOT NULL,
  updated_at ${bigint} NOT NULL
);
CREATE INDEX probe_events_service ON probe_events (service, ended_at);
`;

export const alertsMigration: Migration = {
  id: '400-alerts',
  sqlite: common('INTEGER'),
  postgres: common('BIGINT'),
};
