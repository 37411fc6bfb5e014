import { createStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { FencedDb } from './fenced-db.js';
import type { Fence } from './lease-table.js';

/**
 * The store as work under a lease sees it: every repository is built anew over a
 * `FencedDb`, so each write it makes is refused once the lease moved (a repository added to
 * the store later is fenced without a change here). Services, settings and reports stay the
 * server's own: their caches are shared, and no leased work writes them.
 */
export function fencedStore(store: Store, fence: Fence): Store {
  const fenced = createStore(new FencedDb(store.db, fence));
  return { ...fenced, services: store.services, settings: store.settings, reports: store.reports, close: async () => undefined };
}
