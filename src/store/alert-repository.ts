import { randomUUID } from 'node:crypto';
import type { ChannelDefinition, RuleDefinition } from '../alerts/config.js';
import type { AlertMessage } from '../alerts/message.js';
import type { Correlation, ErrorClassCount } from '../correlate/correlation.js';
import { writeForService } from './service-row-lock.js';
import type { SqlDb } from './sql-db.js';

export interface StoredRule extends RuleDefinition {
  id: string;
}

export type DeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'failed';

/** One message to one channel, with the outcome of its latest attempt. */
export interface Delivery {
  id: string;
  channel: string;
  channelType: string;
  /** The dedupe key: incident (or probe event) + event kind. */
  eventKey: string;
  kind: string;
  service: string;
  incidentId?: string;
  /** 0 for the first notice, n for the n-th reminder. */
  repeat: number;
  status: DeliveryStatus;
  attempts: number;
  lastError?: string;
  responseCode?: number;
  message: AlertMessage;
  createdAt: number;
  updatedAt: number;
}

export interface DeliveryAttempt {
  deliveryId: string;
  attempt: number;
  at: number;
  ok: boolean;
  responseCode?: number;
  error?: string;
  durationMs: number;
}

/** An incident's correlation with the probes, as the incidents API and pages read it. */
export interface IncidentCorrelation extends Correlation {
  incidentId: string;
  service: string;
  open: boolean;
  openedAt: number;
  closedAt?: number;
  updatedAt: number;
}

/** Probes failing from enough locations while nobody reports a problem. */
export interface ProbeEvent {
  id: string;
  service: string;
  startedAt: number;
  endedAt?: number;
  failingLocations: number;
  totalLocations: number;
  errorClasses: ErrorClassCount[];
  cause: string;
  updatedAt: number;
}

export interface DeliveryFilter {
  incidentId?: string;
  status?: DeliveryStatus;
  /** Only deliveries created before this (ms), for paging newest-first. */
  before?: number;
  limit?: number;
}

export interface AlertRepository {
  listChannels(): Promise<ChannelDefinition[]>;
  /** False when a channel of that name exists. */
  createChannel(def: ChannelDefinition, now: number): Promise<boolean>;
  deleteChannel(name: string): Promise<boolean>;
  listRules(): Promise<StoredRule[]>;
  createRule(def: RuleDefinition, now: number, id?: string): Promise<StoredRule>;
  deleteRule(id: string): Promise<boolean>;

  createDelivery(d: Omit<Delivery, 'attempts' | 'status' | 'updatedAt'>): Promise<Delivery>;
  /**
   * Claims `claimKey` and creates the delivery in one transaction; undefined (nothing
   * created) when the key was claimed before, here or on another node.
   */
  claimDelivery(d: Omit<Delivery, 'attempts' | 'status' | 'updatedAt'>, claimKey: string): Promise<Delivery | undefined>;
  /** Creates the delivery unless one with the same event key exists (then undefined): sent once, even after a restart. */
  createDeliveryOnce(d: Omit<Delivery, 'attempts' | 'status' | 'updatedAt'>): Promise<Delivery | undefined>;
  /** Records one attempt and moves the delivery to `status`. */
  recordAttempt(a: DeliveryAttempt, status: DeliveryStatus): Promise<void>;
  getDelivery(id: string): Promise<Delivery | undefined>;
  listDeliveries(filter?: DeliveryFilter): Promise<Delivery[]>;
  listAttempts(deliveryId: string): Promise<DeliveryAttempt[]>;

  /**
   * False, with nothing written, when `c.service` is not a service (deleted since the
   * correlator looked, perhaps on another server; or never one, as its incident then was not
   * stored either): the write holds the service's row (service-row-lock.ts), so it commits
   * before a deletion or finds no service.
   */
  saveCorrelation(c: IncidentCorrelation): Promise<boolean>;
  /** Read by the incidents API and the incident page: confidence and cause by incident id. */
  getCorrelation(incidentId: string): Promise<IncidentCorrelation | undefined>;
  /** The correlations of several incidents at once, by incident id (absent ones left out). */
  getCorrelations(incidentIds: readonly string[]): Promise<Map<string, IncidentCorrelation>>;
  listOpenCorrelations(): Promise<IncidentCorrelation[]>;

