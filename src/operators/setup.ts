import type { AlertsSection } from '../alerts/config.js';
import { durationMs } from '../alerts/config.js';
import type { AnnouncementTarget } from '../alerts/dispatcher.js';
import type { Bus } from '../events/bus.js';
import { IncidentViews } from '../incidents/incident-views.js';
import { MaintenanceScheduler } from '../maintenance/scheduler.js';
import { underMaintenance } from '../maintenance/window.js';
import type { Store } from '../store/store.js';
import { Announcer } from '../subscriptions/announcer.js';
import { resolveSubscriptionsSection, type SubscriptionsSection } from '../subscriptions/config.js';
import { LinkSigner } from '../subscriptions/link-token.js';
import type { Clock } from '../time/clock.js';
import type { Component } from '../runtime/component.js';
import { Housekeeping } from './housekeeping.js';
import { defaultOperatorsDeps, type OperatorsDeps, type PageIdentity, type StatusReader } from './operators-deps.js';


/**
 * Wires what operators and subscribers need: incident and maintenance services, the
 * announcer (subscribers hear through the alert dispatcher), the maintenance scheduler, and
 * the housekeeping of unconfirmed subscriptions and expired sessions.
 */
export async function setupOperators(input: {
  store: Store;
  bus: Bus;
  clock: Clock;
  page: PageIdentity;
  subscriptions?: Partial<SubscriptionsSection>;
  alerts: AlertsSection;
  dispatcher: { announce(key: string, targets: readonly AnnouncementTarget[]): Promise<void> };
  status: StatusReader;
  log?: (line: string) => void;
}): Promise<{ deps: OperatorsDeps; components: Component[] }> {
  const { store, bus, clock } = input;
  const settings = resolveSubscriptionsSection(input.subscriptions);
  const signer = new LinkSigner((await store.settings.getOrCreateSecret('subscription_link_key', 32)).value);
  const confirmWithinMs = durationMs(settings.confirmWithin);
  const announcer = new Announcer({
    subscribers: store.subscribers, services: store.services, views: new IncidentViews(store), dispatcher: input.dispatcher, clock, signer,
    publicUrl: input.page.publicUrl, pageName: input.page.name, confirmWithinMs, maxEventAgeMs: durationMs(input.alerts.maxEventAge),
    announceAutomatic: settings.announceAutomatic, ...(settings.smtp ? { smtp: settings.smtp } : {}),
  });
  const deps = defaultOperatorsDeps({ store, bus, clock, status: input.status, announcer, signer, subscriptions: settings, page: input.page });

  const pending = new Set<Promise<void>>();
  let off: (() => void) | undefined;
  const automatic: Component = {
    name: 'announcements',
    async start() {
      off = bus.subscribe('incident.changed', (e) => {
        const p = announcer.automatic(e).catch((err: unknown) => input.log?.(`announcements: ${err instanceof Error ? err.message : String(err)}`));
        pending.add(p);
        void p.finally(() => pending.delete(p));
      });
    },
    async stop() {
      off?.();
      await Promise.all([...pending]);
    },
  };
  // In a cluster these run once, under the 'operators' lease (server.ts); announcements are
  // claimed in the database besides, so a handover repeats nothing.
  const scheduler = new MaintenanceScheduler({ repo: store.maintenances, bus, clock, announcer, ...(input.log ? { log: input.log } : {}) });
  const housekeeping = new Housekeeping(clock, async (now) => {
    await store.subscribers.pruneUnconfirmed(now - confirmWithinMs);
    await store.sessions.deleteExpired(now);
  }, input.log);
  return { deps, components: [automatic, scheduler, housekeeping] };
}

/** The dispatcher's hold: a service in an active maintenance window gets no alerts. */
export function maintenanceHold(store: Pick<Store, 'maintenances'>): (service: string, at: number) => Promise<boolean> {
  return async (service, at) => underMaintenance(await store.maintenances.list({ endsAfter: at, startsBefore: at + 1, limit: 1000 }), service, at);
}
