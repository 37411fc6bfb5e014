import type { App } from './app.js';
import type { AppDeps } from './deps.js';
import { agentsRoutes } from './agents.js';
import { checksRoutes } from './checks.js';
import { checkViewsRoutes } from './check-views.js';
import { instantChecksRoutes } from './instant-checks.js';
import { clusterRoutes } from './cluster.js';
import { matrixPageRoutes } from './matrix-page.js';
import { alertsRoutes } from './alerts.js';
import { eventsSseRoutes } from './events-sse.js';
import { forensicsRoutes } from './forensics.js';
import { healthRoutes } from './health.js';
import { incidentsRoutes } from './incidents.js';
import { operatorIncidentsRoutes } from './operator-incidents.js';
import { maintenancesRoutes } from './maintenances.js';
import { subscriptionsRoutes } from './subscriptions.js';
import { statusPagesRoutes } from './status-pages.js';
import { feedsRoutes } from './feeds.js';
import { badgesRoutes } from './badges.js';
import { sessionRoutes } from './session.js';
import { serverTimeRoutes } from './server-time.js';
import { servicesRoutes } from './services.js';
import { spamSuspicionsRoutes } from './spam-suspicions.js';
import { replaysRoutes } from './replays.js';
import { reportsRoutes } from './reports.js';
import { statuspageV2Routes } from './statuspage-v2.js';
import { statusRoutes } from './status.js';
import { metricsRoutes } from './metrics.js';
import { webStaticRoutes } from './web-static.js';

export type RouteModule = (app: App, deps: AppDeps) => Promise<void>;

/** One entry per resource file; the order is the order in the OpenAPI document. */
export const routeModules: readonly RouteModule[] = [healthRoutes, serverTimeRoutes, metricsRoutes, servicesRoutes, statusRoutes, reportsRoutes, replaysRoutes, statuspageV2Routes, incidentsRoutes, operatorIncidentsRoutes, maintenancesRoutes, subscriptionsRoutes, statusPagesRoutes, feedsRoutes, badgesRoutes, sessionRoutes, spamSuspicionsRoutes, eventsSseRoutes, checksRoutes, checkViewsRoutes, agentsRoutes, instantChecksRoutes, matrixPageRoutes, alertsRoutes, forensicsRoutes, clusterRoutes, webStaticRoutes];