  /**
   * False, with nothing written, when `e.service` is not a service: like a probe incident
   * (src/status), a probe-only event belongs to a service, and a check naming a slug with no
   * service (one deleted, whose checks are kept) records none. Holds the service's row as
   * `saveCorrelation` does.
   */
  saveProbeEvent(e: ProbeEvent): Promise<boolean>;
  openProbeEvent(service: string): Promise<ProbeEvent | undefined>;
  listProbeEvents(filter?: { service?: string; limit?: number }): Promise<ProbeEvent[]>;
}

interface DeliveryRow {
  id: string; channel: string; channel_type: string; event_key: string; kind: string; service: string; incident_id: string | null;
  repeat_count: number; status: DeliveryStatus; attempts: number; last_error: string | null; response_code: number | null;
  message: string; created_at: number | string; updated_at: number | string;
}
interface AttemptRow { delivery_id: string; attempt: number; at: number | string; ok: number; response_code: number | null; error: string | null; duration_ms: number }
interface CorrelationRow {
  incident_id: string; service: string; open: number; opened_at: number | string; closed_at: number | string | null; confidence: string;
  cause: string; failing_locations: number; total_locations: number; error_classes: string; updated_at: number | string;
}
interface ProbeEventRow {
  id: string; service: string; started_at: number | string; ended_at: number | string | null; failing_locations: number;
  total_locations: number; error_classes: string; cause: string; updated_at: number | string;
}

const DELIVERY_COLUMNS =
  'id, channel, channel_type, event_key, kind, service, incident_id, repeat_count, status, attempts, last_error, response_code, message, created_at, updated_at';
