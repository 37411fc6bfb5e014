import type { ComponentChange, IncidentUpdate, OperatorIncident } from '../incidents/operator-incident.js';
import { jsonArrayContains } from './json-array-contains.js';
import type { SqlDb, SqlExecutor, SqlValue } from './sql-db.js';

export interface OperatorIncidentQuery {
  source?: OperatorIncident['source'];
  /** Only those not resolved and not dismissed. */
  unresolved?: boolean;
  dismissed?: boolean;
  /** Only those that name this service. */
  service?: string;
  /** Created before (ms). */
  before?: number;
  limit?: number;
}

/** The outcome of a change made under the row's lock; `undefined` leaves everything as it was. */
export type Mutation = { incident: OperatorIncident; update?: IncidentUpdate } | undefined;

/** Operator incidents, their word on automatic ones, and every update. */
export interface OperatorIncidentRepository {
  get(id: string): Promise<OperatorIncident | undefined>;
  getMany(ids: readonly string[]): Promise<Map<string, OperatorIncident>>;
  list(q?: OperatorIncidentQuery): Promise<OperatorIncident[]>;
  /**
   * Reads the row (undefined when absent) under a lock, lets `fn` decide, and writes the
   * incident and its new update in the same transaction: concurrent updates never lose one.
   */
  mutate(id: string, fn: (prev: OperatorIncident | undefined) => Mutation | Promise<Mutation>): Promise<Mutation>;
  /** Updates of one incident, oldest first. */
  updates(incidentId: string): Promise<IncidentUpdate[]>;
  updatesOf(incidentIds: readonly string[]): Promise<Map<string, IncidentUpdate[]>>;
  /** The latest updates of every incident, newest first (feeds). */
  recentUpdates(limit: number): Promise<IncidentUpdate[]>;
}

interface IncidentRow {
  id: string; source: OperatorIncident['source']; title: string | null; impact: string | null; services: string; status: string | null;
  components: string; created_at: number | string; identified_at: number | string | null; monitoring_at: number | string | null;
  resolved_at: number | string | null; dismissed_at: number | string | null; dismiss_reason: string | null; postmortem: string | null;
  postmortem_at: number | string | null; updated_at: number | string;
}
interface UpdateRow { id: string; incident_id: string; status: string; body: string; components: string; created_at: number | string }

const COLUMNS = 'id, source, title, impact, services, status, components, created_at, identified_at, monitoring_at, resolved_at, dismissed_at, dismiss_reason, postmortem, postmortem_at, updated_at';
/** Parameters per IN list, well under both databases' limits. */
const CHUNK = 500;

export class SqlOperatorIncidentRepository implements OperatorIncidentRepository {
  constructor(private readonly db: SqlDb) {}

  async get(id: string): Promise<OperatorIncident | undefined> {
    const row = await this.db.get<IncidentRow>(`SELECT ${COLUMNS} FROM operator_incidents WHERE id = ?`, [id]);
    return row ? toIncident(row) : undefined;
  }

  async getMany(ids: readonly string[]): Promise<Map<string, OperatorIncident>> {
    const out = new Map<string, OperatorIncident>();
    for (let i = 0; i < ids.length; i += CHUNK) {
      const part = ids.slice(i, i + CHUNK);
      if (part.length === 0) continue;
      const rows = await this.db.all<IncidentRow>(`SELECT ${COLUMNS} FROM operator_incidents WHERE id IN (${part.map(() => '?').join(', ')})`, part);
      for (const r of rows) out.set(r.id, toIncident(r));
    }
    return out;
  }

