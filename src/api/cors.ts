import type { onRequestHookHandler, RouteOptions } from 'fastify';
import type { App } from './app.js';
import { accessOf } from './contract.js';

/**
 * `Access-Control-Allow-Origin: *` on every public read, so a page on another origin (a
 * Statuspage widget, an aggregator, a dashboard) can read the status, the Statuspage v2 API,
 * badges and feeds. Safe with `*`: browsers never send cookies with such a request, and a
 * cross-origin request carrying a token needs a preflight that is not answered, so only what
 * anyone may read is readable. Writes and admin reads get no CORS header at all.
 */
export function installPublicCors(app: App): void {
  const allow: onRequestHookHandler = async (_request, reply) => {
    void reply.header('access-control-allow-origin', '*');
  };
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.every((m) => m === 'GET' || m === 'HEAD')) return;
    const access = accessOf((route.schema as { security?: unknown } | undefined)?.security);
    if (access !== 'public' && access !== 'admin-optional') return;
    const existing = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    route.onRequest = [allow, ...existing];
  });
}
