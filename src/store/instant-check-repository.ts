import type { CheckType } from '../probes/check.js';
import type { InstantAnswer, InstantCheck } from '../probes/instant/instant-check.js';
import type { SqlDb } from './sql-db.js';

/** Instant checks and their per-location answers (src/probes/instant). */
export interface InstantCheckRepository {
  create(check: InstantCheck): Promise<void>;
  get(id: string): Promise<InstantCheck | undefined>;
  /** Each location's answer to one check. */
  answers(id: string): Promise<Map<string, InstantAnswer>>;
  /** Stores a location's answer; false when it had answered already (the first one stands). */
  addAnswer(id: string, location: string, answer: InstantAnswer, receivedAt: number): Promise<boolean>;
  /** Checks not expired at `now` that `location` has not answered, oldest first. */
  openFor(location: string, now: number, limit: number): Promise<InstantCheck[]>;
  /** Deletes checks made before `before`, with their answers. */
  deleteBefore(before: number): Promise<number>;
}

interface CheckRow { id: string; type: string; target: string; locations: string; created_at: number | string; expires_at: number | string }

const COLUMNS = 'id, type, target, locations, created_at, expires_at';

export class SqlInstantCheckRepository implements InstantCheckRepository {
  constructor(private readonly db: SqlDb) {}

  async create(c: InstantCheck): Promise<void> {
    await this.db.run(`INSERT INTO instant_checks (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`, [c.id, c.type, c.target, JSON.stringify(c.locations), c.createdAt, c.expiresAt]);
  }

  async get(id: string): Promise<InstantCheck | undefined> {
    const row = await this.db.get<CheckRow>(`SELECT ${COLUMNS} FROM instant_checks WHERE id = ?`, [id]);
    return row ? toCheck(row) : undefined;
  }

  async answers(id: string): Promise<Map<string, InstantAnswer>> {
    const rows = await this.db.all<{ location: string; answer: string }>('SELECT location, answer FROM instant_answers WHERE check_id = ? ORDER BY location', [id]);
    return new Map(rows.map((r) => [r.location, JSON.parse(r.answer) as InstantAnswer]));
  }

  async addAnswer(id: string, location: string, answer: InstantAnswer, receivedAt: number): Promise<boolean> {
    const { changes } = await this.db.run('INSERT INTO instant_answers (check_id, location, answer, received_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING', [id, location, JSON.stringify(answer), receivedAt]);
    return changes > 0;
  }

  async openFor(location: string, now: number, limit: number): Promise<InstantCheck[]> {
    const rows = await this.db.all<CheckRow>(
      `SELECT ${COLUMNS} FROM instant_checks c WHERE c.expires_at > ? AND NOT EXISTS (SELECT 1 FROM instant_answers a WHERE a.check_id = c.id AND a.location = ?) ORDER BY c.created_at LIMIT ?`,
      [now, location, limit],
    );
    return rows.map(toCheck);
  }

  async deleteBefore(before: number): Promise<number> {
    return this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM instant_answers WHERE check_id IN (SELECT id FROM instant_checks WHERE created_at < ?)', [before]);
      return (await tx.run('DELETE FROM instant_checks WHERE created_at < ?', [before])).changes;
    });
  }
}

function toCheck(r: CheckRow): InstantCheck {
  return { id: r.id, type: r.type as CheckType, target: r.target, locations: JSON.parse(r.locations) as string[], createdAt: Number(r.created_at), expiresAt: Number(r.expires_at) };
}
