import type { Incident, ServiceStatus } from '../incidents/incident.js';
import { writeForService } from './service-row-lock.js';
import type { SqlDb, SqlExecutor, SqlValue } from './sql-db.js';

/** The live engine's resumable state for one service. */
export interface EngineRecord {
  service: string;
  /** Last minute processed (its start, ms since epoch). */
  lastMinute: number;
  status: ServiceStatus;
  /** Detector snapshot and engine state, JSON-safe values. */
  detector: unknown;
  engine: unknown;
  updatedAt: number;
}

/** The detector's view of one minute: drawn as the dashboard's baseline band. */
export interface DetectorPoint {
  minute: number;
  total: number;
  expected: number;
  upper: number;
  score: number;
  alarm: boolean;
}

export interface IncidentQuery {
  service?: string;
  status?: 'open' | 'closed';
  /** Incidents still open at or after `from`, opened before `to` (ms since epoch). */
  from?: number;
  to?: number;
  limit: number;
  /** Also probe incidents folded into a crowd incident (uptime counts them, listings do not). */
  includeMerged?: boolean;
}

/** Incidents and the live engine's state, on SQLite and PostgreSQL alike. */
export interface IncidentRepository {
  /**
   * State, changed incidents and new detector points of one service, in one transaction.
   * False, with nothing written, when the service no longer exists (deleted meanwhile).
   */
  save(state: EngineRecord, incidents: readonly Incident[], points: readonly DetectorPoint[]): Promise<boolean>;
  loadState(service: string): Promise<EngineRecord | undefined>;
  listStates(): Promise<EngineRecord[]>;
  /** Every tracked service's status (services without state are operational). */
  statuses(): Promise<Map<string, ServiceStatus>>;
  list(q: IncidentQuery): Promise<Incident[]>;
  get(id: string): Promise<Incident | undefined>;
  /** The incidents of these ids that exist, in one query per few hundred ids. */
  getMany(ids: readonly string[]): Promise<Map<string, Incident>>;
  /**
   * Writes one incident made outside the engine (a probe incident); merged ones are stored as
   * such. False, with nothing written, when its service no longer exists.
   */
  upsert(incident: Incident): Promise<boolean>;
  /** The service's open probe incident, if any. */
  openProbeIncident(service: string): Promise<Incident | undefined>;
  points(service: string, from: number, to: number): Promise<DetectorPoint[]>;
}

/** Rows per multi-row INSERT: well under both databases' parameter limits. */
const CHUNK = 400;

export class SqlIncidentRepository implements IncidentRepository {
  constructor(private readonly db: SqlDb) {}

  save(state: EngineRecord, incidents: readonly Incident[], points: readonly DetectorPoint[]): Promise<boolean> {
    // Holding the service's row: without it, a runner's save computed before a deletion and
    // committed during it left engine state and incidents under a slug that no longer exists,
    // and a service made again under that slug inherited them.
    return writeForService(this.db, state.service, async (tx) => {
      await tx.run(
        `INSERT INTO incident_engine_state (service, last_minute, status, detector, engine, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (service) DO UPDATE SET last_minute = excluded.last_minute, status = excluded.status,
         detector = excluded.detector, engine = excluded.engine, updated_at = excluded.updated_at`,
        [state.service, state.lastMinute, state.status, JSON.stringify(state.detector), JSON.stringify(state.engine), state.updatedAt],
      );
      for (const inc of incidents) await writeIncident(tx, inc, inc.status);
      await insertPoints(tx, state.service, points);
    });
  }

  async loadState(service: string): Promise<EngineRecord | undefined> {
    const row = await this.db.get<StateRow>('SELECT * FROM incident_engine_state WHERE service = ?', [service]);
    return row ? toRecord(row) : undefined;
  }

  async listStates(): Promise<EngineRecord[]> {
    return (await this.db.all<StateRow>('SELECT * FROM incident_engine_state ORDER BY service')).map(toRecord);
  }

  async statuses(): Promise<Map<string, ServiceStatus>> {
    const rows = await this.db.all<{ service: string; status: ServiceStatus }>('SELECT service, status FROM incident_engine_state');
    return new Map(rows.map((r) => [r.service, r.status]));
  }

