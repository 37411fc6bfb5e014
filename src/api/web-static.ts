import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { App } from './app.js';
import Type from 'typebox';
import { op, textResponse } from './contract.js';
import type { AppDeps } from './deps.js';
import { ApiError } from './errors.js';

/** Where `npm run build:web` puts the dashboard (the same from src/ under tsx and from dist/). */
export const defaultWebRoot = fileURLToPath(new URL('../../dist/web', import.meta.url));

/** Client-side routes answered with index.html; the dashboard's router takes it from there. */
export const SPA_ROUTES = ['/', '/services/:slug', '/status/:slug', '/incidents', '/incidents/:id', '/check', '/maintenance/:id', '/subscription', '/admin', '/admin/:section'] as const;

const PAGES: Record<(typeof SPA_ROUTES)[number], { operationId: string; summary: string }> = {
  '/': { operationId: 'getHomePage', summary: 'Dashboard: every service with its status' },
  '/services/:slug': { operationId: 'getServicePage', summary: 'Dashboard: one service (reports, baseline, map, incidents)' },
  '/status/:slug': { operationId: 'getStatusPage', summary: "A service's public status page" },
  '/incidents': { operationId: 'getIncidentsPage', summary: 'Dashboard: incidents' },
  '/incidents/:id': { operationId: 'getIncidentPage', summary: 'Dashboard: one incident' },
  '/check': { operationId: 'getInstantCheckPage', summary: 'Dashboard: check a target from every location now (`?type=http&target=...`; `&id=` shows one check)' },
  '/maintenance/:id': { operationId: 'getMaintenancePage', summary: 'Dashboard: one maintenance window' },
  '/subscription': { operationId: 'getSubscriptionPage', summary: 'Where the links of subscription mails land: what happened' },
  '/admin': { operationId: 'getAdminPage', summary: 'Admin area: sign in, then incidents, maintenance, services, checks, alerts, subscribers' },
  '/admin/:section': { operationId: 'getAdminSectionPage', summary: 'Admin area: one section' },
};

/**
 * Serves the built dashboard: hashed assets under /assets/ (cached for a year) and
 * index.html for the page routes. Everything else (/api, /metrics, /healthz) is untouched,
 * because nothing here registers a catch-all.
 */
export function createWebStaticRoutes(root: string = defaultWebRoot) {
  return async function webStaticRoutes(app: App, deps: AppDeps): Promise<void> {
    const indexPath = path.join(root, 'index.html');
    await app.register(fastifyStatic, {
      root: path.join(root, 'assets'),
      prefix: '/assets/',
      decorateReply: false,
      index: false,
      // Vite puts a content hash in every asset name, so a cached copy is never stale.
      immutable: true,
      maxAge: '365d',
      // build-web writes .br/.gz siblings; browsers get the smallest they accept.
      preCompressed: true,
    });

    for (const url of SPA_ROUTES) {
      const param = /:(\w+)/.exec(url)?.[1];
      const page = op({
        ...PAGES[url],
        tags: ['web'],
        access: 'public',
        ...(param ? { params: Type.Object({ [param]: Type.String({ maxLength: 120 }) }) } : {}),
        response: { 200: textResponse('text/html; charset=utf-8', 'The dashboard page; its script renders the route') },
        errors: [404],
      });
      app.get(url, page, async (_request, reply) => {
        let html: string;
        try {
          html = await fs.promises.readFile(indexPath, 'utf8');
        } catch {
          throw new ApiError(404, 'dashboard_not_built', 'the web dashboard is not built; run `npm run build:web`');
        }
        // The server clock goes into the page, so the dashboard computes its windows in event
        // time without a round trip first.
        html = html.replace(/<meta name="stormwatch-server-time" content="[^"]*"\s*\/?>/, `<meta name="stormwatch-server-time" content="${deps.clock.now()}" />`);
        // The page names hashed assets that change at each build and carries the clock: never cache it.
        return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
      });
    }
  };
}

export const webStaticRoutes = createWebStaticRoutes();
