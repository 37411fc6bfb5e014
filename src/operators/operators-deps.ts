import { randomBytes } from 'node:crypto';
import type { Bus } from '../events/bus.js';
import { IncidentViews } from '../incidents/incident-views.js';
import type { ComponentStatus } from '../incidents/operator-incident.js';
import { OperatorIncidents } from '../incidents/operator-incidents.js';
import { MaintenanceService } from '../maintenance/maintenance-service.js';
import type { Store } from '../store/store.js';
import type { Announcer } from '../subscriptions/announcer.js';
import { resolveSubscriptionsSection, type SubscriptionsSection } from '../subscriptions/config.js';
import { LinkSigner } from '../subscriptions/link-token.js';
import { Subscriptions } from '../subscriptions/subscriptions.js';
import { StatusPages } from '../statuspage/status-page.js';
import type { Clock } from '../time/clock.js';
import type { StatusService } from '../status/status-service.js';

/** The page's public identity: its name and the URL it is reached at (never taken from a request). */
export interface PageIdentity {
  name: string;
  publicUrl: string;
}

/** What the operator routes call: incidents, maintenance, subscriptions and the page's identity. */
export interface OperatorsDeps {
  views: IncidentViews;
  incidents: OperatorIncidents;
  maintenance: MaintenanceService;
  announcer?: Announcer;
  subscriptions: Subscriptions;
  pages: StatusPages;
  signer: LinkSigner;
  subscriptionSettings: SubscriptionsSection;
  page: PageIdentity;
  /** Services' statuses and uptime as every surface shows them (src/status). */
  status: StatusReader;
  /** A service's status now (the "old" status of an update). */
  statusOf: (slug: string) => Promise<ComponentStatus>;
}

/** What the operator side reads of the status domain. */
export type StatusReader = Pick<StatusService, 'of' | 'uptimeOf'>;

export const DEFAULT_PAGE: PageIdentity = { name: 'Stormwatch', publicUrl: 'http://localhost:8080' };

/** The operator deps without subscribers' deliveries (tests, and apps built without a dispatcher). */
export function defaultOperatorsDeps(input: { store: Store; bus: Bus; clock: Clock; status: StatusReader; announcer?: Announcer; signer?: LinkSigner; subscriptions?: SubscriptionsSection; page?: PageIdentity }): OperatorsDeps {
  const views = new IncidentViews(input.store);
  const statusOf = async (slug: string): Promise<ComponentStatus> => (await input.status.of(slug)).status;
  const settings = input.subscriptions ?? resolveSubscriptionsSection(undefined);
  return {
    views,
    incidents: new OperatorIncidents({ store: input.store, bus: input.bus, clock: input.clock, views, statusOf, ...(input.announcer ? { announcer: input.announcer } : {}) }),
    maintenance: new MaintenanceService({ repo: input.store.maintenances, services: input.store.services, bus: input.bus, clock: input.clock }),
    ...(input.announcer ? { announcer: input.announcer } : {}),
    pages: new StatusPages({ services: input.store.services, maintenances: input.store.maintenances, views, status: input.status, pageName: (input.page ?? DEFAULT_PAGE).name }),
    subscriptions: new Subscriptions({ repo: input.store.subscribers, services: input.store.services, clock: input.clock, maxPending: settings.maxPending, ...(input.announcer ? { announcer: input.announcer } : {}) }),
    signer: input.signer ?? new LinkSigner(randomBytes(32).toString('base64url')),
    subscriptionSettings: settings,
    page: input.page ?? DEFAULT_PAGE,
    status: input.status,
    statusOf,
  };
}
