import type { Migration } from '../migration.js';
import { reportsMigration } from './100-reports.js';
import { reportSourcesMigration } from './101-report-sources.js';
import { reportBatchKeysMigration } from './110-report-batch-keys.js';
import { sharedAbuseMigration } from './150-shared-abuse.js';
import { incidentsMigration } from './200-incidents.js';
import { probesMigration } from './300-probes.js';
import { alertsMigration } from './400-alerts.js';
import { alertClaimsMigration } from './410-alert-claims.js';
import { forensicsMigration } from './500-forensics.js';
import { forensicsIncidentMigration } from './501-forensics-incident.js';
import { probeStateMigration } from './310-probe-state.js';
import { instantChecksMigration } from './320-instant-checks.js';
import { serviceStatusMigration } from './610-service-status.js';
import { clusterMigration } from './600-cluster.js';
import { operatorIncidentsMigration } from './700-operator-incidents.js';
import { maintenancesMigration } from './710-maintenances.js';
import { subscribersMigration } from './720-subscribers.js';
import { adminSessionsMigration } from './730-admin-sessions.js';
import { deliveryEventKeyMigration } from './740-delivery-event-key.js';

/**
 * Every migration of every domain, applied in id order at start.
 * Each domain adds its own file here (see the id ranges in ../migration.ts).
 */
export const migrations: readonly Migration[] = [reportsMigration, reportSourcesMigration, reportBatchKeysMigration, sharedAbuseMigration, incidentsMigration, probesMigration, alertsMigration, alertClaimsMigration, forensicsMigration, forensicsIncidentMigration, probeStateMigration, instantChecksMigration, clusterMigration, serviceStatusMigration, operatorIncidentsMigration, maintenancesMigration, subscribersMigration, adminSessionsMigration, deliveryEventKeyMigration];
