import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Check, CheckDefinition } from '../probes/check.js';
import type { ConditionOutcome } from '../probes/conditions.js';
import type { ErrorClass, ProbeResult } from '../probes/result.js';
import type { SqlDb, SqlValue } from './sql-db.js';

export interface Agent {
  id: string;
  name: string;
  location: string;
  createdAt: number;
  revokedAt?: number;
  lastSeenAt?: number;
}

/** One failing location of a service's check, with the class of its latest failure. */
export interface LocationFailure {
  checkId: string;
  checkName: string;
  location: string;
  errorClass: ErrorClass;
  at: number;
  detail: string;
}

export type CheckSource = 'config' | 'api';

/** Results of one location in one time bucket (`start` = bucket index × bucket width). */
export interface ResultBucket {
  location: string;
  start: number;
  runs: number;
  failures: number;
  /** Latency of the successful runs; null when none succeeded. */
  avgMs: number | null;
  maxMs: number | null;
}

/**
 * Checks, agents and results. Other domains read it too: the incident correlator asks
 * `failuresSince(service, since)`, the matrix asks `latestByLocation(checkId)`.
 */
export interface ProbeRepository {
  createCheck(def: CheckDefinition, source: CheckSource, now: number, id?: string): Promise<Check>;
  replaceCheck(id: string, def: CheckDefinition, now: number): Promise<Check | undefined>;
  deleteCheck(id: string): Promise<boolean>;
  getCheck(id: string): Promise<Check | undefined>;
  getCheckByName(name: string): Promise<(Check & { source: CheckSource }) | undefined>;
  listChecks(filter?: { service?: string; source?: CheckSource }): Promise<Check[]>;
  /** Which of these ids name a stored check. */
  existingCheckIds(ids: readonly string[]): Promise<Set<string>>;

  /** Returns the agent and its token; only the token's hash is kept. */
  createAgent(name: string, location: string, now: number): Promise<{ agent: Agent; token: string }>;
  /** The agent holding this token, unless revoked; records it as seen. */
  authenticateAgent(token: string, now: number): Promise<Agent | undefined>;
  revokeAgent(id: string, now: number): Promise<boolean>;
  /**
   * Fixes the location of an agent created without one (its first call names it); returns
   * the agent's location afterwards, which is the one already fixed when there was one.
   */
  pinAgentLocation(id: string, location: string): Promise<string>;
  listAgents(): Promise<Agent[]>;

  /** Stores results whose id is new, stamped with when the server received them; returns those inserted. */
  insertResults(results: readonly ProbeResult[], receivedAt?: number): Promise<ProbeResult[]>;
  /** Results of one check in one location after the (at, id) pair, oldest first. */
  resultsAfter(checkId: string, location: string, afterAt: number, afterId: string, limit: number): Promise<ProbeResult[]>;
  /** Each (check, location) with results received at or after `since`. */
  receivedSince(since: number): Promise<{ checkId: string; location: string }[]>;
  /** The last `perLocation` results of a check in each location, newest first. */
  latestByLocation(checkId: string, perLocation?: number): Promise<Map<string, ProbeResult[]>>;
  resultsBetween(checkId: string, from: number, to: number, limit?: number): Promise<ProbeResult[]>;
  /** Per location, results in [from, to) counted in buckets of `bucketMs` aligned to the epoch. */
  resultBuckets(checkId: string, from: number, to: number, bucketMs: number): Promise<ResultBucket[]>;
  /** The time of the check's first result at or after `since`, if any. */
  firstResultAt(checkId: string, since: number): Promise<number | undefined>;
  /** Failed results in [from, to), newest first. */
  failuresBetween(checkId: string, from: number, to: number, limit: number): Promise<ProbeResult[]>;
  countResults(checkId?: string): Promise<number>;
  /** Deletes results older than `before`, in chunks so no statement holds the database long. */
  pruneResults(before: number, chunk?: number): Promise<number>;
  /** Locations whose latest result (at or after `since`) for a check of `service` failed. */
  failuresSince(service: string, since: number): Promise<LocationFailure[]>;
}

