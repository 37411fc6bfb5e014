import type { AddressInfo } from 'node:net';
import { buildApp, type App, type AppOptions } from './api/app.js';
import type { AppDeps } from './api/deps.js';
import type { ResolvedConfig } from './config/load.js';
import { checkClusterDatabase, joinCluster } from './cluster/node.js';
import type { Cluster } from './cluster/cluster.js';
import { componentGroup } from './runtime/component.js';
import { openStore } from './store/open.js';
import { setupProbes } from './probes/setup.js';
import { resolveAlertsSection } from './alerts/config.js';
import { setupAlerts } from './alerts/setup.js';
import { Registry } from 'prom-client';
import { ensureAdminToken, fixedAdminToken, migratePlainAdminToken, StoredAdminToken } from './config/admin-token.js';
import { trustedProxies } from './config/trust-proxy.js';
import { setupReports } from './reports/setup.js';
import { ClaimsPruner } from './reports/claims-pruner.js';
import { sharedRateClaimerFor } from './store/report-claims.js';
import { setupIncidents } from './incidents/setup.js';
import { createStatusService, failingChecks, setupStatus } from './status/setup.js';
import { quorumDefaults } from './status/quorum-settings.js';
import { registerStatusMetrics } from './status/status-metrics.js';
import { deliveryOutcomeCounter } from './alerts/alert-metrics.js';
import { maintenanceHold, setupOperators } from './operators/setup.js';
import type { Store } from './store/store.js';
import { systemClock, type Clock } from './time/clock.js';

export type { Component } from './runtime/component.js';
import type { Component } from './runtime/component.js';

