import Type from 'typebox';
import { statusBadge, uptimeBadge } from '../statuspage/badge.js';
import type { App } from './app.js';
import { op, textResponse } from './contract.js';
import type { AppDeps } from './deps.js';
import { notFound } from './errors.js';
import { operatorsOf } from './operators-of.js';

const svg = textResponse('image/svg+xml', 'an SVG badge (shields.io look)');
const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 63 }) }, { additionalProperties: false });

/** README badges: `/badge/:slug/status.svg` and `/badge/:slug/uptime.svg` (90 days). */
export async function badgesRoutes(app: App, deps: AppDeps): Promise<void> {
  const ops = operatorsOf(deps);
  const tags = ['status pages'];

  app.get('/badge/:slug/status.svg', op({ operationId: 'getStatusBadge', tags, access: 'public', summary: "A badge with a service's (or category's) current status", params: SlugParams, response: { 200: svg }, errors: [404] }), async (request, reply) => {
    const model = await ops.pages.model(request.params.slug, deps.clock.now());
    if (!model || model.subject.kind === 'page') throw notFound(`status page ${request.params.slug}`);
    return reply.type('image/svg+xml; charset=utf-8').header('cache-control', 'public, max-age=60').send(statusBadge(model.subject.name, model.status));
  });

  app.get('/badge/:slug/uptime.svg', op({ operationId: 'getUptimeBadge', tags, access: 'public', summary: 'A badge with the uptime of the last 90 days', params: SlugParams, response: { 200: svg }, errors: [404] }), async (request, reply) => {
    const model = await ops.pages.model(request.params.slug, deps.clock.now());
    if (!model || model.subject.kind === 'page') throw notFound(`status page ${request.params.slug}`);
    return reply.type('image/svg+xml; charset=utf-8').header('cache-control', 'public, max-age=300').send(uptimeBadge('uptime 90d', model.uptime.percent));
  });
}
