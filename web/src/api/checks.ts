/**
 * The check pages' reads (`/api/v1/check-statuses`, `/api/v1/checks/:id/{status,history,matrix}`).
 * The answers are typed by the server's TypeBox schemas and checked by the contract test, so
 * they are taken as they come. A location's report is the server's own type (an import-free module).
 */
import type { LocationReport, LocationStanding } from '../../../src/status/location-report.js';

export type { LocationReport };
export type Standing = LocationStanding;
export type CheckStatus = 'operational' | 'degraded_performance' | 'partial_outage' | 'major_outage';

export interface PublicCheck {
  id: string;
  name: string;
  service?: string;
  type: string;
  target: string;
  interval: string;
  locations: string[];
}

export interface CheckStatusView {
  check: PublicCheck;
  enabled: boolean;
  status: CheckStatus;
  reason?: string;
  failing: number;
  total: number;
  quorum: number;
  classes: { errorClass: string; locations: number }[];
  since?: number;
  lastAt?: number;
  certExpiresAt?: number;
  certDaysLeft?: number;
  locations: LocationReport[];
}

export interface ProbeResult {
  id: string;
  location: string;
  at: number;
  ok: boolean;
  errorClass: string;
  latencyMs: number;
  status?: number;
  detail: string;
}

export interface Uptime {
  percent: number | null;
  runs: number;
  failures: number;
}

export interface HistoryBucket {
  start: number;
  runs: number;
  failures: number;
  avgMs: number | null;
  maxMs: number | null;
}

export type HistoryWindow = '1h' | '24h' | '7d';
export const HISTORY_WINDOWS: readonly HistoryWindow[] = ['1h', '24h', '7d'];

export interface CheckHistory {
  check: PublicCheck;
  window: HistoryWindow;
  from: number;
  to: number;
  dataFrom?: number;
  bucketMs: number;
  uptime: Uptime;
  locations: { location: string; uptime: Uptime; buckets: HistoryBucket[] }[];
  failures: ProbeResult[];
}

export interface MatrixRow {
  location: string;
  last: ProbeResult | null;
  /** Newest first. */
  recent: ProbeResult[];
}

export class CheckHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function get<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: { accept: 'application/json' } });
  const body = (await res.json().catch(() => undefined)) as { message?: string } | undefined;
  if (!res.ok) throw new CheckHttpError(res.status, body?.message ?? `HTTP ${res.status}`);
  return body as T;
}

const enc = encodeURIComponent;

export async function fetchCheckStatuses(service?: string): Promise<CheckStatusView[]> {
  return (await get<{ checks: CheckStatusView[] }>(`/api/v1/check-statuses${service ? `?service=${enc(service)}` : ''}`)).checks;
}

export function fetchCheckStatus(id: string): Promise<CheckStatusView> {
  return get<CheckStatusView>(`/api/v1/checks/${enc(id)}/status`);
}

export function fetchCheckHistory(id: string, window: HistoryWindow): Promise<CheckHistory> {
  return get<CheckHistory>(`/api/v1/checks/${enc(id)}/history?window=${window}`);
}

export async function fetchCheckMatrix(id: string, per: number): Promise<MatrixRow[]> {
  return (await get<{ rows: MatrixRow[] }>(`/api/v1/checks/${enc(id)}/matrix?per=${per}`)).rows;
}