export interface RunningServer {
  app: App;
  store: Store;
  /** Where once-per-cluster work runs (one process: here). */
  cluster: Cluster;
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
  checkClusterDatabase(config.cluster, config.database.url);
  const pgSchema = options.pgSchema ?? config.database.schema;
  const store = await openStore(config.database.url, { ...(pgSchema ? { pgSchema } : {}), sharedWriters: config.cluster !== undefined });
  await migratePlainAdminToken(store.settings);
  const configuredToken = config.adminToken;
  const storedToken = configuredToken === undefined ? new StoredAdminToken(store.settings) : undefined;
  const adminToken = configuredToken === undefined ? (storedToken as StoredAdminToken) : fixedAdminToken(configuredToken);
  const registry = new Registry();
  const node = await joinCluster(store, config.cluster, options.announce).catch(async (err: unknown) => {
    await store.close();
    throw err;
  });
  const { bus, cluster } = node;
  const components: Component[] = [];
  // Before the producers, so that alerts stop last and drain what they were given.
  const alertsConfig = resolveAlertsSection(config.alerts);
  const page = { name: config.server.pageName, publicUrl: config.server.publicUrl ?? alertsConfig.publicUrl };
  if (config.server.publicUrl !== undefined && config.alerts?.publicUrl === undefined) alertsConfig.publicUrl = config.server.publicUrl;
  // Every surface reads each service's status here (stateless: from the store).
  const statusConfig = { ...(config.probes ? { probes: config.probes } : {}) };
  const statusService = createStatusService(store, clock, quorumDefaults(config.probes));
  registerStatusMetrics(registry, { status: statusService, store, clock });
  const deliveryOutcome = deliveryOutcomeCounter(registry);
  // The dispatcher resumes subscribers' deliveries at start: it finds their channels through the announcer made below.
  const late: { operators?: Awaited<ReturnType<typeof setupOperators>> } = {};
  const alertsOver = (s: Store): ReturnType<typeof setupAlerts> =>
    setupAlerts({
      bus, clock, repo: s.alerts, probes: s.probes, config: alertsConfig,
      lookupIncident: (id) => s.incidents.get(id), log: options.announce,
      statusOf: (service) => statusService.of(service),
      onOutcome: deliveryOutcome,
      failingChecks: async (service) => failingChecks(await statusService.of(service)),
      resolveChannel: async (name) => late.operators?.deps.announcer?.resolveChannel(name),
      heldAt: maintenanceHold(s),
    });
  let announcer: ReturnType<typeof setupAlerts>['dispatcher'];
  if (!cluster.clustered) {
    const alerts = alertsOver(store);
    components.push(alerts.dispatcher, alerts.correlator);
    announcer = alerts.dispatcher;
  } else {
    // The correlator and the dispatcher run together on the node holding the alerts lease.
    components.push(
      cluster.runUnderLease('alerts', (s) => {
        const alerts = alertsOver(s);
        return componentGroup('alerts', [alerts.dispatcher, alerts.correlator]);
      }),
    );
    // Announcements to subscribers leave from the node where they happen (never started:
    // it only sends what it is given); the leased dispatcher resumes any cut short.
    announcer = alertsOver(store).dispatcher;
  }
  // The status runners (probe streaks, announcements, probe incidents) run on one node.
  components.push(
    cluster.runUnderLease('status', (s) => {
      const runners = setupStatus({ store: s, bus, clock, config: statusConfig, log: options.announce });
      return componentGroup('status', [runners.evaluator, runners.watcher]);
    }),
  );
  const operators = await setupOperators({
    store, bus, clock, page, subscriptions: config.subscriptions, alerts: alertsConfig, dispatcher: announcer, log: options.announce,
    status: statusService,
  });
  late.operators = operators;
  // Automatic announcements, maintenance transitions and housekeeping: once per cluster
  // (their deliveries are claimed anyway, so a handover repeats nothing).
  if (cluster.clustered) components.push(cluster.runUnderLease('operators', () => componentGroup('operators', operators.components)));
  else components.push(...operators.components);
  const probes = await setupProbes({ store, bus, clock, config, log: options.announce, cluster, metrics: registry });
  components.push(...probes.components);
  const sharedAbuseState = config.cluster?.sharedAbuseState === true;
  const reports = await setupReports({ store, bus, clock, registry, config, sharedAbuseState });
  components.push(reports.component);
  if (sharedAbuseState) {
    const windowMs = (config.reports?.dedupeMinutes ?? 15) * 60_000;
    components.push(cluster.runUnderLease('abuse-prune', (s) => new ClaimsPruner(s.db, clock, windowMs, options.announce)));
  }
  // Each service's detection runs on one node, spread over the live nodes.
  const incidentShard = cluster.shard('incidents:', async () => (await store.services.list()).map((svc) => svc.slug));
  components.push(incidentShard);
  components.push(setupIncidents({ store, bus, clock, config, log: options.announce, ...(cluster.clustered ? { shard: incidentShard } : {}) }));
  const deps: AppDeps = {
    store, bus, clock, adminToken, probes: probes.service, instantChecks: sharedAbuseState ? { ...probes.instant, shared: sharedRateClaimerFor(store.db) } : probes.instant, alerts: alertsConfig, reports: reports.ingest, metrics: { registry },
    status: statusService, operators: operators.deps, cluster,
    liveEvents: { maxStreams: config.server.maxEventStreams, maxStreamsPerAddress: config.server.maxEventStreamsPerAddress },
  };

  const app = await buildApp(deps, {
    logger: config.server.logLevel === 'silent' ? false : { level: config.server.logLevel },
    bodyLimit: config.server.bodyLimitBytes,
    trustProxy: trustedProxies(config.server.trustProxy),
    connections: { requestTimeoutMs: config.server.requestTimeoutMs, idleTimeoutMs: config.server.idleTimeoutMs, maxConnectionsPerAddress: config.server.maxConnectionsPerAddress },
    ...(options.instrument ? { instrument: options.instrument } : {}),
  });

  const started: Component[] = [];
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      // Stop accepting, finish in-flight requests. Connections that were busy when closing
      // began would otherwise linger for the keep-alive timeout (72 s) once they go idle.
      // Requests still running at the deadline (a slow client) are cut off: the server
      // stops in bounded time whatever clients do.
      const reaper = setInterval(() => app.server.closeIdleConnections(), 50);
      const deadline = setTimeout(() => app.server.closeAllConnections(), config.server.shutdownTimeoutMs);
      try {
        await app.close();
      } finally {
        clearInterval(reaper);
        clearTimeout(deadline);
      }
      for (const c of [...started].reverse()) await c.stop();
      await node.close();
      await store.close();
    })();
    return closing;
  };
  try {
    for (const c of components) {
      await c.start();
      started.push(c);
    }
    node.start();
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
  return { app, store, cluster, url, ...(generatedAdminToken !== undefined ? { generatedAdminToken } : {}), close };
}
