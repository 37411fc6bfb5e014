import { SqlForensicsRepository } from './forensics-repository.js';
import { migrate } from './migration.js';
import { migrations } from './schema/index.js';
import { PostgresDb } from './postgres-db.js';
import { SqlProbeRepository } from './probe-repository.js';
import { SqlProbeStateRepository } from './probe-state-repository.js';
import { SqlStatusRepository } from './status-repository.js';
import { SqlAlertRepository } from './alert-repository.js';
import { SqlIncidentRepository } from './incident-repository.js';
import { SqlReportsRepository } from './reports-repo.js';
import { SqlServicesRepository } from './services-repo.js';
import { SqlSettingsRepository } from './settings-repo.js';
import { SqlOperatorIncidentRepository } from './operator-incident-repository.js';
import { SqlMaintenanceRepository } from './maintenance-repository.js';
import { SqlSubscriberRepository } from './subscriber-repository.js';
import { SqlSessionRepository } from './session-repository.js';
import { SqlReplayRepository } from './replay-repository.js';
import type { SqlDb } from './sql-db.js';
import { SqliteDb } from './sqlite-db.js';
import type { Store } from './store.js';

export interface OpenOptions {
  /** PostgreSQL schema to use (tests isolate themselves this way). */
  pgSchema?: string;
  /** Other processes write the same database (cluster mode): caches look again on a miss. */
  sharedWriters?: boolean;
}

/** Opens `sqlite:path`, `sqlite::memory:` or `postgres://...`. */
export function openDb(url: string, options: OpenOptions = {}): SqlDb {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return new PostgresDb(url, { schema: options.pgSchema });
  }
  if (url.startsWith('sqlite:')) return new SqliteDb(url.slice('sqlite:'.length) || ':memory:');
  throw new Error(`unsupported database URL "${url}": use sqlite:./path.db or postgres://...`);
}

/** Opens the database, applies pending migrations and builds every repository. */
export async function openStore(url: string, options: OpenOptions = {}): Promise<Store> {
  const db = openDb(url, options);
  try {
    if (options.pgSchema && db.dialect === 'postgres') {
      await db.exec(`CREATE SCHEMA IF NOT EXISTS "${options.pgSchema.replace(/"/g, '')}"`);
    }
    await migrate(db, migrations);
  } catch (err) {
    await db.close();
    throw err;
  }
  return createStore(db, options);
}

export function createStore(db: SqlDb, options: OpenOptions = {}): Store {
  return {
    db,
    probes: new SqlProbeRepository(db),
    probeStates: new SqlProbeStateRepository(db),
    status: new SqlStatusRepository(db),
    alerts: new SqlAlertRepository(db),
    settings: new SqlSettingsRepository(db),
    services: new SqlServicesRepository(db, options.sharedWriters ? 500 : undefined),
    reports: new SqlReportsRepository(db),
    incidents: new SqlIncidentRepository(db),
    forensics: new SqlForensicsRepository(db),
    operatorIncidents: new SqlOperatorIncidentRepository(db),
    maintenances: new SqlMaintenanceRepository(db),
    subscribers: new SqlSubscriberRepository(db),
    sessions: new SqlSessionRepository(db),
    replays: new SqlReplayRepository(db),
    close: () => db.close(),
  };
}
