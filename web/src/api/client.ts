import { isObj, listOf, num, str, time, toIncident, toPoint, toRegions, toService, toShares } from './normalize.js';
import type { BaselinePoint, Incident, ProblemShare, RegionCount, Series, SeriesPoint, Service, ServiceStatus, StatusReason } from './types.js';

/** Thin typed wrappers over the JSON API; every page reads the server through these. */

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function getJson(path: string): Promise<unknown> {
  const res = await fetch(path, { headers: { accept: 'application/json' } });
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const o = isObj(body) ? body : {};
    throw new HttpError(res.status, str(o, ['error']) ?? 'http_error', str(o, ['message']) ?? `HTTP ${res.status}`);
  }
  return body;
}

const enc = encodeURIComponent;
const iso = (ms: number): string => new Date(ms).toISOString();

import { STEP_MS, type Step } from '../model/window.js';

export { STEP_MS, type Step };

export async function fetchServerTime(): Promise<number> {
  try {
    const body = await getJson('/api/v1/time');
    return (isObj(body) ? time(body, ['now']) : undefined) ?? Date.now();
  } catch {
    return Date.now();
  }
}

export async function fetchServices(): Promise<Service[]> {
  const body = await getJson('/api/v1/services');
  return listOf(body, ['services', 'items', 'data']).map(toService).filter((s): s is Service => s !== undefined);
}

export async function fetchService(slug: string): Promise<Service> {
  const body = await getJson(`/api/v1/services/${enc(slug)}`);
  const svc = toService(isObj(body) && isObj(body.service) ? body.service : body);
  if (!svc) throw new HttpError(404, 'not_found', `service ${slug} not found`);
  return svc;
}

/** Fills empty buckets with zero so charts get one point per step. */
export function densify(points: SeriesPoint[], from: number, to: number, stepMs: number): SeriesPoint[] {
  const byT = new Map<number, number>();
  for (const p of points) {
    const k = Math.floor(p.t / stepMs) * stepMs;
    byT.set(k, (byT.get(k) ?? 0) + p.total);
  }
  const out: SeriesPoint[] = [];
  for (let t = Math.floor(from / stepMs) * stepMs; t < to; t += stepMs) out.push({ t, total: byT.get(t) ?? 0 });
  return out;
}

export async function fetchSeries(slug: string, from: number, to: number, step: Step): Promise<Series> {
  const body = await getJson(`/api/v1/services/${enc(slug)}/reports?from=${enc(iso(from))}&to=${enc(iso(to))}&step=${step}`);
  const raw = listOf(body, ['points', 'series', 'buckets', 'items', 'data']).map(toPoint).filter((p): p is SeriesPoint => p !== undefined);
  return { stepMs: STEP_MS[step], points: densify(raw, from, to, STEP_MS[step]) };
}

/** Expected value and detection threshold per bucket; empty when the server has none yet. */
export async function fetchBaseline(slug: string, from: number, to: number, step: Step): Promise<BaselinePoint[]> {
  try {
    const body = await getJson(`/api/v1/services/${enc(slug)}/baseline?from=${enc(iso(from))}&to=${enc(iso(to))}&step=${step}`);
    return listOf(body, ['points', 'series', 'items', 'baseline'])
      .filter(isObj)
      .map((o) => ({ t: time(o, ['t', 'ts', 'time', 'minute']) ?? NaN, expected: num(o, ['expected', 'baseline']) ?? 0, upper: num(o, ['upper', 'threshold']) ?? 0 }))
      .filter((p) => Number.isFinite(p.t));
  } catch {
    return [];
  }
}

export async function fetchBreakdown(slug: string, from: number, to: number): Promise<ProblemShare[]> {
  return toShares(await getJson(`/api/v1/services/${enc(slug)}/breakdown?from=${enc(iso(from))}&to=${enc(iso(to))}`));
}

export async function fetchRegions(slug: string, from: number, to: number): Promise<RegionCount[]> {
  return toRegions(await getJson(`/api/v1/services/${enc(slug)}/regions?from=${enc(iso(from))}&to=${enc(iso(to))}`));
}

function toIncidents(body: unknown): Incident[] {
  return listOf(body, ['incidents', 'items', 'data'])
    .map(toIncident)
    .filter((i): i is Incident => i !== undefined)
    .sort((a, b) => b.openedAt - a.openedAt);
}

export async function fetchIncidents(): Promise<Incident[]> {
  return toIncidents(await getJson('/api/v1/incidents'));
}

export async function fetchServiceIncidents(slug: string): Promise<Incident[]> {
  try {
    return toIncidents(await getJson(`/api/v1/services/${enc(slug)}/incidents`));
  } catch (err) {
    // A service page still works before the incidents API exists.
    if (err instanceof HttpError && err.status === 404) return [];
    throw err;
  }
}

