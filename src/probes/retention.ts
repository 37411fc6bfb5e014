import type { ProbeRepository } from '../store/probe-repository.js';
import type { Clock } from '../time/clock.js';

/**
 * Keeps the results table bounded: at 10,000 checks a minute it would otherwise grow by
 * 14 million rows a day. Prunes once at start, then every `everyMs`.
 */
export class ResultRetention {
  readonly name = 'probe-retention';
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly repo: ProbeRepository,
    private readonly clock: Clock,
    private readonly keepMs: number,
    private readonly everyMs = 3_600_000,
    private readonly log?: (line: string) => void,
  ) {}

  async start(): Promise<void> {
    await this.prune();
    this.timer = setInterval(() => void this.prune(), this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  prune(): Promise<number> {
    const run = this.repo.pruneResults(this.clock.now() - this.keepMs).catch((err: unknown) => {
      this.log?.(`probe retention failed: ${(err as Error).message}`);
      return 0;
    });
    this.running = run;
    return run;
  }
}