interface CheckRow { id: string; definition: string; source: CheckSource }
interface AgentRow { id: string; name: string; location: string; created_at: number; revoked_at: number | null; last_seen_at: number | null }
interface ResultRow {
  id: string; check_id: string; location: string; agent_id: string | null; at: number; ok: number; error_class: string;
  latency_ms: number; status: number | null; detail: string; conditions: string | null; cert_expires_at: number | null;
}

const RESULT_COLUMNS = 'id, check_id, location, agent_id, at, ok, error_class, latency_ms, status, detail, conditions, cert_expires_at';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export class SqlProbeRepository implements ProbeRepository {
  constructor(private readonly db: SqlDb) {}

  async createCheck(def: CheckDefinition, source: CheckSource, now: number, id: string = randomUUID()): Promise<Check> {
    await this.db.run(
      'INSERT INTO probe_checks (id, name, service, source, definition, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [id, def.name, def.service ?? null, source, JSON.stringify(def), now, now],
    );
    return { ...def, id };
  }

  async replaceCheck(id: string, def: CheckDefinition, now: number): Promise<Check | undefined> {
    const r = await this.db.run('UPDATE probe_checks SET name = ?, service = ?, definition = ?, updated_at = ? WHERE id = ?', [
      def.name, def.service ?? null, JSON.stringify(def), now, id,
    ]);
    return r.changes > 0 ? { ...def, id } : undefined;
  }

  async deleteCheck(id: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const deleted = (await tx.run('DELETE FROM probe_checks WHERE id = ?', [id])).changes > 0;
      // Nothing can reach a deleted check's results (or its state) any more.
      if (deleted) {
        await tx.run('DELETE FROM probe_results WHERE check_id = ?', [id]);
        await tx.run('DELETE FROM probe_location_states WHERE check_id = ?', [id]);
      }
      return deleted;
    });
  }

  async getCheck(id: string): Promise<Check | undefined> {
    const row = await this.db.get<CheckRow>('SELECT id, definition, source FROM probe_checks WHERE id = ?', [id]);
    return row ? toCheck(row) : undefined;
  }

  async getCheckByName(name: string): Promise<(Check & { source: CheckSource }) | undefined> {
    const row = await this.db.get<CheckRow>('SELECT id, definition, source FROM probe_checks WHERE name = ?', [name]);
    return row ? { ...toCheck(row), source: row.source } : undefined;
  }

  async listChecks(filter: { service?: string; source?: CheckSource } = {}): Promise<Check[]> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (filter.service !== undefined) {
      where.push('service = ?');
      params.push(filter.service);
    }
    if (filter.source !== undefined) {
      where.push('source = ?');
      params.push(filter.source);
    }
    const rows = await this.db.all<CheckRow>(
      `SELECT id, definition, source FROM probe_checks${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY name`,
      params,
    );
    return rows.map(toCheck);
  }

  async existingCheckIds(ids: readonly string[]): Promise<Set<string>> {
    const unique = [...new Set(ids)];
    const found = new Set<string>();
    for (let i = 0; i < unique.length; i += 500) {
      const chunk = unique.slice(i, i + 500);
      const rows = await this.db.all<{ id: string }>(`SELECT id FROM probe_checks WHERE id IN (${chunk.map(() => '?').join(', ')})`, chunk);
      for (const r of rows) found.add(r.id);
    }
    return found;
  }

  async createAgent(name: string, location: string, now: number): Promise<{ agent: Agent; token: string }> {
    const id = randomUUID();
    const token = `swa_${randomBytes(24).toString('base64url')}`;
    await this.db.run('INSERT INTO probe_agents (id, name, location, token_hash, created_at) VALUES (?, ?, ?, ?, ?)', [
      id, name, location, hashToken(token), now,
    ]);
    return { agent: { id, name, location, createdAt: now }, token };
  }

  async authenticateAgent(token: string, now: number): Promise<Agent | undefined> {
    const row = await this.db.get<AgentRow>(
      'SELECT id, name, location, created_at, revoked_at, last_seen_at FROM probe_agents WHERE token_hash = ? AND revoked_at IS NULL',
      [hashToken(token)],
    );
    if (!row) return undefined;
    // Seen-time is informational; one write per minute per agent is plenty.
    if (row.last_seen_at === null || now - row.last_seen_at > 60_000) {
      await this.db.run('UPDATE probe_agents SET last_seen_at = ? WHERE id = ?', [now, row.id]);
      row.last_seen_at = now;
    }
    return toAgent(row);
  }

  async revokeAgent(id: string, now: number): Promise<boolean> {
    return (await this.db.run('UPDATE probe_agents SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [now, id])).changes > 0;
  }

  async pinAgentLocation(id: string, location: string): Promise<string> {
    // Conditional, so that of two first calls racing with different locations one wins for good.
    await this.db.run("UPDATE probe_agents SET location = ? WHERE id = ? AND location = ''", [location, id]);
    const row = await this.db.get<{ location: string }>('SELECT location FROM probe_agents WHERE id = ?', [id]);
    return row?.location ?? location;
  }

  async listAgents(): Promise<Agent[]> {
    const rows = await this.db.all<AgentRow>('SELECT id, name, location, created_at, revoked_at, last_seen_at FROM probe_agents ORDER BY created_at');
    return rows.map(toAgent);
  }

  async insertResults(results: readonly ProbeResult[], receivedAt: number = Date.now()): Promise<ProbeResult[]> {
    if (results.length === 0) return [];
    return this.db.transaction(async (tx) => {
      const inserted: ProbeResult[] = [];
      for (const r of results) {
        const { changes } = await tx.run(
          `INSERT INTO probe_results (${RESULT_COLUMNS}, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
          [
            r.id, r.checkId, r.location, r.agentId ?? null, r.at, r.ok ? 1 : 0, r.errorClass, Math.round(r.latencyMs),
            r.status ?? null, r.detail, r.conditions ? JSON.stringify(r.conditions) : null, r.certExpiresAt ?? null, receivedAt,
          ],
        );
        if (changes > 0) inserted.push(r);
      }
      return inserted;
    });
  }

  async latestByLocation(checkId: string, perLocation = 5): Promise<Map<string, ProbeResult[]>> {
    const rows = await this.db.all<ResultRow>(
      `SELECT ${RESULT_COLUMNS} FROM (
         SELECT ${RESULT_COLUMNS}, ROW_NUMBER() OVER (PARTITION BY location ORDER BY at DESC, id) AS rn
         FROM probe_results WHERE check_id = ?
       ) ranked WHERE rn <= ? ORDER BY location, at DESC`,
      [checkId, perLocation],
    );
    const out = new Map<string, ProbeResult[]>();
    for (const row of rows) {
      const list = out.get(row.location) ?? [];
      list.push(toResult(row));
      out.set(row.location, list);
    }
    return out;
  }

  async resultsBetween(checkId: string, from: number, to: number, limit = 10_000): Promise<ProbeResult[]> {
    const rows = await this.db.all<ResultRow>(
      `SELECT ${RESULT_COLUMNS} FROM probe_results WHERE check_id = ? AND at >= ? AND at < ? ORDER BY at, id LIMIT ?`,
      [checkId, from, to, limit],
    );
    return rows.map(toResult);
  }

  async resultBuckets(checkId: string, from: number, to: number, bucketMs: number): Promise<ResultBucket[]> {
    const width = Math.max(1, Math.round(bucketMs));
    const rows = await this.db.all<{ location: string; b: number | string; runs: number | string; oks: number | string; avg_ms: number | string | null; max_ms: number | string | null }>(
      `SELECT location, CAST(at / ? AS BIGINT) AS b, COUNT(*) AS runs, SUM(ok) AS oks,
         AVG(CASE WHEN ok = 1 THEN latency_ms END) AS avg_ms, MAX(CASE WHEN ok = 1 THEN latency_ms END) AS max_ms
       FROM probe_results WHERE check_id = ? AND at >= ? AND at < ? GROUP BY location, b ORDER BY location, b`,
      [width, checkId, from, to],
    );
    // PostgreSQL answers counts and averages as strings.
    const n = (v: number | string | null): number | null => (v === null ? null : Number(v));
    return rows.map((r) => ({
      location: r.location, start: Number(r.b) * width, runs: Number(r.runs), failures: Number(r.runs) - Number(r.oks),
      avgMs: n(r.avg_ms), maxMs: n(r.max_ms),
    }));
  }

  async firstResultAt(checkId: string, since: number): Promise<number | undefined> {
    const row = await this.db.get<{ at: number | string | null }>('SELECT MIN(at) AS at FROM probe_results WHERE check_id = ? AND at >= ?', [checkId, since]);
    return row?.at === null || row?.at === undefined ? undefined : Number(row.at);
  }

  async failuresBetween(checkId: string, from: number, to: number, limit: number): Promise<ProbeResult[]> {
    const rows = await this.db.all<ResultRow>(
      `SELECT ${RESULT_COLUMNS} FROM probe_results WHERE check_id = ? AND at >= ? AND at < ? AND ok = 0 ORDER BY at DESC, id LIMIT ?`,
      [checkId, from, to, limit],
    );
    return rows.map(toResult);
  }

  async resultsAfter(checkId: string, location: string, afterAt: number, afterId: string, limit: number): Promise<ProbeResult[]> {
    const rows = await this.db.all<ResultRow>(
      `SELECT ${RESULT_COLUMNS} FROM probe_results WHERE check_id = ? AND location = ? AND (at > ? OR (at = ? AND id > ?)) ORDER BY at, id LIMIT ?`,
      [checkId, location, afterAt, afterAt, afterId, limit],
    );
    return rows.map(toResult);
  }

  async receivedSince(since: number): Promise<{ checkId: string; location: string }[]> {
    const rows = await this.db.all<{ check_id: string; location: string }>(
      'SELECT DISTINCT check_id, location FROM probe_results WHERE received_at >= ? ORDER BY check_id, location',
      [since],
    );
    return rows.map((r) => ({ checkId: r.check_id, location: r.location }));
  }

  async countResults(checkId?: string): Promise<number> {
    const row = checkId
      ? await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM probe_results WHERE check_id = ?', [checkId])
      : await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM probe_results');
    return Number(row?.n ?? 0);
  }

  async pruneResults(before: number, chunk = 5000): Promise<number> {
    let total = 0;
    for (;;) {
      const { changes } = await this.db.run('DELETE FROM probe_results WHERE id IN (SELECT id FROM probe_results WHERE at < ? LIMIT ?)', [before, chunk]);
      total += changes;
      if (changes < chunk) return total;
    }
  }

  async failuresSince(service: string, since: number): Promise<LocationFailure[]> {
    const rows = await this.db.all<ResultRow & { name: string }>(
      `SELECT r.id, r.check_id, r.location, r.agent_id, r.at, r.ok, r.error_class, r.latency_ms, r.status, r.detail, r.conditions, r.cert_expires_at, c.name FROM (
         SELECT ${RESULT_COLUMNS}, ROW_NUMBER() OVER (PARTITION BY check_id, location ORDER BY at DESC, id) AS rn
         FROM probe_results WHERE at >= ? AND check_id IN (SELECT id FROM probe_checks WHERE service = ?)
       ) r JOIN probe_checks c ON c.id = r.check_id WHERE r.rn = 1 AND r.ok = 0 ORDER BY r.check_id, r.location`,
      [since, service],
    );
    return rows.map((r) => ({
      checkId: r.check_id, checkName: r.name, location: r.location, errorClass: r.error_class as ErrorClass, at: r.at, detail: r.detail,
    }));
  }
}

function toCheck(row: CheckRow): Check {
  return { ...(JSON.parse(row.definition) as CheckDefinition), id: row.id };
}

function toAgent(row: AgentRow): Agent {
  return {
    id: row.id, name: row.name, location: row.location, createdAt: Number(row.created_at),
    ...(row.revoked_at !== null ? { revokedAt: Number(row.revoked_at) } : {}),
    ...(row.last_seen_at !== null ? { lastSeenAt: Number(row.last_seen_at) } : {}),
  };
}

function toResult(row: ResultRow): ProbeResult {
  return {
    id: row.id, checkId: row.check_id, location: row.location, ...(row.agent_id ? { agentId: row.agent_id } : {}),
    at: Number(row.at), ok: Number(row.ok) === 1, errorClass: row.error_class as ErrorClass, latencyMs: row.latency_ms,
    ...(row.status !== null ? { status: row.status } : {}), detail: row.detail,
    ...(row.conditions ? { conditions: JSON.parse(row.conditions) as ConditionOutcome[] } : {}),
    ...(row.cert_expires_at !== null && row.cert_expires_at !== undefined ? { certExpiresAt: Number(row.cert_expires_at) } : {}),
  };
}
