import Type from 'typebox';
import type { DetectorPoint } from '../store/incident-repository.js';
import { parseTimeParam } from '../incidents/time-param.js';
import { probeCorrelation } from '../status/probe-incident.js';
import type { Incident } from '../incidents/incident.js';
import type { App } from './app.js';
import type { AppDeps } from './deps.js';
import { badRequest, notFound } from './errors.js';

const tags = ['incidents'];
const Slug = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 63 }) });
const ListQuery = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])),
    service: Type.Optional(Type.String({ minLength: 1, maxLength: 63 })),
    from: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601 or epoch ms: incidents still open at or after' })),
    to: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601 or epoch ms: incidents opened before' })),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$', description: '1..1000, default 100' })),
  },
  { additionalProperties: false },
);
const RangeQuery = Type.Object(
  {
    from: Type.String({ maxLength: 40 }),
    to: Type.String({ maxLength: 40 }),
    step: Type.Optional(Type.String({ maxLength: 8, description: '1m (default), 5m, 15m, 1h or 1d' })),
  },
  { additionalProperties: false },
);

const STEPS: Record<string, number> = { '1m': 60_000, '5m': 300_000, '15m': 900_000, '1h': 3_600_000, '1d': 86_400_000 };
/** Points per baseline answer, so one request cannot ask for years of minutes. */
const MAX_POINTS = 20_000;

/**
 * Incidents found by the live engine, each service's status, and the detector's baseline
 * (expected reports and threshold per bucket) for the dashboard's chart.
 */
export async function incidentsRoutes(app: App, deps: AppDeps): Promise<void> {
  const repo = deps.store.incidents;

  app.get('/api/v1/incidents', { schema: { tags, summary: 'Incidents, newest first', querystring: ListQuery } }, async (request) => {
    const q = request.query;
    const limit = q.limit === undefined ? 100 : Number(q.limit);
    if (limit < 1 || limit > 1000) throw badRequest('invalid_request', 'limit must be between 1 and 1000', 'limit');
    const incidents = await repo.list({
        limit,
        ...(q.service !== undefined ? { service: q.service } : {}),
        ...(q.status !== undefined ? { status: q.status } : {}),
        ...(q.from !== undefined ? { from: time(q.from, 'from') } : {}),
        ...(q.to !== undefined ? { to: time(q.to, 'to') } : {}),
    });
    const correlations = await deps.store.alerts.getCorrelations(incidents.map((i) => i.id));
    return {
      incidents: incidents.map((i) => {
        const correlation = correlations.get(i.id) ?? probeCorrelation(i);
        return { ...withKind(i), ...(correlation ? { correlation } : {}) };
      }),
    };
  });

  app.get('/api/v1/incidents/:id', { schema: { tags, summary: 'One incident with its phases, breakdown and regions', params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 120 }) }) } }, async (request) => {
    const incident = await repo.get(request.params.id);
    if (!incident) throw notFound(`incident ${request.params.id}`);
    // Confidence and likely cause come from the probes (src/correlate); absent until the
    // correlator has seen the incident.
    const [stored, forensics] = await Promise.all([deps.store.alerts.getCorrelation(incident.id), deps.store.forensics.listForIncident(incident.id)]);
    const correlation = stored ?? probeCorrelation(incident);
    return {
      incident: {
        ...withKind(incident),
        ...(correlation ? { correlation } : {}),
        // Attack analyses attached by `stormwatch analyze --server` (full text at /services/:slug/forensics).
        ...(forensics.length ? { forensics: forensics.map((f) => ({ id: f.id, created_at: f.createdAt, attack_count: f.attackCount, first_attack_start: f.firstAttackStart })) } : {}),
      },
    };
  });

  app.get('/api/v1/services/:slug/incidents', { schema: { tags, summary: "A service's incidents, newest first", params: Slug, querystring: Type.Object({ limit: ListQuery.properties.limit }, { additionalProperties: false }) } }, async (request) => {
    const { slug } = request.params;
    await requireService(deps, slug);
    const limit = request.query.limit === undefined ? 100 : Number(request.query.limit);
    if (limit < 1 || limit > 1000) throw badRequest('invalid_request', 'limit must be between 1 and 1000', 'limit');
    return { incidents: (await repo.list({ service: slug, limit })).map(withKind) };
  });

  app.get('/api/v1/services/:slug/baseline', { schema: { tags, summary: 'Expected reports and detection threshold per bucket', params: Slug, querystring: RangeQuery } }, async (request) => {
    const { slug } = request.params;
    await requireService(deps, slug);
    const from = time(request.query.from, 'from');
    const to = time(request.query.to, 'to');
    const stepName = request.query.step ?? '1m';
    const step = STEPS[stepName];
    if (step === undefined) throw badRequest('invalid_request', `step must be one of ${Object.keys(STEPS).join(', ')}`, 'step');
    if (to <= from) throw badRequest('invalid_request', 'to must be after from', 'to');
    if ((to - from) / 60_000 > MAX_POINTS * (step / 60_000)) throw badRequest('invalid_request', `at most ${MAX_POINTS} buckets per request`, 'from');
    return { step: stepName, points: bucket(await repo.points(slug, from, to), step) };
  });
}

/** Crowd incidents stored before probe incidents existed carry no kind. */
function withKind(i: Incident): Incident & { kind: 'crowd' | 'probe' } {
  return { ...i, kind: i.kind ?? 'crowd' };
}

function time(raw: string, field: string): number {
  const t = parseTimeParam(raw);
  if (t === undefined) throw badRequest('invalid_request', `${field} must be an ISO 8601 time or epoch milliseconds`, field);
  return t;
}

async function requireService(deps: AppDeps, slug: string): Promise<void> {
  if (!(await deps.store.services.get(slug))) throw notFound(`service ${slug}`);
}

/** Sums minutes into buckets: expected and threshold add up like the report counts they bound, never below 0. */
function bucket(points: readonly DetectorPoint[], step: number): { t: number; expected: number; upper: number; score: number; alarm: boolean }[] {
  const out = new Map<number, { t: number; expected: number; upper: number; score: number; alarm: boolean }>();
  for (const p of points) {
    const t = p.minute - (p.minute % step);
    const b = out.get(t) ?? { t, expected: 0, upper: 0, score: 0, alarm: false };
    // Points stored before the model was floored at zero may hold a negative expectation.
    b.expected += Math.max(0, p.expected);
    b.upper += Math.max(0, p.upper);
    b.score = Math.max(b.score, p.score);
    b.alarm ||= p.alarm;
    out.set(t, b);
  }
  return [...out.values()].map((b) => ({ ...b, expected: Math.round(b.expected * 100) / 100, upper: Math.round(b.upper * 100) / 100 }));
}
