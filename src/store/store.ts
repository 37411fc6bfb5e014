import type { SqlDb } from './sql-db.js';
import type { ForensicsRepository } from './forensics-repository.js';
import type { AlertRepository } from './alert-repository.js';
import type { IncidentRepository } from './incident-repository.js';
import type { ProbeRepository } from './probe-repository.js';
import type { ProbeStateRepository } from './probe-state-repository.js';
import type { StatusRepository } from './status-repository.js';
import type { ReportsRepository } from './reports-repo.js';
import type { ServicesRepository } from './services-repo.js';
import type { SettingsRepository } from './settings-repo.js';
import type { OperatorIncidentRepository } from './operator-incident-repository.js';
import type { MaintenanceRepository } from './maintenance-repository.js';
import type { SubscriberRepository } from './subscriber-repository.js';
import type { SessionRepository } from './session-repository.js';
import type { ReplayRepository } from './replay-repository.js';

/**
 * Everything Stormwatch keeps. One repository per domain, each written against `SqlDb`
 * so that the same code (and the same contract tests) serve SQLite and PostgreSQL.
 * Domains add their repository here.
 */
export interface Store {
  readonly db: SqlDb;
  /** Checks, agents and probe results. */
  readonly probes: ProbeRepository;
  /** Per check and location: the streaks the service status is derived from. */
  readonly probeStates: ProbeStateRepository;
  /** The status last announced per service. */
  readonly status: StatusRepository;
  /** Alert channels/rules, deliveries, incident correlations and probe-only events. */
  readonly alerts: AlertRepository;
  /** Generated secrets (admin token, fingerprint secret). */
  readonly settings: SettingsRepository;
  /** Services (components of the status page); cached in memory. */
  readonly services: ServicesRepository;
  /** Crowd reports and their minute rollups. */
  readonly reports: ReportsRepository;
  /** Incidents, the live incident engine's state and the detector's per-minute view. */
  readonly incidents: IncidentRepository;
  /** Attack-forensics summaries attached to services. */
  readonly forensics: ForensicsRepository;
  /** Operator incidents and updates, and the operators' word on automatic incidents. */
  readonly operatorIncidents: OperatorIncidentRepository;
  /** Announced maintenance windows. */
  readonly maintenances: MaintenanceRepository;
  /** Status-page subscribers (e-mail, webhook). */
  readonly subscribers: SubscriberRepository;
  /** Dashboard sign-in sessions. */
  readonly sessions: SessionRepository;
  /** Scenario replays recorded per service (so a second replay does not silently double the counts). */
  readonly replays: ReplayRepository;
  close(): Promise<void>;
}