const INSERT_DELIVERY = `INSERT INTO alert_deliveries (${DELIVERY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

function deliveryParams(d: Omit<Delivery, 'attempts' | 'status' | 'updatedAt'>): (string | number | null)[] {
  return [d.id, d.channel, d.channelType, d.eventKey, d.kind, d.service, d.incidentId ?? null, d.repeat, 'pending', 0, null, null, JSON.stringify(d.message), d.createdAt, d.createdAt];
}

export class SqlAlertRepository implements AlertRepository {
  constructor(private readonly db: SqlDb) {}

  async listChannels(): Promise<ChannelDefinition[]> {
    const rows = await this.db.all<{ definition: string }>('SELECT definition FROM alert_channels ORDER BY name');
    return rows.map((r) => JSON.parse(r.definition) as ChannelDefinition);
  }

  async createChannel(def: ChannelDefinition, now: number): Promise<boolean> {
    const { changes } = await this.db.run(
      'INSERT INTO alert_channels (name, type, definition, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING',
      [def.name, def.type, JSON.stringify(def), now],
    );
    return changes > 0;
  }

  async deleteChannel(name: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM alert_channels WHERE name = ?', [name])).changes > 0;
  }

  async listRules(): Promise<StoredRule[]> {
    const rows = await this.db.all<{ id: string; definition: string }>('SELECT id, definition FROM alert_rules ORDER BY created_at, id');
    return rows.map((r) => ({ ...(JSON.parse(r.definition) as RuleDefinition), id: r.id }));
  }

  async createRule(def: RuleDefinition, now: number, id: string = randomUUID()): Promise<StoredRule> {
    await this.db.run('INSERT INTO alert_rules (id, definition, created_at) VALUES (?, ?, ?)', [id, JSON.stringify(def), now]);
    return { ...def, id };
  }

  async deleteRule(id: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM alert_rules WHERE id = ?', [id])).changes > 0;
  }

  async createDelivery(d: Omit<Delivery, 'attempts' | 'status' | 'updatedAt'>): Promise<Delivery> {
    await this.db.run(INSERT_DELIVERY, deliveryParams(d));
    return { ...d, status: 'pending', attempts: 0, updatedAt: d.createdAt };
  }

  async claimDelivery(d: Omit<Delivery, 'attempts' | 'status' | 'updatedAt'>, claimKey: string): Promise<Delivery | undefined> {
    const claimed = await this.db.transaction(async (tx) => {
      const r = await tx.run('INSERT INTO alert_claims (claim_key, delivery_id, claimed_at) VALUES (?, ?, ?) ON CONFLICT (claim_key) DO NOTHING', [claimKey, d.id, d.createdAt]);
      if (r.changes !== 1) return false;
      await tx.run(INSERT_DELIVERY, deliveryParams(d));
      return true;
    });
    return claimed ? { ...d, status: 'pending', attempts: 0, updatedAt: d.createdAt } : undefined;
  }

  createDeliveryOnce(d: Omit<Delivery, 'attempts' | 'status' | 'updatedAt'>): Promise<Delivery | undefined> {
    // The claim makes "once" hold across restarts and when two nodes announce the same event.
    return this.claimDelivery(d, `once:${d.eventKey}`);
  }

  async recordAttempt(a: DeliveryAttempt, status: DeliveryStatus): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run(
        'INSERT INTO alert_attempts (delivery_id, attempt, at, ok, response_code, error, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [a.deliveryId, a.attempt, a.at, a.ok ? 1 : 0, a.responseCode ?? null, a.error ?? null, Math.round(a.durationMs)],
      );
      await tx.run(
        'UPDATE alert_deliveries SET status = ?, attempts = ?, last_error = ?, response_code = ?, updated_at = ? WHERE id = ?',
        [status, a.attempt, a.ok ? null : (a.error ?? null), a.responseCode ?? null, a.at, a.deliveryId],
      );
    });
  }

  async getDelivery(id: string): Promise<Delivery | undefined> {
    const row = await this.db.get<DeliveryRow>(`SELECT ${DELIVERY_COLUMNS} FROM alert_deliveries WHERE id = ?`, [id]);
    return row ? toDelivery(row) : undefined;
  }

  async listDeliveries(filter: DeliveryFilter = {}): Promise<Delivery[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    const add = (clause: string, value: string | number): void => {
      where.push(clause);
      params.push(value);
    };
    if (filter.incidentId) add('incident_id = ?', filter.incidentId);
    if (filter.status) add('status = ?', filter.status);
    if (filter.before !== undefined) add('created_at < ?', filter.before);
    params.push(Math.min(Math.max(filter.limit ?? 100, 1), 1000));
    const rows = await this.db.all<DeliveryRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM alert_deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id LIMIT ?`,
      params,
    );
    return rows.map(toDelivery);
  }

  async listAttempts(deliveryId: string): Promise<DeliveryAttempt[]> {
    const rows = await this.db.all<AttemptRow>(
      'SELECT delivery_id, attempt, at, ok, response_code, error, duration_ms FROM alert_attempts WHERE delivery_id = ? ORDER BY attempt',
      [deliveryId],
    );
    return rows.map((r) => ({
      deliveryId: r.delivery_id, attempt: r.attempt, at: Number(r.at), ok: Number(r.ok) === 1, durationMs: r.duration_ms,
      ...(r.response_code !== null ? { responseCode: r.response_code } : {}), ...(r.error !== null ? { error: r.error } : {}),
    }));
  }

  saveCorrelation(c: IncidentCorrelation): Promise<boolean> {
    return writeForService(this.db, c.service, async (tx) => {
      await tx.run(
        `INSERT INTO incident_correlations (incident_id, service, open, opened_at, closed_at, confidence, cause, failing_locations, total_locations, error_classes, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (incident_id) DO UPDATE SET service = excluded.service, open = excluded.open, closed_at = excluded.closed_at,
           confidence = excluded.confidence, cause = excluded.cause, failing_locations = excluded.failing_locations,
           total_locations = excluded.total_locations, error_classes = excluded.error_classes, updated_at = excluded.updated_at`,
        [c.incidentId, c.service, c.open ? 1 : 0, c.openedAt, c.closedAt ?? null, c.confidence, c.cause, c.failingLocations,
          c.totalLocations, JSON.stringify(c.errorClasses), c.updatedAt],
      );
    });
  }

  async getCorrelations(incidentIds: readonly string[]): Promise<Map<string, IncidentCorrelation>> {
    const out = new Map<string, IncidentCorrelation>();
    // Chunked to stay under both databases' parameter limits.
    for (let i = 0; i < incidentIds.length; i += 500) {
      const ids = incidentIds.slice(i, i + 500);
      const rows = await this.db.all<CorrelationRow>(`SELECT * FROM incident_correlations WHERE incident_id IN (${ids.map(() => '?').join(', ')})`, ids);
      for (const row of rows) out.set(row.incident_id, toCorrelation(row));
    }
    return out;
  }

  async getCorrelation(incidentId: string): Promise<IncidentCorrelation | undefined> {
    const row = await this.db.get<CorrelationRow>('SELECT * FROM incident_correlations WHERE incident_id = ?', [incidentId]);
    return row ? toCorrelation(row) : undefined;
  }

  async listOpenCorrelations(): Promise<IncidentCorrelation[]> {
    const rows = await this.db.all<CorrelationRow>('SELECT * FROM incident_correlations WHERE open = 1 ORDER BY opened_at');
    return rows.map(toCorrelation);
  }

  saveProbeEvent(e: ProbeEvent): Promise<boolean> {
    return writeForService(this.db, e.service, async (tx) => {
      await tx.run(
        `INSERT INTO probe_events (id, service, started_at, ended_at, failing_locations, total_locations, error_classes, cause, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET ended_at = excluded.ended_at, failing_locations = excluded.failing_locations,
           total_locations = excluded.total_locations, error_classes = excluded.error_classes, cause = excluded.cause, updated_at = excluded.updated_at`,
        [e.id, e.service, e.startedAt, e.endedAt ?? null, e.failingLocations, e.totalLocations, JSON.stringify(e.errorClasses), e.cause, e.updatedAt],
      );
    });
  }

  async openProbeEvent(service: string): Promise<ProbeEvent | undefined> {
    const row = await this.db.get<ProbeEventRow>(
      'SELECT * FROM probe_events WHERE service = ? AND ended_at IS NULL ORDER BY started_at DESC LIMIT 1',
      [service],
    );
    return row ? toProbeEvent(row) : undefined;
  }

  async listProbeEvents(filter: { service?: string; limit?: number } = {}): Promise<ProbeEvent[]> {
    const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
    const rows = filter.service
      ? await this.db.all<ProbeEventRow>('SELECT * FROM probe_events WHERE service = ? ORDER BY started_at DESC, id LIMIT ?', [filter.service, limit])
      : await this.db.all<ProbeEventRow>('SELECT * FROM probe_events ORDER BY started_at DESC, id LIMIT ?', [limit]);
    return rows.map(toProbeEvent);
  }
}

