import type { Incident, Phase, ProblemShare, RegionCount, SeriesPoint, Service, ServiceStatus, StatusReason } from './types.js';

/**
 * The API is built alongside the dashboard; these readers accept the small variations in
 * field names between resources (e.g. `percent` vs `percentage`, ISO vs epoch times) so the
 * pages see one shape.
 */
type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The first array found directly or under one of `keys`. */
export function listOf(body: unknown, keys: readonly string[]): unknown[] {
  if (Array.isArray(body)) return body;
  if (isObj(body)) {
    for (const k of keys) if (Array.isArray(body[k])) return body[k] as unknown[];
  }
  return [];
}

export function num(o: Obj, keys: readonly string[]): number | undefined {
  for (const k of keys) {
    const v = o[k];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  }
  return undefined;
}

export function str(o: Obj, keys: readonly string[]): string | undefined {
  for (const k of keys) if (typeof o[k] === 'string') return o[k] as string;
  return undefined;
}

/** Epoch ms from epoch ms, epoch seconds or an ISO string. */
export function time(o: Obj, keys: readonly string[]): number | undefined {
  for (const k of keys) {
    const v = o[k];
    if (typeof v === 'number' && Number.isFinite(v)) return v < 1e11 ? v * 1000 : v;
    if (typeof v === 'string') {
      const ms = Date.parse(v);
      if (Number.isFinite(ms)) return ms;
    }
  }
  return undefined;
}

export function toStatus(v: unknown): ServiceStatus {
  const s = typeof v === 'string' ? v.toLowerCase().replace(/[\s-]/g, '_') : '';
  if (s === 'major_outage' || s === 'major' || s === 'outage' || s === 'down') return 'major_outage';
  if (s === 'partial_outage' || s === 'partial') return 'partial_outage';
  if (s === 'degraded' || s === 'degraded_performance' || s === 'minor') return 'degraded_performance';
  if (s === 'under_maintenance' || s === 'maintenance') return 'under_maintenance';
  return 'operational';
}

export function toReasons(v: unknown): StatusReason[] {
  if (!Array.isArray(v)) return [];
  const out: StatusReason[] = [];
  for (const r of v) {
    if (!isObj(r) || typeof r.text !== 'string') continue;
    const source = r.source === 'operator' || r.source === 'maintenance' || r.source === 'crowd' ? r.source : 'probe';
    const reason: StatusReason = { source, status: toStatus(r.status), text: r.text, effective: r.effective !== false };
    const incidentId = str(r, ['incidentId']);
    if (incidentId) reason.incidentId = incidentId;
    const checkId = str(r, ['checkId']);
    if (checkId) reason.checkId = checkId;
    const checkName = str(r, ['checkName']);
    if (checkName) reason.checkName = checkName;
    out.push(reason);
  }
  return out;
}

export function toService(v: unknown): Service | undefined {
  if (!isObj(v)) return undefined;
  const slug = str(v, ['slug', 'id']);
  if (!slug) return undefined;
  const status = isObj(v.status) ? v.status.status ?? v.status.indicator : v.status;
  const svc: Service = { slug, name: str(v, ['name']) ?? slug, url: str(v, ['url']) ?? '', status: toStatus(status), reasons: toReasons(v.statusReasons ?? v.reasons) };
  const logo = str(v, ['logo']);
  if (logo) svc.logo = logo;
  const category = str(v, ['category']);
  if (category) svc.category = category;
  return svc;
}

export function toPoint(v: unknown): SeriesPoint | undefined {
  if (!isObj(v)) return undefined;
  const t = time(v, ['t', 'ts', 'time', 'minute', 'bucket', 'from', 'start']);
  if (t === undefined) return undefined;
  return { t, total: num(v, ['total', 'count', 'value', 'reports']) ?? 0 };
}

export function toShares(body: unknown): ProblemShare[] {
  let rows = listOf(body, ['problems', 'breakdown', 'items', 'byProblem']);
  // `{ app: 12, website: 7 }` maps are accepted too.
  if (rows.length === 0 && isObj(body)) {
    const src = isObj(body.problems) ? body.problems : isObj(body.breakdown) ? body.breakdown : undefined;
    if (src) rows = Object.entries(src).map(([problem, v]) => (isObj(v) ? { problem, ...v } : { problem, count: v }));
  }
  const parsed = rows.filter(isObj).map((r) => ({
    problem: str(r, ['problem', 'name', 'key']) ?? 'other',
    count: num(r, ['count', 'total', 'reports']) ?? 0,
    percent: num(r, ['percent', 'percentage', 'pct', 'share']),
  }));
  const total = parsed.reduce((a, r) => a + r.count, 0);
  // Fractions (0.56) and percentages (56) both occur; a sum near 1 means fractions.
  const given = parsed.filter((r) => r.percent !== undefined).reduce((a, r) => a + (r.percent ?? 0), 0);
  const scale = given > 0 && given <= 1.01 ? 100 : 1;
  return parsed
    .map((r) => ({ problem: r.problem, count: r.count, percent: r.percent !== undefined ? r.percent * scale : total > 0 ? (100 * r.count) / total : 0 }))
    .sort((a, b) => b.count - a.count);
}

