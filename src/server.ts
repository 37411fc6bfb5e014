import type { AddressInfo } from 'node:net';
import { buildApp, type App } from './api/app.js';
import type { AppDeps } from './api/deps.js';
import type { ResolvedConfig } from './config/load.js';
import { MemoryBus } from './events/bus.js';
import { openStore } from './store/open.js';
import { setupProbes } from './probes/setup.js';
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
  adminToken: string;
  close(): Promise<void>;
}

export interface ServerOptions {
  clock?: Clock;
  /** Print the generated admin token (first start) here. */
  announce?: (line: string) => void;
}

/** Wires store, domain components and HTTP together; nothing else lives here. */
export async function startServer(config: ResolvedConfig, options: ServerOptions = {}): Promise<RunningServer> {
  const clock = options.clock ?? systemClock;
  const store = await openStore(config.database.url);
  const adminToken = config.adminToken ?? 'change-me-admin-token';
  const bus = new MemoryBus();
  const components: Component[] = [];
  const probes = await setupProbes({ store, bus, clock, config, log: options.announce });
  if (probes.localAgent) components.push(probes.localAgent);
  const deps: AppDeps = { store, bus, clock, adminToken, probes: probes.service };

  const app = await buildApp(deps, {
    logger: config.server.logLevel === 'silent' ? false : { level: config.server.logLevel },
    bodyLimit: config.server.bodyLimitBytes,
    trustProxy: config.server.trustProxy,
  });
  for (const c of components) await c.start();
  await app.listen({ port: config.server.port, host: config.server.host });
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await app.close(); // stop accepting, finish in-flight requests
      for (const c of [...components].reverse()) await c.stop();
      await store.close();
    })();
    return closing;
  };
  return { app, store, url, adminToken, close };
}
