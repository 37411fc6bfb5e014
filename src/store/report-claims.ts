import type { PoolClient } from 'pg';
import { PostgresDb } from './postgres-db.js';
import { insertBatchPg, type MinuteDelta, type StoredReport } from './report-writers.js';
import type { SqlDb } from './sql-db.js';

/** A rate-limit charge of one request, held cluster-wide: GCRA on `key`. */
export interface RateCharge {
  key: string;
  /** The charge in milliseconds of refill (cost × refill interval of one token). */
  costMs: number;
  /** The bucket's depth in milliseconds (burst × refill interval). */
  burstMs: number;
}

/** What a batch claims in the shared abuse state, alongside its rows. */
export interface BatchClaims {
  /** Node clock, epoch ms: the rate limits' "now". */
  now: number;
  dedupeWindowMs: number;
  /** Reports (indices into the batch) whose (service, fingerprint, event time) is claimed. */
  dedupe: readonly number[];
  /** Each request's charges and the reports (indices `from` ≤ i < `to`) it carries. */
  charges: readonly { charges: readonly RateCharge[]; from: number; to: number }[];
}

/** Indices refused by the shared state. */
export interface BatchRefusals {
  /** Requests (indices into `claims.charges`) over a rate limit: all their reports refused. */
  rateLimited: number[];
  /** Reports refused as duplicates of a report accepted (maybe on another node) in the window. */
  duplicates: number[];
}

/** Writes the accepted reports of a batch; `aggregate` turns them into rollup deltas. */
export type ClaimingWriter = (reports: readonly StoredReport[], claims: BatchClaims, aggregate: (accepted: readonly StoredReport[]) => MinuteDelta[]) => Promise<BatchRefusals>;

/**
 * The group commit with the abuse state claimed in the same transaction: rate limits (one
 * upsert for every key of the batch), then dedupe (one upsert for every reporter of the
 * batch), then only the reports both admitted, with their rollups. A report is accepted
 * if and only if it is stored, on whichever node it arrived, and a failed commit leaves no
 * claim behind. Keys are written in sorted order so that two nodes' commits never deadlock.
 *
 * Each upsert decides in its WHERE clause against the row as committed (the conflicting
 * row is locked and re-read), so two nodes claiming the same reporter at once cannot both
 * win. A key met several times in one batch is decided once for all of its uses: a rate key
 * with the summed cost, a reporter with the earliest and latest of its event times.
 */