function toDelivery(r: DeliveryRow): Delivery {
  return {
    id: r.id, channel: r.channel, channelType: r.channel_type, eventKey: r.event_key, kind: r.kind, service: r.service,
    ...(r.incident_id !== null ? { incidentId: r.incident_id } : {}), repeat: r.repeat_count, status: r.status, attempts: r.attempts,
    ...(r.last_error !== null ? { lastError: r.last_error } : {}), ...(r.response_code !== null ? { responseCode: r.response_code } : {}),
    message: JSON.parse(r.message) as AlertMessage, createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
  };
}

function toCorrelation(r: CorrelationRow): IncidentCorrelation {
  return {
    incidentId: r.incident_id, service: r.service, open: Number(r.open) === 1, openedAt: Number(r.opened_at),
    ...(r.closed_at !== null ? { closedAt: Number(r.closed_at) } : {}),
    confidence: r.confidence as IncidentCorrelation['confidence'], cause: r.cause, failingLocations: r.failing_locations,
    totalLocations: r.total_locations, errorClasses: JSON.parse(r.error_classes) as ErrorClassCount[], updatedAt: Number(r.updated_at),
  };
}

function toProbeEvent(r: ProbeEventRow): ProbeEvent {
  return {
    id: r.id, service: r.service, startedAt: Number(r.started_at), ...(r.ended_at !== null ? { endedAt: Number(r.ended_at) } : {}),
    failingLocations: r.failing_locations, totalLocations: r.total_locations, errorClasses: JSON.parse(r.error_classes) as ErrorClassCount[],
    cause: r.cause, updatedAt: Number(r.updated_at),
  };
}
