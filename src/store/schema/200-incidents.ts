import type { Migration } from '../migration.js';

/**
 * Incidents (the derived view kept whole as JSON in `body`, with the columns the API
 * filters on), the live engine's per-service state (detector snapshot + incident tracking,
 * resumed at start), and the detector's per-minute view for the dashboard's baseline band.
 */
const ddl = (bigint: string, real: string): string => `
CREATE TABLE incidents (
  id TEXT PRIMARY KEY,
  service TEXT NOT NULL,
  status TEXT NOT NULL,
  severity TEXT NOT NULL,
  opened_at ${bigint} NOT NULL,
  closed_at ${bigint},
  updated_at ${bigint} NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX incidents_service_opened ON incidents (service, opened_at);
CREATE INDEX incidents_opened ON incidents (opened_at);
CREATE TABLE incident_engine_state (
  service TEXT PRIMARY KEY,
  last_minute ${bigint} NOT NULL,
  status TEXT NOT NULL,
  detector TEXT NOT NULL,
  engine TEXT NOT NULL,
  updated_at ${bigint} NOT NULL
);
CREATE TABLE detector_points (
  service TEXT NOT NULL,
  minute ${bigint} NOT NULL,
  total ${bigint} NOT NULL,
  expected ${real} NOT NULL,
  upper ${real} NOT NULL,
  score ${real} NOT NULL,
  alarm INTEGER NOT NULL,
  PRIMARY KEY (service, minute)
);
`;

export const incidentsMigration: Migration = {
  id: '200-incidents',
  sqlite: ddl('INTEGER', 'REAL'),
  postgres: ddl('BIGINT', 'DOUBLE PRECISION'),
};
