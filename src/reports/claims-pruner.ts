import { pruneClaims } from '../store/report-claims.js';
import type { SqlDb } from '../store/sql-db.js';
import type { Clock } from '../time/clock.js';

/** Keeps the shared abuse tables small: rows that can no longer refuse anything go, every minute. */
export class ClaimsPruner {
  readonly name = 'abuse-prune';
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: SqlDb,
    private readonly clock: Clock,
    private readonly dedupeWindowMs: number,
    private readonly log?: (line: string) => void,
    private readonly everyMs = 60_000,
  ) {}

  async start(): Promise<void> {
    this.timer = setInterval(() => void this.prune(), this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  prune(): Promise<unknown> {
    this.running = pruneClaims(this.db, this.clock.now(), this.dedupeWindowMs).catch((err: unknown) => this.log?.(`abuse state pruning failed: ${(err as Error).message}`));
    return this.running;
  }
}
