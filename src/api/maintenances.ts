import Type, { type Static } from 'typebox';
import { parseInstant } from '../time/instant.js';
import type { MaintenanceInput } from '../maintenance/maintenance-service.js';
import { phaseAt, type Maintenance } from '../maintenance/window.js';
import { renderMarkdown } from '../text/markdown.js';
import type { App } from './app.js';
import { NoContent, op } from './contract.js';
import type { AppDeps } from './deps.js';
import { badRequest, notFound } from './errors.js';
import { operatorCall } from './operator-errors.js';
import { operatorsOf } from './operators-of.js';
import { MaintenanceBody, MaintenanceJson, MaintenancePatchBody } from './operators-schemas.js';

const tags = ['maintenance'];
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
const ListQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(['scheduled', 'in_progress', 'completed'])),
    service: Type.Optional(Type.String({ minLength: 1, maxLength: 63 })),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$', description: '1..1000, default 100' })),
  },
  { additionalProperties: false },
);
const BODY_LIMIT = 64 * 1024;

export function maintenanceJson(m: Maintenance, now: number): Static<typeof MaintenanceJson> {
  return { id: m.id, title: m.title, body: m.body, html: renderMarkdown(m.body), services: m.services, startsAt: m.startsAt, endsAt: m.endsAt, status: phaseAt(m, now), createdAt: m.createdAt, updatedAt: m.updatedAt };
}

/**
 * `/api/v1/maintenances`: announced maintenance windows (public reads, admin writes). Whether a
 * window is scheduled, in progress or completed follows from the time.
 */
export async function maintenancesRoutes(app: App, deps: AppDeps): Promise<void> {
  const ops = operatorsOf(deps);
  const one = Type.Object({ maintenance: MaintenanceJson }, { additionalProperties: false });

  app.get(
    '/api/v1/maintenances',
    op({ operationId: 'listMaintenances', tags, access: 'public', summary: 'Maintenance windows, latest start first', querystring: ListQuery, response: { 200: Type.Object({ maintenances: Type.Array(MaintenanceJson) }, { additionalProperties: false }) } }),
    async (request) => {
      const { status, service } = request.query;
      const limit = request.query.limit === undefined ? 100 : Number(request.query.limit);
      if (limit < 1 || limit > 1000) throw badRequest('invalid_request', 'limit must be between 1 and 1000', 'limit');
      const now = deps.clock.now();
      const all = await deps.store.maintenances.list({ ...(status === 'scheduled' || status === 'in_progress' ? { endsAfter: now } : {}), limit: 10_000 });
      const kept = all.filter((m) => (status === undefined || phaseAt(m, now) === status) && (service === undefined || m.services.includes(service)));
      return { maintenances: kept.slice(0, limit).map((m) => maintenanceJson(m, now)) };
    },
  );

  app.get(
    '/api/v1/maintenances/:id',
    op({ operationId: 'getMaintenance', tags, access: 'public', summary: 'One maintenance window', params: IdParams, response: { 200: one }, errors: [404] }),
    async (request) => {
      const m = await deps.store.maintenances.get(request.params.id);
      if (!m) throw notFound(`maintenance ${request.params.id}`);
      return { maintenance: maintenanceJson(m, deps.clock.now()) };
    },
  );

  app.post(
    '/api/v1/maintenances',
    op({ operationId: 'createMaintenance', tags, access: 'admin', bodyLimit: BODY_LIMIT, summary: 'Schedule a maintenance window', body: MaintenanceBody, response: { 201: one } }),
    async (request, reply) => {
      const b = request.body;
      const input: MaintenanceInput = { title: b.title, body: b.body ?? '', services: b.services, startsAt: time(b.startsAt, 'startsAt'), endsAt: time(b.endsAt, 'endsAt') };
      const m = await operatorCall(() => ops.maintenance.create(input));
      return reply.status(201).send({ maintenance: maintenanceJson(m, deps.clock.now()) });
    },
  );

  app.patch(
    '/api/v1/maintenances/:id',
    op({ operationId: 'updateMaintenance', tags, access: 'admin', bodyLimit: BODY_LIMIT, summary: 'Change a maintenance window', params: IdParams, body: MaintenancePatchBody, response: { 200: one }, errors: [404] }),
    async (request) => {
      const b = request.body;
      const patch: Partial<MaintenanceInput> = {
        ...(b.title !== undefined ? { title: b.title } : {}),
        ...(b.body !== undefined ? { body: b.body } : {}),
        ...(b.services !== undefined ? { services: b.services } : {}),
        ...(b.startsAt !== undefined ? { startsAt: time(b.startsAt, 'startsAt') } : {}),
        ...(b.endsAt !== undefined ? { endsAt: time(b.endsAt, 'endsAt') } : {}),
      };
      const m = await operatorCall(() => ops.maintenance.update(request.params.id, patch));
      return { maintenance: maintenanceJson(m, deps.clock.now()) };
    },
  );

  app.delete(
    '/api/v1/maintenances/:id',
    op({ operationId: 'deleteMaintenance', tags, access: 'admin', summary: 'Remove a maintenance window', params: IdParams, response: { 204: NoContent }, errors: [404] }),
    async (request, reply) => {
      await operatorCall(() => ops.maintenance.delete(request.params.id));
      return reply.status(204).send(null);
    },
  );
}

function time(raw: string | number, field: string): number {
  const t = typeof raw === 'number' ? raw : parseInstant(raw);
  if (t === undefined || !Number.isSafeInteger(t)) throw badRequest('invalid_request', `body.${field} must be an ISO 8601 time or epoch milliseconds`, `body.${field}`);
  return t;
}
