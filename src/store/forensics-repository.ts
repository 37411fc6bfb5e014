import { randomUUID } from 'node:crypto';
import { writeForService } from './service-row-lock.js';
import type { SqlDb } from './sql-db.js';

export interface ForensicsRecord {
  id: string;
  service: string;
  createdAt: number;
  attackCount: number;
  /** Unix seconds of the first attack window, when there is one. */
  firstAttackStart: number | null;
  /** The service's incident the attacks fall in, when there is one. */
  incidentId: string | null;
  summary: unknown;
}

/** Analysis summaries per service, newest first. */
export interface ForensicsRepository {
  /**
   * Undefined, with nothing written, when the service does not exist (deleted since the
   * caller looked, perhaps on another server): the write holds the service's row
   * (service-row-lock.ts), so it commits before a deletion or finds no service.
   */
  add(service: string, summary: unknown, attackCount: number, firstAttackStart: number | null, incidentId: string | null, now: number): Promise<ForensicsRecord | undefined>;
  list(service: string, limit: number): Promise<ForensicsRecord[]>;
  /** Analyses attached to one incident, newest first, without their summaries. */
  listForIncident(incidentId: string): Promise<Omit<ForensicsRecord, 'summary'>[]>;
  get(service: string, id: string): Promise<ForensicsRecord | undefined>;
}

interface Row {
  id: string;
  service: string;
  created_at: number | string;
  attack_count: number;
  first_attack_start: number | string | null;
  incident_id: string | null;
  summary: string;
}

const headerFromRow = (r: Omit<Row, 'summary'>): Omit<ForensicsRecord, 'summary'> => ({
  id: r.id,
  service: r.service,
  createdAt: Number(r.created_at),
  attackCount: Number(r.attack_count),
  firstAttackStart: r.first_attack_start === null ? null : Number(r.first_attack_start),
  incidentId: r.incident_id,
});

const fromRow = (r: Row): ForensicsRecord => ({ ...headerFromRow(r), summary: JSON.parse(r.summary) as unknown });

export class SqlForensicsRepository implements ForensicsRepository {
  constructor(private readonly db: SqlDb) {}

  async add(service: string, summary: unknown, attackCount: number, firstAttackStart: number | null, incidentId: string | null, now: number): Promise<ForensicsRecord | undefined> {
    const id = randomUUID();
    const body = JSON.stringify(summary);
    const written = await writeForService(this.db, service, async (tx) => {
      await tx.run('INSERT INTO forensics_reports (id, service, created_at, attack_count, first_attack_start, incident_id, summary) VALUES (?, ?, ?, ?, ?, ?, ?)', [
        id,
        service,
        now,
        attackCount,
        firstAttackStart,
        incidentId,
        body,
      ]);
    });
    return written ? { id, service, createdAt: now, attackCount, firstAttackStart, incidentId, summary } : undefined;
  }

  async listForIncident(incidentId: string): Promise<Omit<ForensicsRecord, 'summary'>[]> {
    const rows = await this.db.all<Omit<Row, 'summary'>>(
      'SELECT id, service, created_at, attack_count, first_attack_start, incident_id FROM forensics_reports WHERE incident_id = ? ORDER BY created_at DESC, id',
      [incidentId],
    );
    return rows.map(headerFromRow);
  }

  async list(service: string, limit: number): Promise<ForensicsRecord[]> {
    const rows = await this.db.all<Row>('SELECT * FROM forensics_reports WHERE service = ? ORDER BY created_at DESC, id LIMIT ?', [service, limit]);
    return rows.map(fromRow);
  }

  async get(service: string, id: string): Promise<ForensicsRecord | undefined> {
    const row = await this.db.get<Row>('SELECT * FROM forensics_reports WHERE service = ? AND id = ?', [service, id]);
    return row ? fromRow(row) : undefined;
  }
}
