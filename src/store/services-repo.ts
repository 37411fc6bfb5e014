import { holdServiceRow } from './service-row-lock.js';
import type { SqlDb, SqlValue } from './sql-db.js';

/** What defines a service (config file and API share it). */
export interface ServiceFields {
  slug: string;
  name: string;
  url: string;
  logo?: string;
  category?: string;
}

export type ServiceSource = 'config' | 'api';

export interface ServiceRecord extends ServiceFields {
  /** Internal key used by report rows; never exposed in the API. */
  id: number;
  source: ServiceSource;
  createdAt: number;
  updatedAt: number;
}

/** Fields to change; null clears an optional one. */
export interface ServicePatch {
  name?: string;
  url?: string;
  logo?: string | null;
  category?: string | null;
}

/**
 * Services, cached in memory: the report hot path resolves a slug per request. In cluster
 * mode other nodes write too: their changes arrive as `service.changed` events (which call
 * `reload()`), and a slug missing from the cache reloads it, at most every
 * `reloadOnMissMs`, for a report that arrives before the event.
 */
export interface ServicesRepository {
  list(): Promise<ServiceRecord[]>;
  get(slug: string): Promise<ServiceRecord | undefined>;
  /** Undefined when the slug is taken. */
  create(fields: ServiceFields, source: ServiceSource, now: number): Promise<ServiceRecord | undefined>;
  update(slug: string, patch: ServicePatch, now: number): Promise<ServiceRecord | undefined>;
  /** Deletes the service with its reports, rollups and recorded scenario replays. */
  delete(slug: string): Promise<boolean>;
  /** Creates or updates each definition (config services at start). */
  upsertMany(defs: readonly ServiceFields[], source: ServiceSource, now: number): Promise<void>;
  reload(): Promise<void>;
}

interface ServiceRow {
  id: number;
  slug: string;
  name: string;
  url: string;
  logo: string | null;
  category: string | null;
  source: ServiceSource;
  created_at: number;
  updated_at: number;
}

const COLUMNS = 'id, slug, name, url, logo, category, source, created_at, updated_at';

function toRecord(r: ServiceRow): ServiceRecord {
  const s: ServiceRecord = { id: Number(r.id), slug: r.slug, name: r.name, url: r.url, source: r.source, createdAt: Number(r.created_at), updatedAt: Number(r.updated_at) };
  if (r.logo !== null) s.logo = r.logo;
  if (r.category !== null) s.category = r.category;
  return s;
}

/**
 * Tables of what a service's reports and probes produced, keyed by its slug, emptied with it.
 * Each writer of these holds the service's row and writes nothing for a slug that is not (or
 * no longer) a service (service-row-lock.ts), so none leaves a row behind a deletion for a
 * service made again under the slug to inherit; a writer added here must do the same.
 * Kept on purpose: what an operator configured or wrote (checks, alert rules, subscribers,
 * operator incidents and maintenance windows name services by slug and apply again to a
 * service made under the same slug) and the alert delivery log (a record of what was sent).
 */
export const SLUG_KEYED_TABLES = [
  'scenario_replays',
  'incidents',
  'incident_engine_state',
  'detector_points',
  'incident_correlations',
  'probe_events',
  'service_status',
  'forensics_reports',
] as const;

export class SqlServicesRepository implements ServicesRepository {
  private cache: Map<string, ServiceRecord> | undefined;
  private loading: Promise<Map<string, ServiceRecord>> | undefined;
  private lastMissReload = 0;

  constructor(
    private readonly db: SqlDb,
    private readonly reloadOnMissMs?: number,
  ) {}

  private async all(): Promise<Map<string, ServiceRecord>> {
    if (this.cache) return this.cache;
    this.loading ??= (async () => {
      const rows = await this.db.all<ServiceRow>(`SELECT ${COLUMNS} FROM services ORDER BY slug`);
      const map = new Map(rows.map((r) => [r.slug, toRecord(r)]));
      this.cache = map;
      this.loading = undefined;
      return map;
    })();
    return this.loading;
  }

