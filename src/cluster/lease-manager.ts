import type { SqlDb } from '../store/sql-db.js';
import { LeaseTable, type Fence } from './lease-table.js';
import { ownerOf } from './rendezvous.js';

/** What a node does when it takes a lease, and when it gives it up or loses it. */
export interface LeaseClaim {
  /** Starts the work; a failure gives the lease back (tried again on a later tick). */
  gained(fence: Fence): Promise<void>;
  /** Stops the work; resolves once nothing more will be written under the lease. */
  lost(): Promise<void>;
}

/** Leases named `prefix + key`, one per key that `keys()` lists (a service, say). */
export interface ShardClaim {
  prefix: string;
  keys(): Promise<readonly string[]>;
  claim(key: string): LeaseClaim;
}

export interface LeaseManagerOptions {
  db: SqlDb;
  nodeId: string;
  ttlMs: number;
  renewMs: number;
  log?: (line: string) => void;
}

export interface LeaseStatus {
  nodeId: string;
  liveNodes: string[];
  held: { name: string; epoch: number }[];
}

/**
 * Takes, renews and gives up this node's leases. Every `renewMs` it marks itself alive,
 * renews what it holds, reads the live nodes and, for each lease wanted (registered names
 * and every shard's keys), computes the owner by rendezvous hashing over the live nodes: it
 * takes the leases it should own when they are free or expired, and gives up the ones that
 * now belong to another live node (after stopping their work). A node that cannot renew for
 * a whole lease time stops its work on its own: by then another node may hold the lease.
 */
export class LeaseManager {
  private readonly table: LeaseTable;
  private readonly singles = new Map<string, LeaseClaim>();
  private readonly shards = new Set<ShardClaim>();
  private readonly held = new Map<string, { fence: Fence; claim: LeaseClaim }>();
  private live: string[] = [];
  private lastRenew = 0;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(private readonly o: LeaseManagerOptions) {
    this.table = new LeaseTable(o.db, o.nodeId, o.ttlMs);
  }

  get leases(): LeaseTable {
    return this.table;
  }

  register(name: string, claim: LeaseClaim): () => Promise<void> {
    this.singles.set(name, claim);
    this.kick();
    return async () => {
      this.singles.delete(name);
      await this.giveUp(name);
    };
  }

  registerShard(shard: ShardClaim): () => Promise<void> {
    this.shards.add(shard);
    this.kick();
    return async () => {
      this.shards.delete(shard);
      for (const name of [...this.held.keys()]) if (name.startsWith(shard.prefix)) await this.giveUp(name);
    };
  }

  start(): void {
    this.stopped = false;
    this.kick();
  }

  /** Stops every piece of work held, gives every lease up and leaves the node list. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.ticking;
    for (const name of [...this.held.keys()]) await this.drop(name);
    await this.table.leave().catch((err: unknown) => this.o.log?.(`cluster: leaving: ${(err as Error).message}`));
  }

  status(): LeaseStatus {
    return { nodeId: this.o.nodeId, liveNodes: [...this.live], held: [...this.held.values()].map((h) => ({ name: h.fence.name, epoch: h.fence.epoch })).sort((a, b) => (a.name < b.name ? -1 : 1)) };
  }

  /** Runs a tick soon (a registration, a test). */
  kick(): void {
    if (this.stopped) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.ticking = this.tick()
      .catch((err: unknown) => this.o.log?.(`cluster: ${(err as Error).message ?? String(err)}`))
      .finally(() => {
        this.ticking = undefined;
        if (this.stopped) return;
        if (this.again) {
          this.again = false;
          this.kick();
          return;
        }
        this.timer = setTimeout(() => this.kick(), this.o.renewMs);
        this.timer.unref();
      });
  }

  private async tick(): Promise<void> {
    const started = performance.now();
    let renewed: Map<string, number>;
    try {
      renewed = await this.table.heartbeat();
      this.lastRenew = started;
    } catch (err) {
      // Past the lease time another node may hold our leases: stop their work here.
      if (this.held.size > 0 && performance.now() - this.lastRenew > this.o.ttlMs - this.o.renewMs) {
        this.o.log?.(`cluster: cannot renew leases (${(err as Error).message}); stopping their work`);
        for (const name of [...this.held.keys()]) await this.drop(name);
      }
      throw err;
    }
    for (const [name, h] of [...this.held]) {
      if (renewed.get(name) !== h.fence.epoch) {
        this.o.log?.(`cluster: lost lease ${name}`);
        await this.drop(name);
      }
    }
    const live = await this.table.liveNodes();
    if (!live.includes(this.o.nodeId)) live.push(this.o.nodeId);
    this.live = live.sort();
    const wanted = await this.wanted();
    const release: string[] = [];
    for (const name of renewed.keys()) {
      if (wanted.has(name) && ownerOf(name, this.live) === this.o.nodeId) continue;
      if (this.held.has(name)) await this.drop(name);
      release.push(name);
    }
    if (release.length > 0) await this.table.release(release);
    const mine = [...wanted.keys()].filter((n) => !this.held.has(n) && !renewed.has(n) && ownerOf(n, this.live) === this.o.nodeId);
    if (mine.length === 0 || this.stopped) return;
    for (const fence of await this.table.acquire(mine)) {
      const claim = wanted.get(fence.name) as LeaseClaim;
      this.held.set(fence.name, { fence, claim });
      try {
        await claim.gained(fence);
        this.o.log?.(`cluster: took lease ${fence.name} (epoch ${fence.epoch})`);
      } catch (err) {
        this.o.log?.(`cluster: starting ${fence.name} failed: ${(err as Error).message}`);
        this.held.delete(fence.name);
        await this.table.release([fence.name]);
      }
    }
  }

  private async wanted(): Promise<Map<string, LeaseClaim>> {
    const out = new Map(this.singles);
    for (const shard of this.shards) {
      for (const key of await shard.keys()) out.set(shard.prefix + key, shard.claim(key));
    }
    return out;
  }

  /** Stops the work of a held lease (the lease itself is left to the caller). */
  private async drop(name: string): Promise<void> {
    const h = this.held.get(name);
    if (!h) return;
    this.held.delete(name);
    try {
      await h.claim.lost();
    } catch (err) {
      this.o.log?.(`cluster: stopping ${name} failed: ${(err as Error).message}`);
    }
  }

  private async giveUp(name: string): Promise<void> {
    if (!this.held.has(name)) return;
    await this.drop(name);
    await this.table.release([name]).catch(() => undefined);
  }
}
