import Type from 'typebox';
import type { DetectorPoint } from '../store/incident-repository.js';
import { parseInstant } from '../time/instant.js';
import type { App } from './app.js';
import { SlugParams, TimeParam } from './common-schemas.js';
import { op } from './contract.js';
import type { AppDeps } from './deps.js';
import { badRequest, notFound } from './errors.js';
import { operatorsOf } from './operators-of.js';
import { BaselineAnswer, IncidentAnswer, IncidentListAnswer, ServiceIncidentsAnswer, type BaselinePoint } from './incidents-schemas.js';
import { probeCorrelation } from '../status/probe-incident.js';
import type { IncidentView } from '../incidents/incident-view.js';

const tags = ['incidents'];
const doc = { tags, access: 'public' } as const;
const ListQuery = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])),
    service: Type.Optional(Type.String({ minLength: 1, maxLength: 63 })),
    from: Type.Optional(TimeParam('incidents still open at or after')),
    to: Type.Optional(TimeParam('incidents opened before')),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$', description: '1..1000, default 100' })),
  },
  { additionalProperties: false },
);
const RangeQuery = Type.Object(
  {
    from: TimeParam('start'),
    to: TimeParam('end (exclusive)'),
    step: Type.Optional(Type.String({ maxLength: 8, description: '1m (default), 5m, 15m, 1h or 1d' })),
  },
  { additionalProperties: false },
);

const STEPS: Record<string, number> = { '1m': 60_000, '5m': 300_000, '15m': 900_000, '1h': 3_600_000, '1d': 86_400_000 };
/** Points per baseline answer, so one request cannot ask for years of minutes. */
const MAX_POINTS = 20_000;

/**
 * Incidents (crowd incidents found by the live engine, probe incidents from src/status) and the detector's baseline
 * (expected reports and threshold per bucket) for the dashboard's chart.
 */
export async function incidentsRoutes(app: App, deps: AppDeps): Promise<void> {
  const repo = deps.store.incidents;
  // Automatic incidents with the operators' word on them, and the operators' own.
  const views = operatorsOf(deps).views;

  app.get('/api/v1/incidents', op({ ...doc, operationId: 'listIncidents', summary: 'Incidents, newest first', querystring: ListQuery, response: { 200: IncidentListAnswer } }), async (request) => {
    const q = request.query;
    const limit = q.limit === undefined ? 100 : Number(q.limit);
    if (limit < 1 || limit > 1000) throw badRequest('invalid_request', 'limit must be between 1 and 1000', 'limit');
    const incidents = await views.list({
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

  app.get('/api/v1/incidents/:id', op({ ...doc, operationId: 'getIncident', summary: 'One incident with its phases, breakdown and regions', params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 120 }) }), response: { 200: IncidentAnswer }, errors: [404] }), async (request) => {
    const incident = await views.get(request.params.id);
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

  app.get('/api/v1/services/:slug/incidents', op({ ...doc, operationId: 'listServiceIncidents', summary: "A service's incidents, newest first", params: SlugParams, querystring: Type.Object({ limit: ListQuery.properties.limit }, { additionalProperties: false }), response: { 200: ServiceIncidentsAnswer }, errors: [404] }), async (request) => {
    const { slug } = request.params;
    await requireService(deps, slug);
    const limit = request.query.limit === undefined ? 100 : Number(request.query.limit);
    if (limit < 1 || limit > 1000) throw badRequest('invalid_request', 'limit must be between 1 and 1000', 'limit');
    return { incidents: (await views.list({ service: slug, limit })).map(withKind) };
  });

  app.get('/api/v1/services/:slug/baseline', op({ ...doc, operationId: 'getServiceBaseline', summary: 'Expected reports and detection threshold per bucket', params: SlugParams, querystring: RangeQuery, response: { 200: BaselineAnswer }, errors: [404] }), async (request) => {
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

/** Automatic incidents stored before probe incidents existed carry no kind: they are crowd incidents. */
function withKind(i: IncidentView): IncidentView {
  return i.source === 'automatic' ? { ...i, kind: i.kind ?? 'crowd' } : i;
}

function time(raw: string, field: string): number {
  const t = parseInstant(raw);
  if (t === undefined) throw badRequest('invalid_request', `${field} must be an ISO 8601 time or epoch milliseconds`, field);
  return t;
}

async function requireService(deps: AppDeps, slug: string): Promise<void> {
  if (!(await deps.store.services.get(slug))) throw notFound(`service ${slug}`);
}

/** Sums minutes into buckets: expected and threshold add up like the report counts they bound, never below 0. */
function bucket(points: readonly DetectorPoint[], step: number): BaselinePoint[] {
  const out = new Map<number, BaselinePoint>();
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