  async reload(): Promise<void> {
    this.cache = undefined;
    await this.all();
  }

  async list(): Promise<ServiceRecord[]> {
    return [...(await this.all()).values()].sort((a, b) => (a.slug < b.slug ? -1 : 1));
  }

  async get(slug: string): Promise<ServiceRecord | undefined> {
    const cached = this.cache?.get(slug);
    if (cached) return cached;
    const found = (await this.all()).get(slug);
    if (found || this.reloadOnMissMs === undefined || performance.now() - this.lastMissReload < this.reloadOnMissMs) return found;
    this.lastMissReload = performance.now();
    await this.reload();
    return (await this.all()).get(slug);
  }

  async create(fields: ServiceFields, source: ServiceSource, now: number): Promise<ServiceRecord | undefined> {
    const map = await this.all();
    if (map.has(fields.slug)) return undefined;
    const r = await this.db.run(
      'INSERT INTO services (slug, name, url, logo, category, source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (slug) DO NOTHING',
      [fields.slug, fields.name, fields.url, fields.logo ?? null, fields.category ?? null, source, now, now],
    );
    if (r.changes !== 1) return undefined;
    return this.refresh(fields.slug);
  }

  async update(slug: string, patch: ServicePatch, now: number): Promise<ServiceRecord | undefined> {
    const sets: string[] = [];
    const params: SqlValue[] = [];
    for (const key of ['name', 'url', 'logo', 'category'] as const) {
      if (patch[key] === undefined) continue;
      sets.push(`${key} = ?`);
      params.push(patch[key]);
    }
    sets.push('updated_at = ?');
    params.push(now, slug);
    const r = await this.db.run(`UPDATE services SET ${sets.join(', ')} WHERE slug = ?`, params);
    if (r.changes !== 1) return undefined;
    return this.refresh(slug);
  }

  async delete(slug: string): Promise<boolean> {
    const existing = await this.get(slug);
    if (!existing) return false;
    await this.db.transaction(async (tx) => {
      // The row first: writers of derived state hold it while they write, so none can commit
      // between the deletes below and the end of this transaction (service-row-lock.ts).
      await holdServiceRow(tx, slug, 'update');
      await tx.run('DELETE FROM reports WHERE service_id = ?', [existing.id]);
      await tx.run('DELETE FROM report_minutes WHERE service_id = ?', [existing.id]);
      // Everything derived from its reports and probes is keyed by the slug: without this a
      // service made again under the same slug would inherit the old incidents and a trained
      // detector. Its replays went with its reports.
      for (const table of SLUG_KEYED_TABLES) await tx.run(`DELETE FROM ${table} WHERE service = ?`, [slug]);
      await tx.run('DELETE FROM services WHERE id = ?', [existing.id]);
    });
    (await this.all()).delete(slug);
    return true;
  }

  async upsertMany(defs: readonly ServiceFields[], source: ServiceSource, now: number): Promise<void> {
    for (const d of defs) {
      await this.db.run(
        `INSERT INTO services (slug, name, url, logo, category, source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (slug) DO UPDATE SET name = excluded.name, url = excluded.url, logo = excluded.logo, category = excluded.category, updated_at = excluded.updated_at`,
        [d.slug, d.name, d.url, d.logo ?? null, d.category ?? null, source, now, now],
      );
    }
    await this.reload();
  }

  private async refresh(slug: string): Promise<ServiceRecord | undefined> {
    const row = await this.db.get<ServiceRow>(`SELECT ${COLUMNS} FROM services WHERE slug = ?`, [slug]);
    const map = await this.all();
    if (!row) {
      map.delete(slug);
      return undefined;
    }
    const rec = toRecord(row);
    map.set(slug, rec);
    return rec;
  }
}
