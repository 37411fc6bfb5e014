import type { App } from './app.js';
import type { AppDeps } from './deps.js';
import { agentsRoutes } from './agents.js';
import { checksRoutes } from './checks.js';
import { eventsSseRoutes } from './events-sse.js';
import { healthRoutes } from './health.js';
import { serverTimeRoutes } from './server-time.js';
import { webStaticRoutes } from './web-static.js';

export type RouteModule = (app: App, deps: AppDeps) => Promise<void>;

/** One entry per resource file; the order is the order in the OpenAPI document. */
export const routeModules: readonly RouteModule[] = [healthRoutes, serverTimeRoutes, eventsSseRoutes, checksRoutes, agentsRoutes, webStaticRoutes];
