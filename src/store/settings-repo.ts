import { randomBytes } from 'node:crypto';
import type { SqlDb } from './sql-db.js';

/** Small named values the server generates once and keeps (secrets, tokens). */
export interface SettingsRepository {
  get(key: string): Promise<string | undefined>;
  /**
   * The stored value, or a fresh random one (base64url of `bytes` bytes) stored now.
   * `created` tells the caller whether to announce it.
   */
  getOrCreateSecret(key: string, bytes?: number): Promise<{ value: string; created: boolean }>;
}

export class SqlSettingsRepository implements SettingsRepository {
  constructor(private readonly db: SqlDb) {}

  async get(key: string): Promise<string | undefined> {
    const row = await this.db.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [key]);
    return row?.value;
  }

  async getOrCreateSecret(key: string, bytes = 32): Promise<{ value: string; created: boolean }> {
    const existing = await this.get(key);
    if (existing !== undefined) return { value: existing, created: false };
    const value = randomBytes(bytes).toString('base64url');
    // Two servers starting at once on one PostgreSQL must agree: the first insert wins.
    const r = await this.db.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', [key, value]);
    if (r.changes === 1) return { value, created: true };
    return { value: (await this.get(key)) ?? value, created: false };
  }
}
