import type { Component } from '../../runtime/component.js';
import type { Clock } from '../../time/clock.js';
import type { ProberRegistry } from '../prober.js';
import type { InstantCheckService } from './instant-service.js';
import { InstantWorker } from './instant-worker.js';

/**
 * The built-in agent's part in instant checks: woken by the bus when a check is made (on
 * any node), it asks the service for its open work and answers through the store. A sweep
 * every few seconds catches an event missed while the bus was away.
 */
export class LocalInstantRunner implements Component {
  readonly name = 'local-instant';
  private readonly worker: InstantWorker;
  private off: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly service: InstantCheckService,
    registry: ProberRegistry,
    clock: Clock,
    private readonly location: string,
    private readonly log: (line: string) => void = () => undefined,
    private readonly sweepMs = 5000,
  ) {
    this.worker = new InstantWorker(registry, clock, () => location, async (work, answer) => {
      await service.answer(work.id, location, answer);
    }, log);
  }

  async start(): Promise<void> {
    this.off = this.service.onRequested(() => this.sweep());
    this.timer = setInterval(() => this.sweep(), this.sweepMs);
    this.timer.unref();
    this.sweep();
  }

  async stop(): Promise<void> {
    this.off?.();
    clearInterval(this.timer);
    await this.sweeping;
    await this.worker.drain();
  }

  /** One look at a time; a wake-up during a look makes one more. */
  private sweep(): void {
    if (this.sweeping) {
      this.again = true;
      return;
    }
    this.sweeping = (async () => {
      do {
        this.again = false;
        try {
          this.worker.take(await this.service.openFor(this.location, this.worker.running));
        } catch (err) {
          this.log(`local agent cannot read instant checks: ${(err as Error).message}`);
        }
      } while (this.again);
    })().finally(() => (this.sweeping = undefined));
  }
}
