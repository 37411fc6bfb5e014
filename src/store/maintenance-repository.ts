import type { Maintenance } from '../maintenance/window.js';
import { jsonArrayContains } from './json-array-contains.js';
import type { SqlDb, SqlValue } from './sql-db.js';

export interface MaintenanceQuery {
  /** Windows that end after this (ms): active and upcoming ones. */
  endsAfter?: number;
  /** Windows that start before this (ms). */
  startsBefore?: number;
  /** Only those that name this service. */
  service?: string;
  limit?: number;
}

/** Maintenance windows, newest start first. */
export interface MaintenanceRepository {
  create(m: Maintenance): Promise<void>;
  get(id: string): Promise<Maintenance | undefined>;
  list(q?: MaintenanceQuery): Promise<Maintenance[]>;
  /** Replaces the editable fields; false when the window does not exist. */
  update(m: Maintenance): Promise<boolean>;
  delete(id: string): Promise<boolean>;
  /** Windows whose start or end has not been announced yet. */
  pendingTransitions(): Promise<Maintenance[]>;
  /** Records an announcement once: false when it had already been made (by this or another node). */
  markTransition(id: string, transition: 'started' | 'ended', at: number): Promise<boolean>;
}

interface Row {
  id: string; title: string; body: string; services: string; starts_at: number | string; ends_at: number | string;
  started_at: number | string | null; ended_at: number | string | null; created_at: number | string; updated_at: number | string;
}

const COLUMNS = 'id, title, body, services, starts_at, ends_at, started_at, ended_at, created_at, updated_at';

export class SqlMaintenanceRepository implements MaintenanceRepository {
  constructor(private readonly db: SqlDb) {}

  async create(m: Maintenance): Promise<void> {
    await this.db.run(`INSERT INTO maintenances (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      m.id, m.title, m.body, JSON.stringify(m.services), m.startsAt, m.endsAt, m.startedAt ?? null, m.endedAt ?? null, m.createdAt, m.updatedAt,
    ]);
  }

  async get(id: string): Promise<Maintenance | undefined> {
    const row = await this.db.get<Row>(`SELECT ${COLUMNS} FROM maintenances WHERE id = ?`, [id]);
    return row ? toMaintenance(row) : undefined;
  }

  async list(q: MaintenanceQuery = {}): Promise<Maintenance[]> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (q.endsAfter !== undefined) {
      where.push('ends_at > ?');
      params.push(q.endsAfter);
    }
    if (q.startsBefore !== undefined) {
      where.push('starts_at < ?');
      params.push(q.startsBefore);
    }
    if (q.service !== undefined) {
      const named = jsonArrayContains('services', q.service);
      where.push(named.sql);
      params.push(named.param);
    }
    params.push(Math.min(Math.max(q.limit ?? 1000, 1), 10_000));
    const rows = await this.db.all<Row>(`SELECT ${COLUMNS} FROM maintenances ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY starts_at DESC, id LIMIT ?`, params);
    return rows.map(toMaintenance);
  }

  async update(m: Maintenance): Promise<boolean> {
    // Moving a window re-arms the announcements it has not reached yet.
    const r = await this.db.run(
      `UPDATE maintenances SET title = ?, body = ?, services = ?, starts_at = ?, ends_at = ?, started_at = ?, ended_at = ?, updated_at = ? WHERE id = ?`,
      [m.title, m.body, JSON.stringify(m.services), m.startsAt, m.endsAt, m.startedAt ?? null, m.endedAt ?? null, m.updatedAt, m.id],
    );
    return r.changes > 0;
  }

  async delete(id: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM maintenances WHERE id = ?', [id])).changes > 0;
  }

  async pendingTransitions(): Promise<Maintenance[]> {
    const rows = await this.db.all<Row>(`SELECT ${COLUMNS} FROM maintenances WHERE started_at IS NULL OR ended_at IS NULL ORDER BY starts_at, id`);
    return rows.map(toMaintenance);
  }

  async markTransition(id: string, transition: 'started' | 'ended', at: number): Promise<boolean> {
    // An end also settles a start that was never announced (the window passed while the server was down).
    const r =
      transition === 'started'
        ? await this.db.run('UPDATE maintenances SET started_at = ? WHERE id = ? AND started_at IS NULL', [at, id])
        : await this.db.run('UPDATE maintenances SET ended_at = ?, started_at = COALESCE(started_at, ?) WHERE id = ? AND ended_at IS NULL', [at, at, id]);
    return r.changes > 0;
  }
}

function toMaintenance(r: Row): Maintenance {
  const m: Maintenance = {
    id: r.id, title: r.title, body: r.body, services: JSON.parse(r.services) as string[], startsAt: Number(r.starts_at), endsAt: Number(r.ends_at),
    createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
  };
  if (r.started_at !== null) m.startedAt = Number(r.started_at);
  if (r.ended_at !== null) m.endedAt = Number(r.ended_at);
  return m;
}
