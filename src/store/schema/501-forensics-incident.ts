import type { Migration } from '../migration.js';

/** An analysis is attached to the service's incident that its attacks fall in, when there is one. */
export const forensicsIncidentMigration: Migration = {
  id: '501-forensics-incident',
  sqlite: `ALTER TABLE forensics_reports ADD COLUMN incident_id TEXT;
CREATE INDEX forensics_reports_incident ON forensics_reports (incident_id);`,
  postgres: `ALTER TABLE forensics_reports ADD COLUMN incident_id TEXT;
CREATE INDEX forensics_reports_incident ON forensics_reports (incident_id);`,
};
