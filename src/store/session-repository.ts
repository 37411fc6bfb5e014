import type { SqlDb } from './sql-db.js';

export interface AdminSession {
  idHash: string;
  csrf: string;
  createdAt: number;
  expiresAt: number;
}

/** Dashboard sign-in sessions (only the hash of each cookie value is stored). */
export interface SessionRepository {
  create(s: AdminSession): Promise<void>;
  /** The session when it exists and has not expired at `now`. */
  get(idHash: string, now: number): Promise<AdminSession | undefined>;
  delete(idHash: string): Promise<void>;
  /** Ends every session (the admin token changed). */
  deleteAll(): Promise<void>;
  deleteExpired(now: number): Promise<number>;
}

interface Row { id_hash: string; csrf: string; created_at: number | string; expires_at: number | string }

export class SqlSessionRepository implements SessionRepository {
  constructor(private readonly db: SqlDb) {}

  async create(s: AdminSession): Promise<void> {
    await this.db.run('INSERT INTO admin_sessions (id_hash, csrf, created_at, expires_at) VALUES (?, ?, ?, ?)', [s.idHash, s.csrf, s.createdAt, s.expiresAt]);
  }

  async get(idHash: string, now: number): Promise<AdminSession | undefined> {
    const r = await this.db.get<Row>('SELECT id_hash, csrf, created_at, expires_at FROM admin_sessions WHERE id_hash = ? AND expires_at > ?', [idHash, now]);
    return r ? { idHash: r.id_hash, csrf: r.csrf, createdAt: Number(r.created_at), expiresAt: Number(r.expires_at) } : undefined;
  }

  async delete(idHash: string): Promise<void> {
    await this.db.run('DELETE FROM admin_sessions WHERE id_hash = ?', [idHash]);
  }

  async deleteAll(): Promise<void> {
    await this.db.run('DELETE FROM admin_sessions');
  }

  async deleteExpired(now: number): Promise<number> {
    return (await this.db.run('DELETE FROM admin_sessions WHERE expires_at <= ?', [now])).changes;
  }
}