export function claimingWriterFor(db: SqlDb): ClaimingWriter {
  if (!(db instanceof PostgresDb)) {
    return () => Promise.reject(new Error('shared abuse state needs PostgreSQL (cluster mode)'));
  }
  return async (reports, claims, aggregate) => {
    const client: PoolClient = await db.raw.connect();
    try {
      await client.query('BEGIN');
      const rateLimited = await claimRates(client, claims);
      const refused = new Uint8Array(reports.length);
      for (const i of rateLimited) for (let r = claims.charges[i].from; r < claims.charges[i].to; r++) refused[r] = 1;
      const duplicates = await claimDedupe(client, reports, claims, refused);
      for (const i of duplicates) refused[i] = 1;
      const accepted = rateLimited.length === 0 && duplicates.length === 0 ? reports : reports.filter((_, i) => refused[i] === 0);
      await insertBatchPg(client, accepted, aggregate(accepted));
      await client.query('COMMIT');
      return { rateLimited, duplicates };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  };
}

async function claimRates(client: PoolClient, claims: BatchClaims): Promise<number[]> {
  if (claims.charges.length === 0) return [];
  const byKey = sumByKey(claims.charges.flatMap((c) => c.charges));
  const admitted = await claimKeys(client, byKey, claims.now);
  if (admitted.size === byKey.size) return [];
  const out: number[] = [];
  claims.charges.forEach((c, i) => {
    if (c.charges.some((charge) => !admitted.has(charge.key))) out.push(i);
  });
  return out;
}

/** A key met several times is decided once, with the summed cost. */
function sumByKey(charges: readonly RateCharge[]): Map<string, { costMs: number; burstMs: number }> {
  const byKey = new Map<string, { costMs: number; burstMs: number }>();
  for (const charge of charges) {
    const k = byKey.get(charge.key);
    if (k) k.costMs += charge.costMs;
    else byKey.set(charge.key, { costMs: charge.costMs, burstMs: charge.burstMs });
  }
  return byKey;
}

/** One upsert for every key (in sorted order: two nodes never deadlock); the keys whose charge fit. */
async function claimKeys(client: PoolClient, byKey: ReadonlyMap<string, { costMs: number; burstMs: number }>, now: number): Promise<Set<string>> {
  const keys = [...byKey.keys()].sort();
  // excluded.tat - now is the summed cost for the key.
  const r = await client.query<{ key: string }>(
    `INSERT INTO abuse_rates (key, tat, burst_ms)
     SELECT k, $4::bigint + c, b FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS d(k, c, b) WHERE c <= b ORDER BY k
     ON CONFLICT (key) DO UPDATE SET tat = GREATEST(abuse_rates.tat, $4::bigint) + (excluded.tat - $4::bigint), burst_ms = excluded.burst_ms
     WHERE GREATEST(abuse_rates.tat, $4::bigint) + (excluded.tat - $4::bigint) - $4::bigint <= excluded.burst_ms
     RETURNING key`,
    [keys, keys.map((k) => Math.ceil((byKey.get(k) as { costMs: number }).costMs)), keys.map((k) => Math.floor((byKey.get(k) as { burstMs: number }).burstMs)), now],
  );
  return new Set(r.rows.map((row) => row.key));
}

/** A request's charges refused cluster-wide: the first key over its limit, and when it fits again. */
export interface SharedRefusal {
  key: string;
  retryAfterS: number;
}

/** Claims one request's rate charges in the shared state: all or none; null when admitted. */
export type SharedRateClaimer = (charges: readonly RateCharge[], now: number) => Promise<SharedRefusal | null>;

/**
 * The report limits' shared state, for requests that carry no reports (instant checks): the
 * same GCRA upsert, in a transaction of its own that is rolled back when any key is over its
 * limit, so a refused request costs nothing on any key.
 */
export function sharedRateClaimerFor(db: SqlDb): SharedRateClaimer {
  if (!(db instanceof PostgresDb)) {
    return () => Promise.reject(new Error('shared abuse state needs PostgreSQL (cluster mode)'));
  }
  return async (charges, now) => {
    const byKey = sumByKey(charges);
    if (byKey.size === 0) return null;
    const client: PoolClient = await db.raw.connect();
    try {
      await client.query('BEGIN');
      const admitted = await claimKeys(client, byKey, now);
      if (admitted.size === byKey.size) {
        await client.query('COMMIT');
        return null;
      }
      await client.query('ROLLBACK');
      const key = charges.find((c) => !admitted.has(c.key))?.key as string;
      const { costMs, burstMs } = byKey.get(key) as { costMs: number; burstMs: number };
      const row = await client.query<{ tat: string }>('SELECT tat FROM abuse_rates WHERE key = $1', [key]);
      const tat = row.rows.length > 0 ? Number(row.rows[0].tat) : now;
      const waitMs = Math.max(tat, now) + costMs - burstMs - now;
      return { key, retryAfterS: Math.max(1, Math.ceil(Math.min(waitMs, 86_400_000) / 1000)) };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  };
}

async function claimDedupe(client: PoolClient, reports: readonly StoredReport[], claims: BatchClaims, refused: Uint8Array): Promise<number[]> {
  const groups = new Map<string, { serviceId: number; fingerprint: string; first: number; last: number; members: number[] }>();
  for (const i of claims.dedupe) {
    if (refused[i] === 1) continue;
    const r = reports[i];
    const k = `${r.serviceId}\0${r.fingerprint}`;
    const g = groups.get(k);
    if (g) {
      g.first = Math.min(g.first, r.ts);
      g.last = Math.max(g.last, r.ts);
      g.members.push(i);
    } else groups.set(k, { serviceId: r.serviceId, fingerprint: r.fingerprint, first: r.ts, last: r.ts, members: [i] });
  }
  if (groups.size === 0) return [];
  const list = [...groups.values()].sort((a, b) => a.serviceId - b.serviceId || (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
  const w = claims.dedupeWindowMs;
  const r = await client.query<{ service_id: number; fingerprint: string }>(
    `INSERT INTO abuse_dedupe (service_id, fingerprint, ts, first_ts)
     SELECT s, f, l, fi FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[]) WITH ORDINALITY AS d(s, f, l, fi, n) ORDER BY n
     ON CONFLICT (service_id, fingerprint) DO UPDATE SET ts = excluded.ts, first_ts = excluded.first_ts
     WHERE excluded.first_ts >= abuse_dedupe.ts + $5::bigint OR excluded.ts <= abuse_dedupe.ts - $5::bigint
     RETURNING service_id, fingerprint`,
    [list.map((g) => g.serviceId), list.map((g) => g.fingerprint), list.map((g) => g.last), list.map((g) => g.first), w],
  );
  if (r.rows.length === list.length) return [];
  const admitted = new Set(r.rows.map((row) => `${Number(row.service_id)}\0${row.fingerprint}`));
  const out: number[] = [];
  for (const g of list) if (!admitted.has(`${g.serviceId}\0${g.fingerprint}`)) out.push(...g.members);
  return out.sort((a, b) => a - b);
}

/** Drops shared abuse rows that can no longer refuse anything. */
export async function pruneClaims(db: SqlDb, now: number, dedupeWindowMs: number): Promise<number> {
  const a = await db.run('DELETE FROM abuse_dedupe WHERE ts < ?', [now - dedupeWindowMs - 86_400_000]);
  const b = await db.run('DELETE FROM abuse_rates WHERE tat < ?', [now]);
  return a.changes + b.changes;
}
