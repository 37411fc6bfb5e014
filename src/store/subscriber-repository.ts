import type { Subscriber, SubscriberKind } from '../subscriptions/subscriber.js';
import type { SqlDb } from './sql-db.js';

/** Subscribers; addresses leave this repository only towards the mailer and webhooks. */
export interface SubscriberRepository {
  /** Creates the subscription, or returns the existing one for the same address and scope. */
  upsert(s: Subscriber): Promise<{ subscriber: Subscriber; created: boolean }>;
  get(id: string): Promise<Subscriber | undefined>;
  list(filter?: { kind?: SubscriberKind; confirmed?: boolean; limit?: number }): Promise<Subscriber[]>;
  count(filter?: { confirmed?: boolean }): Promise<number>;
  confirm(id: string, at: number): Promise<boolean>;
  /** Claims the right to send a confirmation mail: false when one went out after `notBefore`. */
  claimConfirmationMail(id: string, now: number, notBefore: number): Promise<boolean>;
  delete(id: string): Promise<boolean>;
  /** Forgets unconfirmed subscriptions created before `before`; returns how many. */
  pruneUnconfirmed(before: number): Promise<number>;
}

interface Row {
  id: string; kind: SubscriberKind; address: string; scope: string; secret: string | null;
  confirmed_at: number | string | null; confirm_sent_at: number | string | null; created_at: number | string;
}

const COLUMNS = 'id, kind, address, scope, secret, confirmed_at, confirm_sent_at, created_at';

export class SqlSubscriberRepository implements SubscriberRepository {
  constructor(private readonly db: SqlDb) {}

  async upsert(s: Subscriber): Promise<{ subscriber: Subscriber; created: boolean }> {
    const r = await this.db.run(
      `INSERT INTO subscribers (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, address, scope) DO NOTHING`,
      [s.id, s.kind, s.address, s.scope, s.secret ?? null, s.confirmedAt ?? null, s.confirmSentAt ?? null, s.createdAt],
    );
    if (r.changes > 0) return { subscriber: s, created: true };
    const row = await this.db.get<Row>(`SELECT ${COLUMNS} FROM subscribers WHERE kind = ? AND address = ? AND scope = ?`, [s.kind, s.address, s.scope]);
    return row ? { subscriber: toSubscriber(row), created: false } : { subscriber: s, created: false };
  }

  async get(id: string): Promise<Subscriber | undefined> {
    const row = await this.db.get<Row>(`SELECT ${COLUMNS} FROM subscribers WHERE id = ?`, [id]);
    return row ? toSubscriber(row) : undefined;
  }

  async list(filter: { kind?: SubscriberKind; confirmed?: boolean; limit?: number } = {}): Promise<Subscriber[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filter.kind) {
      where.push('kind = ?');
      params.push(filter.kind);
    }
    if (filter.confirmed !== undefined) where.push(filter.confirmed ? 'confirmed_at IS NOT NULL' : 'confirmed_at IS NULL');
    params.push(Math.min(Math.max(filter.limit ?? 100_000, 1), 1_000_000));
    const rows = await this.db.all<Row>(`SELECT ${COLUMNS} FROM subscribers ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, id LIMIT ?`, params);
    return rows.map(toSubscriber);
  }

  async count(filter: { confirmed?: boolean } = {}): Promise<number> {
    const where = filter.confirmed === undefined ? '' : filter.confirmed ? 'WHERE confirmed_at IS NOT NULL' : 'WHERE confirmed_at IS NULL';
    const row = await this.db.get<{ n: number | string }>(`SELECT COUNT(*) AS n FROM subscribers ${where}`);
    return Number(row?.n ?? 0);
  }

  async confirm(id: string, at: number): Promise<boolean> {
    const r = await this.db.run('UPDATE subscribers SET confirmed_at = COALESCE(confirmed_at, ?) WHERE id = ?', [at, id]);
    return r.changes > 0;
  }

  async claimConfirmationMail(id: string, now: number, notBefore: number): Promise<boolean> {
    const r = await this.db.run('UPDATE subscribers SET confirm_sent_at = ? WHERE id = ? AND confirmed_at IS NULL AND (confirm_sent_at IS NULL OR confirm_sent_at < ?)', [now, id, notBefore]);
    return r.changes > 0;
  }

  async delete(id: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM subscribers WHERE id = ?', [id])).changes > 0;
  }

  async pruneUnconfirmed(before: number): Promise<number> {
    return (await this.db.run('DELETE FROM subscribers WHERE confirmed_at IS NULL AND created_at < ?', [before])).changes;
  }
}

function toSubscriber(r: Row): Subscriber {
  const s: Subscriber = { id: r.id, kind: r.kind, address: r.address, scope: r.scope, createdAt: Number(r.created_at) };
  if (r.secret !== null) s.secret = r.secret;
  if (r.confirmed_at !== null) s.confirmedAt = Number(r.confirmed_at);
  if (r.confirm_sent_at !== null) s.confirmSentAt = Number(r.confirm_sent_at);
  return s;
}