export async function fetchIncident(id: string): Promise<Incident> {
  const body = await getJson(`/api/v1/incidents/${enc(id)}`);
  const inc = toIncident(isObj(body) && isObj(body.incident) ? body.incident : body);
  if (!inc) throw new HttpError(404, 'not_found', `incident ${id} not found`);
  return inc;
}

export type ReportOutcome = { kind: 'accepted' } | { kind: 'duplicate' } | { kind: 'rate_limited'; message: string; retryAfterS?: number } | { kind: 'error'; message: string };

export async function submitReport(slug: string, problem: string): Promise<ReportOutcome> {
  try {
    const res = await fetch(`/api/v1/services/${enc(slug)}/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ problem, client: 'web' }),
    });
    const body: unknown = await res.json().catch(() => ({}));
    // A repeat within the dedupe window is answered 202 with accepted: false: the first report counts.
    if (res.ok) return isObj(body) && body.accepted === false ? { kind: 'duplicate' } : { kind: 'accepted' };
    const message = (isObj(body) ? str(body, ['message']) : undefined) ?? `HTTP ${res.status}`;
    if (res.status === 429) {
      const retry = Number(res.headers.get('retry-after'));
      return Number.isFinite(retry) && retry > 0 ? { kind: 'rate_limited', message, retryAfterS: retry } : { kind: 'rate_limited', message };
    }
    return { kind: 'error', message };
  } catch (err) {
    return { kind: 'error', message: err instanceof Error ? err.message : 'network error' };
  }
}

export interface Maintenance {
  id: string;
  title: string;
  html: string;
  services: string[];
  startsAt: number;
  endsAt: number;
  status: 'scheduled' | 'in_progress' | 'completed';
}

function toMaintenance(v: unknown): Maintenance | undefined {
  if (!isObj(v)) return undefined;
  const id = str(v, ['id']);
  const startsAt = time(v, ['startsAt']);
  const endsAt = time(v, ['endsAt']);
  if (!id || startsAt === undefined || endsAt === undefined) return undefined;
  const status = str(v, ['status']);
  return {
    id, title: str(v, ['title']) ?? id, html: str(v, ['html']) ?? '', startsAt, endsAt,
    services: Array.isArray(v.services) ? v.services.filter((s): s is string => typeof s === 'string') : [],
    status: status === 'in_progress' || status === 'completed' ? status : 'scheduled',
  };
}

export async function fetchMaintenance(id: string): Promise<Maintenance> {
  const body = await getJson(`/api/v1/maintenances/${enc(id)}`);
  const m = toMaintenance(isObj(body) ? body.maintenance : undefined);
  if (!m) throw new HttpError(404, 'not_found', `maintenance ${id} not found`);
  return m;
}

export type PageStatus = ServiceStatus;

export interface StatusPageIncident {
  id: string;
  source: 'automatic' | 'operator';
  title: string;
  status: 'open' | 'closed';
  lifecycle: string;
  services: string[];
  openedAt: number;
  closedAt?: number;
  updates: { id: string; source: string; status: string; html: string; createdAt: number }[];
}

/** Everything a public status page shows (`GET /api/v1/status-pages/:slug`). */
export interface StatusPageData {
  kind: 'page' | 'service' | 'category';
  slug: string;
  name: string;
  status: PageStatus;
  logo?: string;
  url?: string;
  services: { slug: string; name: string; status: PageStatus; logo?: string; reasons: StatusReason[] }[];
  uptime: { percent?: number; text: string; days: { day: string; counted: boolean; countedMinutes: number; downMinutes: number; worst?: PageStatus }[] };
  incidents: { open: StatusPageIncident[]; past: StatusPageIncident[] };
  maintenances: { active: Maintenance[]; upcoming: Maintenance[] };
  feeds: { atom: string; rss: string };
  subscribe: { email: boolean };
}

export async function fetchStatusPage(slug: string): Promise<StatusPageData> {
  return (await getJson(`/api/v1/status-pages/${enc(slug)}`)) as StatusPageData;
}

export type SubscribeOutcome = { ok: true; message: string } | { ok: false; message: string };

export async function subscribe(email: string, scope: string): Promise<SubscribeOutcome> {
  try {
    const res = await fetch('/api/v1/subscriptions', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ email, scope }) });
    const body: unknown = await res.json().catch(() => ({}));
    const message = (isObj(body) ? str(body, ['message']) : undefined) ?? `HTTP ${res.status}`;
    return res.ok ? { ok: true, message } : { ok: false, message };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : 'network error' };
  }
}
