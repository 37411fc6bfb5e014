import Type from 'typebox';
import { ServiceDefinition } from '../config/schema.js';
import type { ServiceRecord } from '../store/services-repo.js';
import type { App } from './app.js';
import { requireAdmin } from './admin-auth.js';
import type { AppDeps } from './deps.js';
import { conflict, notFound } from './errors.js';
import type { ServiceStatusView } from '../status/status-service.js';
import { reasonJson } from './status.js';

/** Every field is length-limited; this bounds the body before it is even parsed. */
const SERVICE_BODY_LIMIT = 16 * 1024;

export const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 63 }) }, { additionalProperties: false });

const ServicePatch = Type.Object(
  {
    name: Type.Optional(ServiceDefinition.properties.name),
    url: Type.Optional(ServiceDefinition.properties.url),
    logo: Type.Optional(Type.Union([Type.String({ maxLength: 2048 }), Type.Null()])),
    category: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);

/** A service with its derived status (src/status) and the reasons for it. */
export function serviceJson(s: ServiceRecord, view: Pick<ServiceStatusView, 'status' | 'reasons'> | undefined): Record<string, unknown> {
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
  const admin = { tags: ['services'], security: [{ adminToken: [] }] };
  const tags = ['services'];

  app.get('/api/v1/services', { schema: { tags, summary: 'List services with their current status' } }, async () => {
    const status = await statuses(deps);
    return { services: (await deps.store.services.list()).map((s) => serviceJson(s, status.get(s.slug))) };
  });

  app.get('/api/v1/services/:slug', { schema: { tags, summary: 'One service', params: SlugParams } }, async (request) => {
    const svc = await deps.store.services.get(request.params.slug);
    if (!svc) throw notFound(`service ${request.params.slug}`);
    return serviceJson(svc, await deps.status?.of(svc.slug));
  });

  app.post('/api/v1/services', { schema: { ...admin, summary: 'Create a service', body: ServiceDefinition }, bodyLimit: SERVICE_BODY_LIMIT }, async (request, reply) => {
    requireAdmin(request, deps.adminToken);
    const svc = await deps.store.services.create(request.body, 'api', deps.clock.now());
    if (!svc) throw conflict(`service ${request.body.slug} already exists`, 'slug');
    deps.bus.publish('service.changed', { slug: svc.slug, kind: 'created' });
    return reply.status(201).send(serviceJson(svc, undefined));
  });

  app.patch('/api/v1/services/:slug', { schema: { ...admin, summary: 'Change a service', params: SlugParams, body: ServicePatch }, bodyLimit: SERVICE_BODY_LIMIT }, async (request) => {
    requireAdmin(request, deps.adminToken);
    const svc = await deps.store.services.update(request.params.slug, request.body, deps.clock.now());
    if (!svc) throw notFound(`service ${request.params.slug}`);
    deps.bus.publish('service.changed', { slug: svc.slug, kind: 'updated' });
    return serviceJson(svc, await deps.status?.of(svc.slug));
  });

  app.delete('/api/v1/services/:slug', { schema: { ...admin, summary: 'Delete a service and its reports', params: SlugParams } }, async (request, reply) => {
    requireAdmin(request, deps.adminToken);
    if (!(await deps.store.services.delete(request.params.slug))) throw notFound(`service ${request.params.slug}`);
    deps.bus.publish('service.changed', { slug: request.params.slug, kind: 'deleted' });
    return reply.status(204).send();
  });
}
