import { SqlAlertRepository } from '../store/alert-repository.js';
import { SqlForensicsRepository } from '../store/forensics-repository.js';
import { SqlIncidentRepository } from '../store/incident-repository.js';
import { SqlProbeRepository } from '../store/probe-repository.js';
import { SqlMaintenanceRepository } from '../store/maintenance-repository.js';
import { SqlSessionRepository } from '../store/session-repository.js';
import { SqlSubscriberRepository } from '../store/subscriber-repository.js';
import { SqlProbeStateRepository } from '../store/probe-state-repository.js';
import { SqlStatusRepository } from '../store/status-repository.js';
import type { Store } from '../store/store.js';
import { FencedDb } from './fenced-db.js';
import type { Fence } from './lease-table.js';

/**
 * The store as work under a lease sees it: the repositories that such work writes
 * (incidents, alerts, probes and their state, service status, forensics; the maintenance
 * scheduler's announcements and the operators' housekeeping) write through a `FencedDb`. Services, settings and
 * reports stay the server's own (their caches are shared, and no leased work writes them).
 */
export function fencedStore(store: Store, fence: Fence): Store {
  const db = new FencedDb(store.db, fence);
  return {
    ...store,
    db,
    probes: new SqlProbeRepository(db),
    probeStates: new SqlProbeStateRepository(db),
    status: new SqlStatusRepository(db),
    alerts: new SqlAlertRepository(db),
    incidents: new SqlIncidentRepository(db),
    forensics: new SqlForensicsRepository(db),
    maintenances: new SqlMaintenanceRepository(db),
    subscribers: new SqlSubscriberRepository(db),
    sessions: new SqlSessionRepository(db),
    close: async () => undefined,
  };
}
