import type { LocationState } from '../status/check-verdict.js';
import type { SqlDb, SqlValue } from './sql-db.js';

/**
 * Per check and location: the failure/recovery streaks the service status is derived from.
 * Written by the probe-state evaluator (one writer per cluster), read by every node.
 */
export interface ProbeStateRepository {
  /** Every location's state of these checks (all checks when `checkIds` is absent). */
  list(checkIds?: readonly string[]): Promise<LocationState[]>;
  get(checkId: string, location: string): Promise<LocationState | undefined>;
  save(states: readonly LocationState[], now: number): Promise<void>;
}

interface Row {
  check_id: string; location: string; settled: number; down: number; fail_streak: number; ok_streak: number; last_at: number; last_id: string;
  last_ok: number; last_error_class: string; last_latency_ms: number; fail_class: string | null; fail_detail: string | null;
  cert_expires_at: number | null; changed_at: number;
}

const COLUMNS = 'check_id, location, settled, down, fail_streak, ok_streak, last_at, last_id, last_ok, last_error_class, last_latency_ms, fail_class, fail_detail, cert_expires_at, changed_at';

export class SqlProbeStateRepository implements ProbeStateRepository {
  constructor(private readonly db: SqlDb) {}

  async list(checkIds?: readonly string[]): Promise<LocationState[]> {
    if (checkIds === undefined) return (await this.db.all<Row>(`SELECT ${COLUMNS} FROM probe_location_states ORDER BY check_id, location`)).map(toState);
    const out: LocationState[] = [];
    for (let i = 0; i < checkIds.length; i += 500) {
      const chunk = checkIds.slice(i, i + 500);
      if (chunk.length === 0) break;
      const rows = await this.db.all<Row>(`SELECT ${COLUMNS} FROM probe_location_states WHERE check_id IN (${chunk.map(() => '?').join(', ')}) ORDER BY check_id, location`, chunk);
      out.push(...rows.map(toState));
    }
    return out;
  }

  async get(checkId: string, location: string): Promise<LocationState | undefined> {
    const row = await this.db.get<Row>(`SELECT ${COLUMNS} FROM probe_location_states WHERE check_id = ? AND location = ?`, [checkId, location]);
    return row ? toState(row) : undefined;
  }

  async save(states: readonly LocationState[], now: number): Promise<void> {
    if (states.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (const s of states) {
        const values: SqlValue[] = [
          s.checkId, s.location, s.settled ? 1 : 0, s.down ? 1 : 0, s.failStreak, s.okStreak, s.lastAt, s.lastId, s.lastOk ? 1 : 0, s.lastErrorClass,
          Math.round(s.lastLatencyMs), s.failClass ?? null, s.failDetail?.slice(0, 500) ?? null, s.certExpiresAt ?? null, s.changedAt, now,
        ];
        await tx.run(
          `INSERT INTO probe_location_states (${COLUMNS}, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (check_id, location) DO UPDATE SET settled = excluded.settled, down = excluded.down, fail_streak = excluded.fail_streak, ok_streak = excluded.ok_streak,
           last_at = excluded.last_at, last_id = excluded.last_id, last_ok = excluded.last_ok, last_error_class = excluded.last_error_class,
           last_latency_ms = excluded.last_latency_ms, fail_class = excluded.fail_class, fail_detail = excluded.fail_detail,
           cert_expires_at = excluded.cert_expires_at, changed_at = excluded.changed_at, updated_at = excluded.updated_at`,
          values,
        );
      }
    });
  }
}

function toState(r: Row): LocationState {
  return {
    checkId: r.check_id, location: r.location, settled: Number(r.settled) === 1, down: Number(r.down) === 1, failStreak: Number(r.fail_streak), okStreak: Number(r.ok_streak),
    lastAt: Number(r.last_at), lastId: r.last_id, lastOk: Number(r.last_ok) === 1, lastErrorClass: r.last_error_class, lastLatencyMs: Number(r.last_latency_ms),
    ...(r.fail_class !== null ? { failClass: r.fail_class } : {}),
    ...(r.fail_detail !== null ? { failDetail: r.fail_detail } : {}),
    ...(r.cert_expires_at !== null ? { certExpiresAt: Number(r.cert_expires_at) } : {}),
    changedAt: Number(r.changed_at),
  };
}