  async list(q: IncidentQuery): Promise<Incident[]> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (q.service !== undefined) {
      where.push('service = ?');
      params.push(q.service);
    }
    if (q.status !== undefined) {
      where.push('status = ?');
      params.push(q.status);
    } else if (!q.includeMerged) {
      where.push("status <> 'merged'");
    }
    if (q.from !== undefined) {
      where.push('(closed_at IS NULL OR closed_at >= ?)');
      params.push(q.from);
    }
    if (q.to !== undefined) {
      where.push('opened_at < ?');
      params.push(q.to);
    }
    params.push(q.limit);
    const rows = await this.db.all<{ body: string }>(
      `SELECT body FROM incidents ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY opened_at DESC, id LIMIT ?`,
      params,
    );
    return rows.map((r) => JSON.parse(r.body) as Incident);
  }

  async get(id: string): Promise<Incident | undefined> {
    const row = await this.db.get<{ body: string }>('SELECT body FROM incidents WHERE id = ?', [id]);
    return row ? (JSON.parse(row.body) as Incident) : undefined;
  }

  async getMany(ids: readonly string[]): Promise<Map<string, Incident>> {
    const found = new Map<string, Incident>();
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      const rows = await this.db.all<{ body: string }>(`SELECT body FROM incidents WHERE id IN (${chunk.map(() => '?').join(', ')})`, chunk);
      for (const r of rows) {
        const inc = JSON.parse(r.body) as Incident;
        found.set(inc.id, inc);
      }
    }
    return found;
  }

  upsert(inc: Incident): Promise<boolean> {
    return writeForService(this.db, inc.service, (tx) => writeIncident(tx, inc, inc.mergedInto ? 'merged' : inc.status));
  }

  async openProbeIncident(service: string): Promise<Incident | undefined> {
    const rows = await this.db.all<{ body: string }>("SELECT body FROM incidents WHERE service = ? AND status = 'open' ORDER BY opened_at DESC", [service]);
    return rows.map((r) => JSON.parse(r.body) as Incident).find((i) => i.kind === 'probe');
  }

  async points(service: string, from: number, to: number): Promise<DetectorPoint[]> {
    const rows = await this.db.all<PointRow>(
      'SELECT minute, total, expected, upper, score, alarm FROM detector_points WHERE service = ? AND minute >= ? AND minute < ? ORDER BY minute',
      [service, from, to],
    );
    return rows.map((r) => ({
      minute: Number(r.minute),
      total: Number(r.total),
      expected: Number(r.expected),
      upper: Number(r.upper),
      score: Number(r.score),
      alarm: Number(r.alarm) === 1,
    }));
  }
}

/**
 * Inserts or replaces one incident row. The caller holds the service's row in the same
 * transaction (writeForService): save takes it once for all its incidents.
 * `status` is the row's status column, given by the caller: upsert stores a probe incident
 * folded into a crowd incident as 'merged' (listings leave those out), save stores the
 * engine's status as it is.
 */
async function writeIncident(tx: SqlExecutor, inc: Incident, status: Incident['status'] | 'merged'): Promise<void> {
  await tx.run(
    `INSERT INTO incidents (id, service, status, severity, opened_at, closed_at, updated_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET status = excluded.status, severity = excluded.severity, opened_at = excluded.opened_at,
     closed_at = excluded.closed_at, updated_at = excluded.updated_at, body = excluded.body`,
    [inc.id, inc.service, status, inc.severity, inc.openedAt, inc.closedAt ?? null, inc.updatedAt, JSON.stringify(inc)],
  );
}

interface StateRow {
  service: string;
  last_minute: number | string;
  status: ServiceStatus;
  detector: string;
  engine: string;
  updated_at: number | string;
}

interface PointRow {
  minute: number | string;
  total: number | string;
  expected: number | string;
  upper: number | string;
  score: number | string;
  alarm: number | string;
}

function toRecord(r: StateRow): EngineRecord {
  return {
    service: r.service,
    lastMinute: Number(r.last_minute),
    status: r.status,
    detector: JSON.parse(r.detector) as unknown,
    engine: JSON.parse(r.engine) as unknown,
    updatedAt: Number(r.updated_at),
  };
}

async function insertPoints(tx: SqlExecutor, service: string, points: readonly DetectorPoint[]): Promise<void> {
  for (let i = 0; i < points.length; i += CHUNK) {
    const chunk = points.slice(i, i + CHUNK);
    const params: SqlValue[] = [];
    for (const p of chunk) params.push(service, p.minute, p.total, finite(p.expected), finite(p.upper), finite(p.score), p.alarm ? 1 : 0);
    await tx.run(
      `INSERT INTO detector_points (service, minute, total, expected, upper, score, alarm) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}
       ON CONFLICT (service, minute) DO UPDATE SET total = excluded.total, expected = excluded.expected,
       upper = excluded.upper, score = excluded.score, alarm = excluded.alarm`,
      params,
    );
  }
}

/** NaN/Infinity have no place in either database's REAL column. */
function finite(x: number): number {
  return Number.isFinite(x) ? x : 0;
}
