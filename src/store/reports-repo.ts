import { batchWriterFor, type BatchKey, type BatchWriter, type MinuteDelta, type StoredReport } from './report-writers.js';
import type { SqlDb } from './sql-db.js';

export type { BatchKey, MinuteDelta, StoredReport } from './report-writers.js';

export interface MinuteCount {
  /** Start of the minute, epoch ms (event time). */
  minute: number;
  problem: string;
  region: string;
  count: number;
  /** Reports among `count` from a source new in the window (see 101-report-sources). */
  sources: number;
}

export interface BucketCount {
  /** Start of the bucket, epoch ms. */
  t: number;
  problem: string;
  count: number;
}

export interface RecentFingerprint {
  serviceId: number;
  fingerprint: string;
  ts: number;
}

/**
 * Crowd reports. Writes come only from the ingest queue (`commit`); every read is served
 * from the minute rollups. Ranges are half-open: `from <= t < to`, epoch ms.
 * Other domains read `minuteCounts` (incident engine) and the breakdowns (dashboard).
 */
export interface ReportsRepository {
  /**
   * Raw rows and their rollup deltas, in one transaction; with a key, also the key's row,
   * and nothing at all (answer false) when that key is already stored.
   */
  commit(reports: readonly StoredReport[], deltas: readonly MinuteDelta[], key?: BatchKey): Promise<boolean>;
  /** The stored answer of an import with this idempotency key, if there was one. */
  batchKey(key: string): Promise<BatchKey | undefined>;
  /** Fingerprints accepted with event time at or after `since` (dedupe warm-up at start). */
  recentFingerprints(since: number, limit: number): Promise<RecentFingerprint[]>;
  minuteCounts(serviceId: number, from: number, to: number): Promise<MinuteCount[]>;
  /** The first minute with reports of a service (undefined: none yet). */
  firstMinute(serviceId: number): Promise<number | undefined>;
  /** Counts per bucket of `stepMs` and problem; empty buckets are absent. */
  bucketCounts(serviceId: number, from: number, to: number, stepMs: number): Promise<BucketCount[]>;
  problemBreakdown(serviceId: number, from: number, to: number): Promise<{ problem: string; count: number }[]>;
  regionBreakdown(serviceId: number, from: number, to: number): Promise<{ region: string; count: number }[]>;
  /** Total reports per service id over a range (the statuspage and service list use it). */
  totalsByService(from: number, to: number): Promise<Map<number, number>>;
  /** Raw rows stored (tests and diagnostics). */
  countRaw(serviceId?: number): Promise<number>;
}

const num = (v: unknown): number => Number(v);

export class SqlReportsRepository implements ReportsRepository {
  private readonly writer: BatchWriter;

  constructor(private readonly db: SqlDb) {
    this.writer = batchWriterFor(db);
  }

  commit(reports: readonly StoredReport[], deltas: readonly MinuteDelta[], key?: BatchKey): Promise<boolean> {
    return this.writer(reports, deltas, key);
  }

  async batchKey(key: string): Promise<BatchKey | undefined> {
    const row = await this.db.get<{ key: string; accepted: number; rejected: number; errors: string; created_at: number }>(
      'SELECT key, accepted, rejected, errors, created_at FROM report_batch_keys WHERE key = ?',
      [key],
    );
    return row && { key: row.key, accepted: num(row.accepted), rejected: num(row.rejected), errors: row.errors, createdAt: num(row.created_at) };
  }

  async recentFingerprints(since: number, limit: number): Promise<RecentFingerprint[]> {
    const rows = await this.db.all<{ service_id: number; fingerprint: string; ts: number }>(
      'SELECT service_id, fingerprint, ts FROM reports WHERE ts >= ? ORDER BY ts DESC LIMIT ?',
      [since, limit],
    );
    return rows.map((r) => ({ serviceId: num(r.service_id), fingerprint: r.fingerprint, ts: num(r.ts) }));
  }

  async minuteCounts(serviceId: number, from: number, to: number): Promise<MinuteCount[]> {
    const rows = await this.db.all<{ minute: number; problem: string; region: string; count: number; sources: number }>(
      'SELECT minute, problem, region, count, sources FROM report_minutes WHERE service_id = ? AND minute >= ? AND minute < ? ORDER BY minute, problem, region',
      [serviceId, from, to],
    );
    return rows.map((r) => ({ minute: num(r.minute), problem: r.problem, region: r.region, count: num(r.count), sources: num(r.sources) }));
  }

  async firstMinute(serviceId: number): Promise<number | undefined> {
    const row = await this.db.get<{ m: number | null }>('SELECT MIN(minute) AS m FROM report_minutes WHERE service_id = ?', [serviceId]);
    return row?.m === null || row?.m === undefined ? undefined : num(row.m);
  }

  async bucketCounts(serviceId: number, from: number, to: number, stepMs: number): Promise<BucketCount[]> {
    // Buckets are aligned to the epoch, so `minute - minute % step` is the bucket start.
    const rows = await this.db.all<{ t: number; problem: string; count: number }>(
      `SELECT minute - (minute % CAST(? AS BIGINT)) AS t, problem, SUM(count) AS count FROM report_minutes
       WHERE service_id = ? AND minute >= ? AND minute < ? GROUP BY 1, 2 ORDER BY 1, 2`,
      [stepMs, serviceId, from, to],
    );
    return rows.map((r) => ({ t: num(r.t), problem: r.problem, count: num(r.count) }));
  }

  async problemBreakdown(serviceId: number, from: number, to: number): Promise<{ problem: string; count: number }[]> {
    const rows = await this.db.all<{ problem: string; count: number }>(
      'SELECT problem, SUM(count) AS count FROM report_minutes WHERE service_id = ? AND minute >= ? AND minute < ? GROUP BY problem ORDER BY count DESC, problem',
      [serviceId, from, to],
    );
    return rows.map((r) => ({ problem: r.problem, count: num(r.count) }));
  }

  async regionBreakdown(serviceId: number, from: number, to: number): Promise<{ region: string; count: number }[]> {
    const rows = await this.db.all<{ region: string; count: number }>(
      'SELECT region, SUM(count) AS count FROM report_minutes WHERE service_id = ? AND minute >= ? AND minute < ? GROUP BY region ORDER BY count DESC, region',
      [serviceId, from, to],
    );
    return rows.map((r) => ({ region: r.region, count: num(r.count) }));
  }

  async totalsByService(from: number, to: number): Promise<Map<number, number>> {
    const rows = await this.db.all<{ service_id: number; count: number }>(
      'SELECT service_id, SUM(count) AS count FROM report_minutes WHERE minute >= ? AND minute < ? GROUP BY service_id',
      [from, to],
    );
    return new Map(rows.map((r) => [num(r.service_id), num(r.count)]));
  }

  async countRaw(serviceId?: number): Promise<number> {
    const row =
      serviceId === undefined
        ? await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM reports')
        : await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM reports WHERE service_id = ?', [serviceId]);
    return num(row?.n ?? 0);
  }
}
