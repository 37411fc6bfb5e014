import Type, { type Static } from 'typebox';
import type { SameShape } from './contract.js';
import { COMPONENT_STATUSES, type StatusReason } from '../status/model.js';
import type { ServiceStatusView } from '../status/status-service.js';
import type { App } from './app.js';
import { IsoTime, SlugParams } from './common-schemas.js';
import { op } from './contract.js';
import type { AppDeps } from './deps.js';
import { badRequest, notFound } from './errors.js';
import { IncidentSchema } from './incidents-schemas.js';

const doc = { tags: ['status'], access: 'public' } as const;
const Status = Type.Enum(COMPONENT_STATUSES);

export const StatusReasonSchema = Type.Object(
  {
    source: Type.Enum(['operator', 'maintenance', 'crowd', 'probe']),
    status: Status,
    text: Type.String({ description: 'one sentence: "3 of 3 locations: connection refused on x-tcp"' }),
    effective: Type.Boolean({ description: 'false when an operator or a maintenance window decided instead' }),
    since: Type.Optional(IsoTime('when this signal began')),
    incidentId: Type.Optional(Type.String()),
    checkId: Type.Optional(Type.String()),
    checkName: Type.Optional(Type.String()),
    failing: Type.Optional(Type.Integer({ minimum: 0, description: 'locations down' })),
    total: Type.Optional(Type.Integer({ minimum: 0, description: 'locations reporting' })),
    classes: Type.Optional(Type.Array(Type.Object({ errorClass: Type.String(), locations: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }))),
    overrideId: Type.Optional(Type.String()),
    maintenanceId: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
const _reason: SameShape<Omit<Static<typeof StatusReasonSchema>, 'since'>, Omit<StatusReason, 'since'>> = true;

export const ServiceStatusSchema = Type.Object(
  {
    service: Type.String(),
    status: Status,
    since: Type.Optional(IsoTime('since when this status holds, once announced')),
    reasons: Type.Array(StatusReasonSchema),
  },
  { additionalProperties: false },
);

const iso = (ms: number): string => new Date(ms).toISOString();

export function reasonJson(r: StatusReason): Static<typeof StatusReasonSchema> {
  const { since, ...rest } = r;
  return { ...rest, ...(since !== undefined ? { since: iso(since) } : {}) };
}

/** A derived status as every API answer carries it. */
export function serviceStatusJson(v: ServiceStatusView): Static<typeof ServiceStatusSchema> {
  return { service: v.service, status: v.status, ...(v.since !== undefined ? { since: iso(v.since) } : {}), reasons: v.reasons.map(reasonJson) };
}

/**
 * Each service's status from every signal (crowd incidents, checks, operators), with its
 * reasons, and its daily uptime. The one read is `deps.status` (src/status).
 */
export async function statusRoutes(app: App, deps: AppDeps): Promise<void> {
  const status = deps.status;
  if (!status) return;

  app.get(
    '/api/v1/status',
    op({ ...doc, operationId: 'listServiceStatuses', summary: 'Status of every service from every signal, with the reasons', response: { 200: Type.Object({ services: Type.Array(ServiceStatusSchema) }, { additionalProperties: false }) } }),
    async () => ({ services: [...(await status.all()).values()].map(serviceStatusJson) }),
  );

  app.get(
    '/api/v1/services/:slug/status',
    op({
      ...doc,
      operationId: 'getServiceStatus',
      summary: "A service's status (Statuspage component values) with its reasons and open incident",
      params: SlugParams,
      response: { 200: Type.Object({ ...ServiceStatusSchema.properties, incident: Type.Optional(IncidentSchema) }, { additionalProperties: false }) },
      errors: [404],
    }),
    async (request) => {
      const { slug } = request.params;
      if (!(await deps.store.services.get(slug))) throw notFound(`service ${slug}`);
      const view = await status.of(slug);
      const [open] = await deps.store.incidents.list({ service: slug, status: 'open', limit: 1 });
      return { ...serviceStatusJson(view), ...(open ? { incident: open } : {}) };
    },
  );

  app.get(
    '/api/v1/services/:slug/uptime',
    op({
      ...doc,
      operationId: 'getServiceUptime',
      summary: 'Daily uptime: time with any non-operational status per UTC day (incidents; not maintenance, not dismissed incidents)',
      params: SlugParams,
      querystring: Type.Object({ days: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', description: '1..365, default 90' })) }, { additionalProperties: false }),
      response: {
        200: Type.Object(
          {
            service: Type.String(),
            percent: Type.Optional(Type.Number({ description: 'share of the counted time without trouble, in percent; absent before any time counts' })),
            days: Type.Array(
              Type.Object(
                {
                  day: Type.String({ format: 'date', description: 'the UTC day' }),
                  countedMs: Type.Integer({ minimum: 0, description: 'milliseconds of the day that count: after the service was created (or its first incident), before now' }),
                  downMs: Type.Integer({ minimum: 0, description: 'milliseconds with any non-operational status' }),
                  worst: Type.Optional(Status),
                },
                { additionalProperties: false },
              ),
            ),
          },
          { additionalProperties: false },
        ),
      },
      errors: [404],
    }),
    async (request) => {
      const { slug } = request.params;
      const days = request.query.days === undefined ? 90 : Number(request.query.days);
      if (days < 1 || days > 365) throw badRequest('invalid_request', 'days must be between 1 and 365', 'days');
      if (!(await deps.store.services.get(slug))) throw notFound(`service ${slug}`);
      const u = await status.uptime(slug, days);
      return {
        service: slug,
        ...(u.percent !== undefined ? { percent: u.percent } : {}),
        days: u.days.map((d) => ({ day: iso(d.day).slice(0, 10), countedMs: Math.round(d.countedMs), downMs: Math.round(d.downMs), ...(d.worst ? { worst: d.worst } : {}) })),
      };
    },
  );
}
