import type { Clock } from '../time/clock.js';

/** Runs a chore at start and then every `everyMs` (forgetting unconfirmed subscriptions, old sessions). */
export class Housekeeping {
  readonly name = 'housekeeping';
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly chore: (now: number) => Promise<void>,
    private readonly log?: (line: string) => void,
    private readonly everyMs = 600_000,
  ) {}

  async start(): Promise<void> {
    await this.run();
    this.timer = setInterval(() => void this.run(), this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private run(): Promise<void> {
    this.running ??= this.chore(this.clock.now())
      .catch((err: unknown) => this.log?.(`housekeeping: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => (this.running = undefined));
    return this.running;
  }
}
