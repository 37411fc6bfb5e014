import fs from 'node:fs/promises';
import path from 'node:path';
import { systemClock, type Clock } from '../time/clock.js';
import { AgentAuthError, AgentClient, AgentConfigError } from './agent-client.js';
import type { Check } from './check.js';
import { defaultRegistry } from './default-registry.js';
import type { ProberRegistry } from './prober.js';
import type { ProbeResult } from './result.js';
import { Scheduler } from './scheduler.js';
import { Spool } from './spool.js';
import { InstantPoller } from './instant/instant-poller.js';

export interface AgentOptions {
  server: string;
  token: string;
  /** Where it runs; optional when the server pinned the agent's location. */
  location?: string;
  spoolDir: string;
  concurrency?: number;
  clock?: Clock;
  registry?: ProberRegistry;
  batchSize?: number;
  flushMs?: number;
  /** How often assignments are pulled again. */
  refreshMs?: number;
  /** A request to the server that takes longer counts as failed (a push is spooled). */
  requestTimeoutMs?: number;
  log?: (line: string) => void;
  /** Sees every result as it is produced (status output, benchmarks). */
  observe?: (result: ProbeResult) => void;
  /**
   * The agent cannot go on (its token was refused, it has no location): results are kept in
   * the spool, and the caller should stop it and exit non-zero.
   */
  onFatal?: (err: Error) => void;
  /** Take part in instant checks (a long-poll kept open to the server); on by default. */
  instantChecks?: boolean;
}

export interface AgentStats {
  produced: number;
  acknowledged: number;
  spooled: number;
  /** Refused by the server for good (malformed batch); dropped, not retried. */
  rejected: number;
  checks: number;
  drift: { p50: number; p99: number };
}

/**
 * A remote agent: pulls its assignments, runs them through the scheduler, and pushes
 * results in batches. Whatever the server does not acknowledge goes to the disk spool and
 * is resent later, so no result is lost across agent or server restarts. The last
 * assignments are kept on disk too, so an agent restarted while the server is down still
 * probes.
 */
export class ProbeAgent {
  private readonly scheduler: Scheduler;
  private readonly spool: Spool;
  private readonly registry: ProberRegistry;
  private pending: ProbeResult[] = [];
  /** Results wait on disk: new batches join them there and everything is resent oldest first. */
  private backlog = false;
  private chain: Promise<void> = Promise.resolve();
  private flushQueued = false;
  private timers: NodeJS.Timeout[] = [];
  private readonly stats = { produced: 0, acknowledged: 0, spooled: 0, rejected: 0 };
  private readonly log: (line: string) => void;
  private readonly client: AgentClient;
  /** Where results are filed: `--location`, or the one the server pinned (which wins). */
  private location: string | undefined;
  private fatal: Error | undefined;
  private started = false;
  private mismatchLogged = false;
  private instant: InstantPoller | undefined;

  constructor(private readonly options: AgentOptions) {
    this.registry = options.registry ?? defaultRegistry();
    this.spool = new Spool(options.spoolDir);
    this.log = options.log ?? (() => undefined);
    this.client = new AgentClient(options.server, options.token, options.requestTimeoutMs ?? 15_000);
    this.location = options.location;
    this.scheduler = new Scheduler({
      registry: this.registry,
      clock: options.clock ?? systemClock,
      location: options.location ?? '',
      concurrency: options.concurrency ?? 32,
      onResult: (r) => this.accept(r),
      onInvalid: (check, err) => this.log(`skipping check ${check.name}: ${err.message}`),
    });
  }

  async start(): Promise<void> {
    await this.spool.init();
    this.backlog = (await this.spool.pendingCount()) > 0;
    // With saved assignments, probing starts at once and the server is asked meanwhile;
    // a first start has nothing to run until the server answers.
    const saved = await this.savedAssignments();
    if (saved && (this.location ?? saved.location)) {
      this.useLocation(this.location ?? saved.location!);
      this.scheduler.setChecks(saved.checks);
      void this.refresh();
    } else {
      await this.refresh();
      // A refused token or no location at all: nothing to run, say why.
      if (this.fatal) throw this.fatal;
      if (this.location === undefined) throw new Error('cannot start: the server did not answer with assignments (see the log)');
    }
    this.started = true;
    this.scheduler.start();
    if (this.options.instantChecks !== false) {
      this.instant = new InstantPoller(this.client, () => this.location, this.registry, this.options.clock ?? systemClock, this.log);
      this.instant.start();
    }
    this.timers.push(setInterval(() => void this.flush(), this.options.flushMs ?? 1000));
    this.timers.push(setInterval(() => void this.refresh(), this.options.refreshMs ?? 30_000));
  }