export function toRegions(body: unknown): RegionCount[] {
  let rows = listOf(body, ['regions', 'items', 'byRegion']);
  if (rows.length === 0 && isObj(body) && isObj(body.regions)) {
    rows = Object.entries(body.regions).map(([region, count]) => ({ region, count }));
  }
  return rows
    .filter(isObj)
    .map((r) => ({ region: (str(r, ['region', 'code', 'key', 'name']) ?? '').toUpperCase(), count: num(r, ['count', 'total', 'reports']) ?? 0 }))
    .filter((r) => r.region !== '');
}

function toPhase(v: unknown): Phase | undefined {
  if (!isObj(v)) return undefined;
  const start = time(v, ['start', 'startedAt', 'started_at', 'openedAt', 'from']);
  if (start === undefined) return undefined;
  const p: Phase = { start };
  const end = time(v, ['end', 'endedAt', 'ended_at', 'closedAt', 'to']);
  if (end !== undefined) p.end = end;
  const peak = num(v, ['peak', 'peakPerMinute', 'peak_per_minute', 'peakReports']);
  if (peak !== undefined) p.peak = peak;
  return p;
}

export function toIncident(v: unknown): Incident | undefined {
  if (!isObj(v)) return undefined;
  const id = v.id === undefined ? undefined : String(v.id);
  const openedAt = time(v, ['openedAt', 'opened_at', 'startedAt', 'started_at', 'created_at', 'start']);
  if (!id || openedAt === undefined) return undefined;
  const closedAt = time(v, ['closedAt', 'closed_at', 'resolvedAt', 'resolved_at', 'end']);
  const service = str(v, ['service', 'serviceSlug', 'service_slug', 'slug']) ?? '';
  const rawStatus = str(v, ['status', 'state']) ?? '';
  const status = /^(closed|resolved|postmortem)$/i.test(rawStatus) || (rawStatus === '' && closedAt !== undefined) ? 'closed' : 'open';
  const phases = listOf(v, ['phases', 'waves']).map(toPhase).filter((p): p is Phase => p !== undefined);
  const inc: Incident = {
    id,
    service,
    status,
    title: str(v, ['title', 'name']) ?? `${service} outage`,
    openedAt,
    phases: phases.length > 0 ? phases : [{ start: openedAt, ...(closedAt !== undefined ? { end: closedAt } : {}) }],
    breakdown: toShares(v.breakdown ?? v.problems ?? []),
    regions: toRegions(v.regions ?? v.topRegions ?? v.top_regions ?? []),
  };
  if (closedAt !== undefined) inc.closedAt = closedAt;
  const peak = num(v, ['peak', 'peakPerMinute', 'peak_per_minute', 'peakReports']);
  if (peak !== undefined) inc.peak = peak;
  const reports = num(v, ['reports', 'reportCount', 'total']);
  if (reports !== undefined) inc.reports = reports;
  if (v.severity !== undefined) {
    const sev = toStatus(v.severity);
    if (sev !== 'operational') inc.severity = sev === 'major_outage' ? 'major_outage' : 'degraded_performance';
  }
  if (v.kind === 'probe' || v.kind === 'crowd') inc.kind = v.kind;
  const cause = str(v, ['cause']);
  if (cause) inc.cause = cause;
  if (v.source === 'automatic' || v.source === 'operator') inc.source = v.source;
  const lifecycle = str(v, ['lifecycle']);
  if (lifecycle) inc.lifecycle = lifecycle;
  const dismissedAt = time(v, ['dismissedAt']);
  if (dismissedAt !== undefined) inc.dismissedAt = dismissedAt;
  const reason = str(v, ['dismissReason']);
  if (reason) inc.dismissReason = reason;
  if (isObj(v.postmortem) && typeof v.postmortem.html === 'string') inc.postmortemHtml = v.postmortem.html;
  const updates = listOf(v, ['updates'])
    .filter(isObj)
    .map((u) => ({ id: str(u, ['id']) ?? '', source: str(u, ['source']) ?? '', status: str(u, ['status']) ?? '', html: str(u, ['html']) ?? '', createdAt: time(u, ['createdAt']) ?? 0 }))
    .filter((u) => u.id !== '');
  if (updates.length > 0) inc.updates = updates;
  const c = v.correlation;
  if (isObj(c) && typeof c.confidence === 'string' && typeof c.cause === 'string') {
    inc.correlation = {
      confidence: c.confidence,
      cause: c.cause,
      failingLocations: Number(c.failingLocations) || 0,
      totalLocations: Number(c.totalLocations) || 0,
    };
  }
  return inc;
}