  async list(q: OperatorIncidentQuery = {}): Promise<OperatorIncident[]> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (q.source !== undefined) {
      where.push('source = ?');
      params.push(q.source);
    }
    if (q.unresolved) where.push('resolved_at IS NULL AND dismissed_at IS NULL');
    if (q.dismissed) where.push('dismissed_at IS NOT NULL');
    if (q.service !== undefined) {
      const named = jsonArrayContains('services', q.service);
      where.push(named.sql);
      params.push(named.param);
    }
    if (q.before !== undefined) {
      where.push('created_at < ?');
      params.push(q.before);
    }
    params.push(Math.min(Math.max(q.limit ?? 1000, 1), 10_000));
    const rows = await this.db.all<IncidentRow>(
      `SELECT ${COLUMNS} FROM operator_incidents ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id LIMIT ?`,
      params,
    );
    return rows.map(toIncident);
  }

  mutate(id: string, fn: (prev: OperatorIncident | undefined) => Mutation | Promise<Mutation>): Promise<Mutation> {
    return this.db.transaction(async (tx) => {
      // SQLite runs one transaction at a time; PostgreSQL needs the row lock.
      const lock = tx.dialect === 'postgres' ? ' FOR UPDATE' : '';
      const row = await tx.get<IncidentRow>(`SELECT ${COLUMNS} FROM operator_incidents WHERE id = ?${lock}`, [id]);
      const result = await fn(row ? toIncident(row) : undefined);
      if (!result) return undefined;
      await upsert(tx, result.incident);
      if (result.update) await insertUpdate(tx, result.update);
      return result;
    });
  }

  async updates(incidentId: string): Promise<IncidentUpdate[]> {
    return (await this.updatesOf([incidentId])).get(incidentId) ?? [];
  }

  async updatesOf(incidentIds: readonly string[]): Promise<Map<string, IncidentUpdate[]>> {
    const out = new Map<string, IncidentUpdate[]>();
    for (let i = 0; i < incidentIds.length; i += CHUNK) {
      const part = incidentIds.slice(i, i + CHUNK);
      if (part.length === 0) continue;
      const rows = await this.db.all<UpdateRow>(
        `SELECT id, incident_id, status, body, components, created_at FROM incident_updates WHERE incident_id IN (${part.map(() => '?').join(', ')}) ORDER BY created_at, id`,
        part,
      );
      for (const r of rows) {
        const list = out.get(r.incident_id) ?? [];
        list.push(toUpdate(r));
        out.set(r.incident_id, list);
      }
    }
    return out;
  }

  async recentUpdates(limit: number): Promise<IncidentUpdate[]> {
    const rows = await this.db.all<UpdateRow>('SELECT id, incident_id, status, body, components, created_at FROM incident_updates ORDER BY created_at DESC, id LIMIT ?', [limit]);
    return rows.map(toUpdate);
  }
}

async function upsert(tx: SqlExecutor, i: OperatorIncident): Promise<void> {
  await tx.run(
    `INSERT INTO operator_incidents (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET title = excluded.title, impact = excluded.impact, services = excluded.services, status = excluded.status,
       components = excluded.components, identified_at = excluded.identified_at, monitoring_at = excluded.monitoring_at,
       resolved_at = excluded.resolved_at, dismissed_at = excluded.dismissed_at, dismiss_reason = excluded.dismiss_reason,
       postmortem = excluded.postmortem, postmortem_at = excluded.postmortem_at, updated_at = excluded.updated_at`,
    [
      i.id, i.source, i.title ?? null, i.impact ?? null, JSON.stringify(i.services), i.status ?? null, JSON.stringify(i.components), i.createdAt,
      i.identifiedAt ?? null, i.monitoringAt ?? null, i.resolvedAt ?? null, i.dismissedAt ?? null, i.dismissReason ?? null,
      i.postmortem ?? null, i.postmortemAt ?? null, i.updatedAt,
    ],
  );
}

async function insertUpdate(tx: SqlExecutor, u: IncidentUpdate): Promise<void> {
  await tx.run('INSERT INTO incident_updates (id, incident_id, status, body, components, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
    u.id, u.incidentId, u.status, u.body, JSON.stringify(u.components), u.createdAt,
  ]);
}

const opt = (v: number | string | null): number | undefined => (v === null ? undefined : Number(v));

function toIncident(r: IncidentRow): OperatorIncident {
  const i: OperatorIncident = {
    id: r.id,
    source: r.source,
    services: JSON.parse(r.services) as string[],
    components: JSON.parse(r.components) as OperatorIncident['components'],
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
  if (r.title !== null) i.title = r.title;
  if (r.impact !== null) i.impact = r.impact as OperatorIncident['impact'];
  if (r.status !== null) i.status = r.status as OperatorIncident['status'];
  const times = { identifiedAt: opt(r.identified_at), monitoringAt: opt(r.monitoring_at), resolvedAt: opt(r.resolved_at), dismissedAt: opt(r.dismissed_at), postmortemAt: opt(r.postmortem_at) };
  for (const [k, v] of Object.entries(times)) if (v !== undefined) (i as unknown as Record<string, number>)[k] = v;
  if (r.dismiss_reason !== null) i.dismissReason = r.dismiss_reason;
  if (r.postmortem !== null) i.postmortem = r.postmortem;
  return i;
}

function toUpdate(r: UpdateRow): IncidentUpdate {
  return {
    id: r.id,
    incidentId: r.incident_id,
    status: r.status as IncidentUpdate['status'],
    body: r.body,
    components: JSON.parse(r.components) as ComponentChange[],
    createdAt: Number(r.created_at),
  };
}
