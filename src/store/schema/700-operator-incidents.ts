import type { Migration } from '../migration.js';

/**
 * What operators say about incidents. `operator_incidents` holds one row per incident an
 * operator created (source `operator`) or spoke about (source `automatic`, keyed by the
 * automatic incident's id): title and impact, the lifecycle status of the latest update, the
 * component statuses it set, dismissal and postmortem. `incident_updates` holds every update
 * with the old and new status of each component it named.
 */
const ddl = (bigint: string): string => `
CREATE TABLE operator_incidents (
  id TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  title TEXT,
  impact TEXT,
  services TEXT NOT NULL,
  status TEXT,
  components TEXT NOT NULL,
  created_at ${bigint} NOT NULL,
  identified_at ${bigint},
  monitoring_at ${bigint},
  resolved_at ${bigint},
  dismissed_at ${bigint},
  dismiss_reason TEXT,
  postmortem TEXT,
  postmortem_at ${bigint},
  updated_at ${bigint} NOT NULL
);
CREATE INDEX operator_incidents_created ON operator_incidents (created_at);
CREATE TABLE incident_updates (
  id TEXT PRIMARY KEY,
  incident_id TEXT NOT NULL,
  status TEXT NOT NULL,
  body TEXT NOT NULL,
  components TEXT NOT NULL,
  created_at ${bigint} NOT NULL
);
CREATE INDEX incident_updates_incident ON incident_updates (incident_id, created_at);
CREATE INDEX incident_updates_created ON incident_updates (created_at);
`;

export const operatorIncidentsMigration: Migration = {
  id: '700-operator-incidents',
  sqlite: ddl('INTEGER'),
  postgres: ddl('BIGINT'),
};
