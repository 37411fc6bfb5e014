import { randomUUID } from 'node:crypto';
import { decideReplay, type ReplayDecision, type ReplayRequest, type ScenarioReplay } from '../simulate/replay-record.js';
import { holdServiceRow } from './service-row-lock.js';
import type { SqlDb } from './sql-db.js';

/** The replays of scenarios into each service (`stormwatch simulate --target`). */
export interface ReplayRepository {
  /** Oldest first. */
  list(service: string): Promise<ScenarioReplay[]>;
  /**
   * Records `r` unless the rule (`decideReplay`) says otherwise; decided and written in one
   * transaction, with the service's row locked on PostgreSQL, so two replays started at
   * once cannot both pass. `gone`, with nothing written, when the service no longer exists
   * (deleted meanwhile, perhaps on another server: service-row-lock.ts).
   */
  record(r: ReplayRequest, now: number): Promise<Exclude<ReplayDecision, { kind: 'new' }> | { kind: 'created'; replay: ScenarioReplay } | { kind: 'gone' }>;
}

interface Row {
  id: string;
  service: string;
  scenario: string;
  seed: number | string;
  scale: number | string;
  from_ms: number | string;
  to_ms: number | string;
  appended: number | string;
  created_at: number | string;
}

const COLUMNS = 'id, service, scenario, seed, scale, from_ms, to_ms, appended, created_at';

function toReplay(r: Row): ScenarioReplay {
  return { id: r.id, service: r.service, scenario: r.scenario, seed: Number(r.seed), scale: Number(r.scale), from: Number(r.from_ms), to: Number(r.to_ms), append: Number(r.appended) === 1, createdAt: Number(r.created_at) };
}

export class SqlReplayRepository implements ReplayRepository {
  constructor(private readonly db: SqlDb) {}

  async list(service: string): Promise<ScenarioReplay[]> {
    return (await this.db.all<Row>(`SELECT ${COLUMNS} FROM scenario_replays WHERE service = ? ORDER BY created_at, id`, [service])).map(toReplay);
  }

  async record(r: ReplayRequest, now: number): ReturnType<ReplayRepository['record']> {
    return this.db.transaction(async (tx) => {
      if (!(await holdServiceRow(tx, r.service, 'update'))) return { kind: 'gone' as const };
      const earlier = (await tx.all<Row>(`SELECT ${COLUMNS} FROM scenario_replays WHERE service = ? ORDER BY created_at, id`, [r.service])).map(toReplay);
      const decision = decideReplay(earlier, r);
      if (decision.kind !== 'new') return decision;
      const replay: ScenarioReplay = { ...r, id: randomUUID(), createdAt: now };
      await tx.run(`INSERT INTO scenario_replays (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, [replay.id, r.service, r.scenario, r.seed, r.scale, r.from, r.to, r.append ? 1 : 0, now]);
      return { kind: 'created', replay };
    });
  }
}