  /** Stops probing, then sends or spools everything produced. */
  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.instant?.stop();
    await this.scheduler.stop();
    await this.flush();
    this.registry.close();
  }

  /** The location results are filed under (the server's pinned one, when it pinned one). */
  get currentLocation(): string | undefined {
    return this.location;
  }

  getStats(): AgentStats {
    const d = this.scheduler.driftPercentiles();
    return { ...this.stats, checks: this.scheduler.checkCount, drift: { p50: d.p50, p99: d.p99 } };
  }

  /**
   * Sends what is pending and retries the spool; serialised so batches never interleave,
   * and coalesced so a slow server does not pile up queued flushes.
   */
  flush(): Promise<void> {
    if (this.flushQueued) return this.chain;
    this.flushQueued = true;
    this.chain = this.chain
      .then(() => {
        this.flushQueued = false;
        return this.flushOnce();
      })
      .catch((err: unknown) => this.log(`flush failed: ${(err as Error).message}`));
    return this.chain;
  }

  private accept(result: ProbeResult): void {
    this.stats.produced++;
    this.options.observe?.(result);
    this.pending.push(result);
    if (this.pending.length >= (this.options.batchSize ?? 500)) void this.flush();
  }

  private async flushOnce(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (this.backlog) {
      // Disk first, then the resend: while the server is away (or slow to fail) results
      // wait on disk, not in memory, and go out oldest first.
      if (batch.length > 0) await this.toSpool(batch);
      try {
        await this.spool.drain((b) => this.post(b), this.options.batchSize ?? 500);
        this.backlog = false;
      } catch (err) {
        // Still unreachable: the spool keeps everything for the next attempt.
        if (err instanceof AgentAuthError) this.fail(err);
      }
      return;
    }
    if (batch.length === 0) return;
    try {
      await this.post(batch);
    } catch (err) {
      this.log(`not delivered (${(err as Error).message}); spooling ${batch.length} results`);
      await this.toSpool(batch);
      if (err instanceof AgentAuthError) this.fail(err);
    }
  }

  /** Once: the caller stops the agent (results stay in the spool) and exits non-zero. */
  private fail(err: Error): void {
    if (this.fatal) return;
    this.fatal = err;
    // During start the error is thrown to the caller instead.
    if (!this.started) return;
    this.log(err.message);
    this.options.onFatal?.(err);
  }

  private useLocation(location: string): void {
    this.location = location;
    this.scheduler.setLocation(location);
  }

  private async toSpool(batch: ProbeResult[]): Promise<void> {
    await this.spool.append(batch);
    this.stats.spooled += batch.length;
    this.backlog = true;
  }

  private async post(batch: ProbeResult[]): Promise<void> {
    const { outcome, detail } = await this.client.push(this.location ?? '', batch);
    if (outcome === 'acknowledged') {
      this.stats.acknowledged += batch.length;
      return;
    }
    // A batch the server will never take (e.g. malformed); keeping it would block the spool.
    this.log(`server rejected ${batch.length} results (${detail ?? ''})`);
    this.stats.rejected += batch.length;
  }

  private async refresh(): Promise<void> {
    try {
      const got = await this.client.assignments(this.options.location);
      if (this.options.location && this.options.location !== got.location && !this.mismatchLogged) {
        this.mismatchLogged = true;
        this.log(`location mismatch: --location "${this.options.location}" but the server pinned this agent to "${got.location}"; results are filed under "${got.location}"`);
      }
      this.useLocation(got.location);
      this.scheduler.setChecks(got.checks);
      await fs.writeFile(this.assignmentsFile, JSON.stringify({ location: got.location, checks: got.checks }));
    } catch (err) {
      if (err instanceof AgentAuthError || err instanceof AgentConfigError) this.fail(err);
      else this.log(`cannot fetch assignments: ${(err as Error).message}`);
    }
  }

  private get assignmentsFile(): string {
    return path.join(this.options.spoolDir, 'assignments.json');
  }

  private async savedAssignments(): Promise<{ location?: string; checks: Check[] } | undefined> {
    try {
      const saved = JSON.parse(await fs.readFile(this.assignmentsFile, 'utf8')) as Check[] | { location: string; checks: Check[] };
      // Agents before the pinned-location answer saved the bare list.
      const out = Array.isArray(saved) ? { checks: saved } : saved;
      this.log(`starting with ${out.checks.length} checks from the last saved assignments`);
      return out;
    } catch {
      return undefined;
    }
  }
}
