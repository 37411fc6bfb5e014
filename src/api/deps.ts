import type { Cluster } from '../cluster/cluster.js';
import type { Bus } from '../events/bus.js';
import type { Clock } from '../time/clock.js';
import type { ProbeService } from '../probes/service.js';
import type { Store } from '../store/store.js';
import type { AlertsSection } from '../alerts/config.js';
import type { Registry } from 'prom-client';
import type { ReportIngest } from '../reports/ingest.js';
import type { OperatorsDeps } from '../operators/operators-deps.js';
import type { AdminTokenVerifier } from '../config/admin-token.js';
import type { SseHubOptions } from './sse-hub.js';
import type { StatusService } from '../status/status-service.js';
import type { InstantCheckService } from '../probes/instant/instant-service.js';
import type { InstantChecksSection } from '../probes/instant/config.js';
import type { SharedRateClaimer } from '../store/report-claims.js';

/**
 * What the HTTP layer may call. Routes only parse, call into these and map errors;
 * each domain adds the service it exposes here.
 */
export interface AppDeps {
  store: Store;
  bus: Bus;
  clock: Clock;
  /** Checks the admin bearer token (`fixedAdminToken(...)` for a known one). */
  adminToken: AdminTokenVerifier;
  /** Checks, agents and the connectivity matrix; the probe routes are absent without it. */
  probes?: ProbeService;
  /**
   * Instant checks from every location and the `instantChecks:` section; their routes are absent without it. `shared`
   * (cluster mode) holds the rate limits in the database, so that they hold across nodes.
   */
  instantChecks?: { service: InstantCheckService; config: InstantChecksSection; shared?: SharedRateClaimer };
  /** The resolved `alerts:` section: its channels and rules are listed, read only, by the alerts routes. */
  alerts?: AlertsSection;
  /** Crowd-report ingest; the report submission routes are absent without it. */
  reports?: ReportIngest;
  /** The app's Prometheus registry; domains register their own metrics on it. */
  metrics?: { registry: Registry };
  /**
   * Each service's status from every signal; every route that shows a status reads it here.
   * `buildApp` makes one over `store` when absent.
   */
  status?: StatusService;
  /** Limits of the live event streams (`server.maxEventStreams...`); defaults otherwise. */
  liveEvents?: Partial<SseHubOptions>;
  /** Cluster membership and leases, for `GET /api/v1/cluster`. */
  cluster?: Cluster;
  /** Operator incidents, maintenance, subscriptions, the page's identity; defaults without subscribers' mail when absent. */
  operators?: OperatorsDeps;
}
