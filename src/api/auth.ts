import type { FastifyRequest, onRequestHookHandler, RouteOptions } from 'fastify';
import type { Agent } from '../store/probe-repository.js';
import type { App } from './app.js';
import { accessOf, type Access } from './contract.js';
import type { AppDeps } from './deps.js';
import { sessionAccess } from './admin-session.js';
import { ApiError, unauthorized } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** A valid admin token came with the request (set on admin and admin-optional routes). */
    isAdmin: boolean;
    /** The agent whose token came with the request (set on agent routes). */
    agent: Agent | null;
  }
}

/** The bearer token of the request, if any. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header || !header.startsWith('Bearer ')) return undefined;
  const token = header.slice(7).trim();
  return token === '' ? undefined : token;
}

/**
 * Authentication follows each route's declared `security` (see contract.ts): an
 * `onRequest` hook, so a request without a valid token is refused before its body is read.
 * The admin is the bearer of the admin token, or a browser signed in to the dashboard
 * (session cookie, and its CSRF token on writes: admin-session.ts).
 * A token that is present but wrong is refused on `admin-optional` routes too: a caller who
 * meant to be the admin learns it at once instead of being served as anonymous.
 */
export function installAuthentication(app: App, deps: AppDeps): void {
  app.decorateRequest('isAdmin', false);
  app.decorateRequest('agent', null);

  const isAdmin = async (request: FastifyRequest): Promise<boolean | undefined> => {
    const token = bearerToken(request);
    if (token !== undefined) return deps.adminToken.verify(token);
    // The dashboard's admin area signs in once and then sends its session cookie.
    const session = await sessionAccess(request, deps.store.sessions, deps.clock.now());
    if (session === 'csrf') throw new ApiError(403, 'csrf', 'a write made with the session cookie needs its X-CSRF-Token header');
    return session === 'admin' ? true : undefined;
  };
  const hooks: Record<Exclude<Access, 'public'>, onRequestHookHandler> = {
    admin: async (request) => {
      if ((await isAdmin(request)) !== true) throw unauthorized();
      request.isAdmin = true;
    },
    'admin-optional': async (request) => {
      const admin = await isAdmin(request);
      if (admin === false) throw unauthorized('the admin token is not valid; send none to be served as anyone');
      request.isAdmin = admin === true;
    },
    agent: async (request) => {
      const token = bearerToken(request);
      const agent = token === undefined ? undefined : await deps.store.probes.authenticateAgent(token, deps.clock.now());
      if (!agent) throw new ApiError(401, 'unauthorized', 'a valid, unrevoked agent token is required');
      request.agent = agent;
    },
  };

  app.addHook('onRoute', (route: RouteOptions) => {
    const access = accessOf((route.schema as { security?: unknown } | undefined)?.security);
    if (access === undefined || access === 'public') return;
    const existing = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    route.onRequest = [hooks[access], ...existing];
  });
}

/** The authenticated agent of an agent route. */
export function agentOf(request: FastifyRequest): Agent {
  if (!request.agent) throw new ApiError(401, 'unauthorized', 'a valid, unrevoked agent token is required');
  return request.agent;
}
