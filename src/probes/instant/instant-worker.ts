import type { Clock } from '../../time/clock.js';
import type { ProberRegistry } from '../prober.js';
import type { InstantAnswer, InstantWork } from './instant-check.js';
import { runInstant } from './run-instant.js';

/**
 * Runs the instant work one location is handed, each check once: ids in flight (and until
 * their answer is delivered) are `running`, which the location's next ask for work leaves
 * out. Shared by the built-in agent and remote agents; only delivery differs.
 */
export class InstantWorker {
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly registry: ProberRegistry,
    private readonly clock: Clock,
    private readonly location: () => string | undefined,
    /** Hands one answer to the server; rejects when it could not (retried until the check expires). */
    private readonly deliver: (work: InstantWork, answer: InstantAnswer) => Promise<void>,
    private readonly log: (line: string) => void = () => undefined,
    private readonly maxInFlight = 64,
  ) {}

  /** Ids being run or delivered: the ask for more work leaves them out. */
  get running(): ReadonlySet<string> {
    return new Set(this.inFlight.keys());
  }

  get busy(): boolean {
    return this.inFlight.size >= this.maxInFlight;
  }

  take(work: readonly InstantWork[]): void {
    for (const w of work) {
      if (this.inFlight.has(w.id) || this.busy) continue;
      const location = this.location();
      if (location === undefined) return;
      const done = this.runOne(w, location).finally(() => this.inFlight.delete(w.id));
      this.inFlight.set(w.id, done);
    }
  }

  /** Waits for everything in flight (stopping). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight.values()]);
  }

  private async runOne(work: InstantWork, location: string): Promise<void> {
    const answer = await runInstant(work, location, this.registry, this.clock);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.deliver(work, answer);
        return;
      } catch (err) {
        if (Date.now() + 500 >= work.expiresAt || attempt >= 20) {
          this.log(`instant check ${work.id}: answer not delivered (${(err as Error).message})`);
          return;
        }
        await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** attempt)));
      }
    }
  }
}
