import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { buildApp, type App } from '../../src/api/app.js';
import type { TrustedProxies } from '../../src/config/trust-proxy.js';
import type { IncidentsSection } from '../../src/incidents/config.js';
import type { ReportsSection } from '../../src/reports/config.js';
import { MemoryBus } from '../../src/events/bus.js';
import { engineOptions, incidentsDefaults } from '../../src/incidents/config.js';
import { IncidentRunner } from '../../src/incidents/runner.js';
import { storeMinuteSource } from '../../src/incidents/store-minute-source.js';
import { setupReports } from '../../src/reports/setup.js';
import type { Store } from '../../src/store/store.js';
import { ManualClock } from '../../src/time/clock.js';
import { fixedAdminToken } from '../../src/config/admin-token.js';

export const ADMIN = 'scenario-admin-token-0123456789';

export interface LiveServerOptions {
  /** `::` listens on IPv6 and IPv4 (clients from ::1 and 127.0.0.0/8); default 127.0.0.1. */
  host?: string;
  trustProxy?: TrustedProxies;
  reports?: Partial<ReportsSection>;
  incidents?: Partial<IncidentsSection>;
}

export interface LiveServer {
  url: string;
  port: number;
  app: App;
  store: Store;
  clock: ManualClock;
  runner: IncidentRunner;
  /** Moves wall clock past `t` and lets the runner finish every complete minute. */
  settle(t: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * The server's real parts (HTTP on a loopback port, report ingest with group commit and
 * dedupe, minute rollups, the incident runner and detector) over a test store, with a
 * manual wall clock: the runner's timer is off and `settle` stands in for it.
 */
export async function liveServer(store: Store, now: number, options: LiveServerOptions = {}): Promise<LiveServer> {
  const clock = new ManualClock(now);
  const bus = new MemoryBus();
  const registry = new Registry();
  const reports = await setupReports({ store, bus, clock, registry, config: { reports: { flushDelayMs: 1, ...options.reports } } });
  // As setupIncidents wires it, but with the timer off: wall clock moves when the test says so.
  const runner = new IncidentRunner({ bus, clock, repo: store.incidents, source: storeMinuteSource(store.services, store.reports), tickMs: 0, engine: engineOptions(incidentsDefaults(options.incidents)) });
  await reports.component.start();
  await runner.start();
  const app = await buildApp(
    { store, bus, clock, adminToken: fixedAdminToken(ADMIN), reports: reports.ingest, metrics: { registry } },
    options.trustProxy !== undefined ? { trustProxy: options.trustProxy } : {},
  );
  await app.listen({ port: 0, host: options.host ?? '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    app,
    store,
    clock,
    runner,
    async settle(t: number) {
      await runner.idle();
      clock.set(Math.max(clock.now(), t) + 60_000);
      runner.tick();
      await runner.idle();
    },
    async close() {
      await app.close();
      await runner.stop();
      await reports.component.stop();
    },
  };
}
