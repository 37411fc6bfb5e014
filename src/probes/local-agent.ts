import type { Clock } from '../time/clock.js';
import type { ProberRegistry } from './prober.js';
import type { ProbeResult } from './result.js';
import { Scheduler } from './scheduler.js';
import type { ProbeService } from './service.js';

export interface LocalAgentOptions {
  location: string;
  concurrency: number;
  /** Results are written in batches at most this often. */
  flushMs?: number;
  /** Assignments are re-read this often, and at once on every check change. */
  refreshMs?: number;
  log?: (line: string) => void;
}

/**
 * The agent built into the server, so a single machine probes out of the box. Same
 * scheduler as a remote agent, but it writes through the store instead of over HTTP.
 */
export class LocalAgent {
  readonly name = 'local-agent';
  private readonly scheduler: Scheduler;
  private pending: ProbeResult[] = [];
  private timers: NodeJS.Timeout[] = [];
  private unsubscribe: (() => void) | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly service: ProbeService,
    registry: ProberRegistry,
    clock: Clock,
    private readonly options: LocalAgentOptions,
  ) {
    this.scheduler = new Scheduler({
      registry,
      clock,
      location: options.location,
      concurrency: options.concurrency,
      onResult: (r) => this.pending.push(r),
      onInvalid: (check, err) => options.log?.(`local agent skips check ${check.name}: ${err.message}`),
    });
  }

  async start(): Promise<void> {
    await this.refresh();
    this.unsubscribe = this.service.onChange(() => void this.refresh());
    this.scheduler.start();
    this.timers.push(setInterval(() => void this.flush(), this.options.flushMs ?? 500));
    this.timers.push(setInterval(() => void this.refresh(), this.options.refreshMs ?? 30_000));
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.scheduler.stop();
    await this.flush();
  }

  flush(): Promise<void> {
    this.writing = this.writing.then(async () => {
      const batch = this.pending;
      this.pending = [];
      try {
        await this.service.recordResults(batch);
      } catch (err) {
        // Put them back: a transient database error must not lose results.
        this.pending = batch.concat(this.pending);
        this.options.log?.(`local agent cannot store results: ${(err as Error).message}`);
      }
    });
    return this.writing;
  }

  private async refresh(): Promise<void> {
    try {
      this.scheduler.setChecks(await this.service.assignmentsFor(this.options.location));
    } catch (err) {
      this.options.log?.(`local agent cannot read checks: ${(err as Error).message}`);
    }
  }
}
