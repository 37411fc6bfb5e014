import { randomBytes } from 'node:crypto';
import type { SqlDb } from './sql-db.js';

/** Small named values the server generates once and keeps (secrets, token hashes). */
export interface SettingsRepository {
  get(key: string): Promise<string | undefined>;
  /** Stores `value` unless the key exists; true when it was stored. The first writer wins. */
  putIfAbsent(key: string, value: string): Promise<boolean>;
  /** Stores `value`, replacing what the key held. */
  put(key: string, value: string): Promise<void>;
  /** Removes the key when it still holds `value` (so a concurrent change is not undone). */
  deleteIf(key: string, value: string): Promise<void>;
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

  async putIfAbsent(key: string, value: string): Promise<boolean> {
    // Two servers starting at once on one PostgreSQL must agree: the first insert wins.
    const r = await this.db.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', [key, value]);
    return r.changes === 1;
  }

  async put(key: string, value: string): Promise<void> {
    await this.db.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
  }

  async deleteIf(key: string, value: string): Promise<void> {
    await this.db.run('DELETE FROM settings WHERE key = ? AND value = ?', [key, value]);
  }

  async getOrCreateSecret(key: string, bytes = 32): Promise<{ value: string; created: boolean }> {
    const existing = await this.get(key);
    if (existing !== undefined) return { value: existing, created: false };
    const value = randomBytes(bytes).toString('base64url');
    if (await this.putIfAbsent(key, value)) return { value, created: true };
    return { value: (await this.get(key)) ?? value, created: false };
  }
}
