import { Registry } from 'prom-client';
import { buildApp, type App } from '../../src/api/app.js';
import { MemoryBus } from '../../src/events/bus.js';
import type { TrustedProxies } from '../../src/config/trust-proxy.js';
import type { ReportsSection } from '../../src/reports/config.js';
import type { ReportIngest } from '../../src/reports/ingest.js';
import { setupReports } from '../../src/reports/setup.js';
import type { Store } from '../../src/store/store.js';
import { ManualClock } from '../../src/time/clock.js';
import { fixedAdminToken } from '../../src/config/admin-token.js';

export const ADMIN = 'test-admin-token-0123456789';
export const T0 = Date.parse('2025-03-10T12:00:00Z');

export interface Harness {
  app: App;
  store: Store;
  clock: ManualClock;
  bus: MemoryBus;
  ingest: ReportIngest;
  registry: Registry;
  close(): Promise<void>;
}

/** The real app and ingest pipeline over a real store, with a manual clock. */
export async function harness(store: Store, reports: Partial<ReportsSection> = {}, options: { trustProxy?: TrustedProxies } = {}): Promise<Harness> {
  const clock = new ManualClock(T0);
  const bus = new MemoryBus();
  const registry = new Registry();
  const { ingest, component } = await setupReports({ store, bus, clock, registry, config: { reports: { flushDelayMs: 1, ...reports } } });
  await component.start();
  const app = await buildApp({ store, bus, clock, adminToken: fixedAdminToken(ADMIN), reports: ingest, metrics: { registry } }, { trustProxy: options.trustProxy ?? { hops: 1 } });
  await app.ready();
  return {
    app,
    store,
    clock,
    bus,
    ingest,
    registry,
    close: async () => {
      await app.close();
      await component.stop();
    },
  };
}

export const auth = { authorization: `Bearer ${ADMIN}` };

export async function createService(app: App, slug: string): Promise<void> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/services', headers: auth, payload: { slug, name: slug.toUpperCase(), url: `https://${slug}.example` } });
  if (res.statusCode !== 201) throw new Error(`create ${slug}: ${res.statusCode} ${res.body}`);
}
