import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { ConfigError } from '../config/load.js';
import { MemoryBus, type Bus } from '../events/bus.js';
import type { Store } from '../store/store.js';
import { leasedCluster, soloCluster, type Cluster } from './cluster.js';
import type { ClusterSection } from './config.js';
import { JetStreamBus } from './jetstream-bus.js';
import { LeaseManager } from './lease-manager.js';

/** This process's place: alone, or one node of a cluster. */
export interface Node {
  bus: Bus;
  cluster: Cluster;
  /** Starts taking leases (after the components registered theirs). */
  start(): void;
  /** Gives the leases up and closes the NATS connection (after the components stopped). */
  close(): Promise<void>;
}

/** Refuses a cluster on SQLite before anything is opened. */
export function checkClusterDatabase(cluster: ClusterSection | undefined, databaseUrl: string): void {
  if (cluster && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('cluster.nats', 'cluster mode needs PostgreSQL (database.url: postgres://...); SQLite serves one process only, so leave cluster.nats unset to run one node on SQLite');
  }
}

/**
 * One process: the in-memory bus and every piece of work run here. With `cluster` set:
 * the JetStream bus, and leases in the shared PostgreSQL database (src/cluster/).
 */
export async function joinCluster(store: Store, section: ClusterSection | undefined, log?: (line: string) => void): Promise<Node> {
  if (!section) {
    const bus = new MemoryBus((err, topic) => log?.(`bus: a ${topic} subscriber failed: ${(err as Error).message ?? String(err)}`));
    return { bus, cluster: soloCluster(store), start: () => undefined, close: async () => undefined };
  }
  const nodeId = section.nodeId ?? `${hostname().replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 40)}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const bus = await JetStreamBus.connect({ servers: section.nats, name: section.name, nodeId, log });
  // Another node's new service must be known here before its reports arrive.
  bus.subscribe('service.changed', () => void store.services.reload().catch(() => undefined));
  const leases = new LeaseManager({ db: store.db, nodeId, ttlMs: section.leaseSeconds * 1000, renewMs: section.renewSeconds * 1000, log });
  return {
    bus,
    cluster: leasedCluster(store, leases, nodeId),
    start: () => leases.start(),
    async close() {
      await leases.stop();
      await bus.close();
    },
  };
}
