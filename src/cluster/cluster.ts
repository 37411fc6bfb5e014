import type { Component } from '../runtime/component.js';
import type { Store } from '../store/store.js';
import { fencedStore } from './fenced-store.js';
import type { LeaseManager, LeaseStatus } from './lease-manager.js';
import type { Fence } from './lease-table.js';

/** The keys of a shard this node owns now, each with a store fenced by its lease. */
export interface Shard {
  owns(key: string): boolean;
  /** The store to write `key`'s work through (fenced by its lease), while owned. */
  store(key: string): Store | undefined;
  /**
   * Called when keys move to or away from this node. A `lost` listener's promise should
   * resolve once its work on the key is finished: the lease is given up after it.
   */
  onChange(listener: ShardListener): () => void;
}

export type ShardListener = (change: { gained: readonly string[]; lost: readonly string[] }) => void | Promise<void>;

/**
 * Where once-per-cluster work runs. One process (`soloCluster`) runs everything itself;
 * cluster mode (`leasedCluster`) runs each piece on the node holding its lease.
 */
export interface Cluster {
  readonly nodeId: string;
  readonly clustered: boolean;
  /**
   * `build(store)` as a component that runs on one node at a time: each time this node
   * takes the lease `name`, a fresh one is built over a store whose writes are fenced by
   * that lease, and started; it is stopped when the lease moves away or is lost.
   * Adopting it is one line: `components.push(cluster.runUnderLease('x', (s) => new X(s)))`.
   */
  runUnderLease(name: string, build: (store: Store) => Component): Component;
  /** Leases `prefix + key` for every key, spread over the live nodes by rendezvous hashing. */
  shard(prefix: string, keys: () => Promise<readonly string[]>): Shard & Component;
  status(): LeaseStatus;
  /** Every lease of the cluster, from the database (none in one process). */
  leases(): Promise<{ name: string; holder: string; epoch: number; expiresInMs: number }[]>;
}

/** One process: it holds every lease, and its store is not fenced. */
export function soloCluster(store: Store, nodeId = 'solo'): Cluster {
  return {
    nodeId,
    clustered: false,
    runUnderLease(name, build) {
      let running: Component | undefined;
      return {
        name,
        async start() {
          running = build(store);
          await running.start();
        },
        async stop() {
          await running?.stop();
          running = undefined;
        },
      };
    },
    shard(prefix) {
      return { name: `${prefix}*`, owns: () => true, store: () => store, onChange: () => () => undefined, start: async () => undefined, stop: async () => undefined };
    },
    status: () => ({ nodeId, liveNodes: [nodeId], held: [] }),
    leases: async () => [],
  };
}

/** Cluster mode: work under leases kept by `leases` in the shared database. */
export function leasedCluster(store: Store, leases: LeaseManager, nodeId: string): Cluster {
  return {
    nodeId,
    clustered: true,
    runUnderLease(name, build) {
      let running: Component | undefined;
      let unregister: (() => Promise<void>) | undefined;
      return {
        name,
        async start() {
          unregister = leases.register(name, {
            async gained(fence: Fence) {
              const c = build(fencedStore(store, fence));
              await c.start();
              running = c;
            },
            async lost() {
              const c = running;
              running = undefined;
              await c?.stop();
            },
          });
        },
        async stop() {
          await unregister?.();
          unregister = undefined;
        },
      };
    },
    shard(prefix, keys) {
      const owned = new Map<string, Store>();
      const listeners = new Set<ShardListener>();
      let unregister: (() => Promise<void>) | undefined;
      const notify = async (change: { gained: readonly string[]; lost: readonly string[] }): Promise<void> => {
        await Promise.all([...listeners].map((l) => l(change)));
      };
      return {
        name: `${prefix}*`,
        owns: (key) => owned.has(key),
        store: (key) => owned.get(key),
        onChange(listener) {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
        async start() {
          unregister = leases.registerShard({
            prefix,
            keys,
            claim: (key) => ({
              async gained(fence) {
                owned.set(key, fencedStore(store, fence));
                await notify({ gained: [key], lost: [] });
              },
              async lost() {
                owned.delete(key);
                await notify({ gained: [], lost: [key] });
              },
            }),
          });
        },
        async stop() {
          await unregister?.();
          unregister = undefined;
        },
      };
    },
    status: () => leases.status(),
    leases: () => leases.leases.all(),
  };
}
