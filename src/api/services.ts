import Type, { type Static } from 'typebox';
import { ServiceDefinition } from '../config/schema.js';
import type { ServiceRecord } from '../store/services-repo.js';
import type { App } from './app.js';
import { IsoTime, SlugParams } from './common-schemas.js';
import { NoContent, op } from './contract.js';
import type { AppDeps } from './deps.js';
import { conflict, notFound } from './errors.js';
import { COMPONENT_STATUSES } from '../status/model.js';
import type { ServiceStatusView } from '../status/status-service.js';
import { reasonJson, StatusReasonSchema } from './status.js';

/** Every field is length-limited; this bounds the body before it is even parsed. */
const SERVICE_BODY_LIMIT = 16 * 1024;

const ServicePatch = Type.Object(
  {
    name: Type.Optional(ServiceDefinition.properties.name),
    url: Type.Optional(ServiceDefinition.properties.url),
    logo: Type.Optional(Type.Union([Type.String({ maxLength: 2048 }), Type.Null()])),
    category: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ServiceJson = Type.Object(
  {
    slug: Type.String(),
    name: Type.String(),
    url: Type.String(),
    logo: Type.Optional(Type.String()),
    category: Type.Optional(Type.String()),
    status: Type.Enum(COMPONENT_STATUSES, { description: 'the Statuspage component status, derived from every signal (docs/status.md)' }),
    statusReasons: Type.Array(StatusReasonSchema, { description: 'why it has that status, one per signal' }),
    createdAt: IsoTime(),
    updatedAt: IsoTime(),
  },
  { additionalProperties: false },
);
export type ServiceJson = Static<typeof ServiceJson>;

/** A service with its derived status (src/status) and the reasons for it. */
export function serviceJson(s: ServiceRecord, view: Pick<ServiceStatusView, 'status' | 'reasons'> | undefined): ServiceJson {
  return {
    slug: s.slug,
    name: s.name,
    url: s.url,
    ...(s.logo !== undefined ? { logo: s.logo } : {}),
    ...(s.category !== undefined ? { category: s.category } : {}),
    status: view?.status ?? 'operational',
    statusReasons: (view?.reasons ?? []).map(reasonJson),
    createdAt: new Date(s.createdAt).toISOString(),
    updatedAt: new Date(s.updatedAt).toISOString(),
  };
}

async function statuses(deps: AppDeps): Promise<Map<string, ServiceStatusView>> {
  return (await deps.status?.all()) ?? new Map();
}

/** `/api/v1/services`: public reads, admin writes. */
export async function servicesRoutes(app: App, deps: AppDeps): Promise<void> {
  const tags = ['services'];
  const admin = { tags, access: 'admin', bodyLimit: SERVICE_BODY_LIMIT } as const;

  app.get(
    '/api/v1/services',
    op({ operationId: 'listServices', tags, access: 'public', summary: 'List services with their current status', response: { 200: Type.Object({ services: Type.Array(ServiceJson) }, { additionalProperties: false }) } }),
    async () => {
      const status = await statuses(deps);
      return { services: (await deps.store.services.list()).map((s) => serviceJson(s, status.get(s.slug))) };
    },
  );

  app.get(
    '/api/v1/services/:slug',
    op({ operationId: 'getService', tags, access: 'public', summary: 'One service', params: SlugParams, response: { 200: ServiceJson }, errors: [404] }),
    async (request) => {
      const svc = await deps.store.services.get(request.params.slug);
      if (!svc) throw notFound(`service ${request.params.slug}`);
      return serviceJson(svc, await deps.status?.of(svc.slug));
    },
  );

  app.post(
    '/api/v1/services',
    op({ ...admin, operationId: 'createService', summary: 'Create a service', body: ServiceDefinition, response: { 201: ServiceJson }, errors: [409] }),
    async (request, reply) => {
      const svc = await deps.store.services.create(request.body, 'api', deps.clock.now());
      if (!svc) throw conflict(`service ${request.body.slug} already exists`, 'slug');
      deps.bus.publish('service.changed', { slug: svc.slug, kind: 'created' });
      return reply.status(201).send(serviceJson(svc, undefined));
    },
  );

  app.patch(
    '/api/v1/services/:slug',
    op({ ...admin, operationId: 'updateService', summary: 'Change a service (null clears logo or category)', params: SlugParams, body: ServicePatch, response: { 200: ServiceJson }, errors: [404] }),
    async (request) => {
      const svc = await deps.store.services.update(request.params.slug, request.body, deps.clock.now());
      if (!svc) throw notFound(`service ${request.params.slug}`);
      deps.bus.publish('service.changed', { slug: svc.slug, kind: 'updated' });
      return serviceJson(svc, await deps.status?.of(svc.slug));
    },
  );

  app.delete(
    '/api/v1/services/:slug',
    op({ ...admin, operationId: 'deleteService', summary: 'Delete a service, its reports and the incidents and baseline made from them', params: SlugParams, response: { 204: NoContent }, errors: [404] }),
    async (request, reply) => {
      if (!(await deps.store.services.delete(request.params.slug))) throw notFound(`service ${request.params.slug}`);
      deps.bus.publish('service.changed', { slug: request.params.slug, kind: 'deleted' });
      return reply.status(204).send(null);
    },
  );
}
