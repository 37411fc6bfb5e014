import type { AddressInfo } from 'node:net';
import { buildApp, type App, type AppOptions } from './api/app.js';
import type { AppDeps } from './api/deps.js';
import type { ResolvedConfig } from './config/load.js';
import { MemoryBus } from './events/bus.js';
import { openStore } from './store/open.js';
import { setupProbes } from './probes/setup.js';
import { resolveAlertsSection } from './alerts/config.js';
import { setupAlerts } from './alerts/setup.js';
import { Registry } from 'prom-client';
import { ensureAdminToken, fixedAdminToken, migratePlainAdminToken, StoredAdminToken } from './config/admin-token.js';
import { trustedProxies } from './config/trust-proxy.js';
import { setupReports } from './reports/setup.js';
import { setupIncidents } from './incidents/setup.js';
import { statuspageIncidents } from './api/statuspage-incidents.js';
import { componentStatuses } from './api/statuspage-v2-model.js';
import { maintenanceHold, setupOperators } from './operators/setup.js';
import { statusWithOperators } from './operators/current-status.js';
import { IncidentViews } from './incidents/incident-views.js';
import type { Store } from './store/store.js';
import { systemClock, type Clock } from './time/clock.js';

/** A long-running part of the server (ingest queue, detector, agent, alert dispatch). */
export interface Component {
  readonly name: string;
  start(): Promise<void>;
  /** Stops taking work and flushes what was accepted. */
  stop(): Promise<void>;
}

export interface RunningServer {
  app: App;
  store: Store;
  url: string;
  /** The admin token generated at this start (first start only); it is stored only hashed. */
  generatedAdminToken?: string;
  close(): Promise<void>;
}

export interface ServerOptions {
  clock?: Clock;
  /** Print the generated admin token (first start) here. */
  announce?: (line: string) => void;
  /** PostgreSQL schema to use (tests isolate themselves this way). */
  pgSchema?: string;
  /** Passed to buildApp: hooks added before any route (the contract test uses it). */
  instrument?: AppOptions['instrument'];
}

/** Wires store, domain components and HTTP together; nothing else lives here. */
export async function startServer(config: ResolvedConfig, options: ServerOptions = {}): Promise<RunningServer> {
  const clock = options.clock ?? systemClock;
  const store = await openStore(config.database.url, options.pgSchema ? { pgSchema: options.pgSchema } : {});
  await migratePlainAdminToken(store.settings);
  const configuredToken = config.adminToken;
  const storedToken = configuredToken === undefined ? new StoredAdminToken(store.settings) : undefined;
  const adminToken = configuredToken === undefined ? (storedToken as StoredAdminToken) : fixedAdminToken(configuredToken);
  const registry = new Registry();
  const bus = new MemoryBus();
  const components: Component[] = [];
  // Before the producers, so that alerts stop last and drain what they were given.
  const alertsConfig = resolveAlertsSection(config.alerts);
  const page = { name: config.server.pageName, publicUrl: config.server.publicUrl ?? alertsConfig.publicUrl };
  if (config.server.publicUrl !== undefined && config.alerts?.publicUrl === undefined) alertsConfig.publicUrl = config.server.publicUrl;
  // The dispatcher resumes subscribers' deliveries at start: it finds their channels through the announcer made below.
  const late: { operators?: Awaited<ReturnType<typeof setupOperators>> } = {};
  const alerts = setupAlerts({
    bus, clock, repo: store.alerts, probes: store.probes, config: alertsConfig,
    lookupIncident: (id) => store.incidents.get(id), log: options.announce,
    resolveChannel: async (name) => late.operators?.deps.announcer?.resolveChannel(name),
    heldAt: maintenanceHold(store),
  });
  components.push(alerts.dispatcher, alerts.correlator);
  const incidentsForStatuspage = statuspageIncidents(store.incidents);
  const operators = await setupOperators({
    store, bus, clock, page, subscriptions: config.subscriptions, alerts: alertsConfig, dispatcher: alerts.dispatcher, log: options.announce,
    statusOf: statusWithOperators({ views: new IncidentViews(store), maintenances: store.maintenances, clock, automatic: async (slug) => componentStatuses(await incidentsForStatuspage()).get(slug) ?? 'operational' }),
  });
  late.operators = operators;
  components.push(...operators.components);
  const probes = await setupProbes({ store, bus, clock, config, log: options.announce });
  components.push(...probes.components);
  const reports = await setupReports({ store, bus, clock, registry, config });
  components.push(reports.component);
  components.push(setupIncidents({ store, bus, clock, config, log: options.announce }));
  const deps: AppDeps = { store, bus, clock, adminToken, probes: probes.service, alerts: alertsConfig, reports: reports.ingest, metrics: { registry }, incidentsForStatuspage, operators: operators.deps };

  const app = await buildApp(deps, {
    logger: config.server.logLevel === 'silent' ? false : { level: config.server.logLevel },
    bodyLimit: config.server.bodyLimitBytes,
    trustProxy: trustedProxies(config.server.trustProxy),
    ...(options.instrument ? { instrument: options.instrument } : {}),
  });

  const started: Component[] = [];
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      // Stop accepting, finish in-flight requests. Connections that were busy when closing
      // began would otherwise linger for the keep-alive timeout (72 s) once they go idle.
      const reaper = setInterval(() => app.server.closeIdleConnections(), 50);
      try {
        await app.close();
      } finally {
        clearInterval(reaper);
      }
      for (const c of [...started].reverse()) await c.stop();
      await store.close();
    })();
    return closing;
  };
  try {
    for (const c of components) {
      await c.start();
      started.push(c);
    }
    await app.listen({ port: config.server.port, host: config.server.host });
  } catch (err) {
    // A busy port (or a component that cannot start) must leave nothing behind.
    await close();
    throw err;
  }
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`;

  // Only now, once the server listens, is a first-start token made: a start that fails
  // (a busy port) consumes none, and the next start prints one.
  const generatedAdminToken = storedToken ? await ensureAdminToken(store.settings) : undefined;
  if (generatedAdminToken !== undefined) {
    await storedToken?.refresh();
    options.announce?.(`stormwatch: generated admin token (shown once; only its hash is stored): ${generatedAdminToken}`);
    options.announce?.('stormwatch: set STORMWATCH_ADMIN_TOKEN or adminToken in the config file to choose your own; `stormwatch token rotate --db ...` makes a new one');
  }
  return { app, store, url, ...(generatedAdminToken !== undefined ? { generatedAdminToken } : {}), close };
}
