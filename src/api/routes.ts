import type { App } from './app.js';
import type { AppDeps } from './deps.js';
import { healthRoutes } from './health.js';

export type RouteModule = (app: App, deps: AppDeps) => Promise<void>;

/** One entry per resource file; the order is the order in the OpenAPI document. */
export const routeModules: readonly RouteModule[] = [healthRoutes];
