import type { Bus } from '../events/bus.js';
import type { MaintenanceRepository } from '../store/maintenance-repository.js';
import type { Clock } from '../time/clock.js';
import { dueTransitions, type Maintenance } from './window.js';

/** Hears each window's start and end once (subscribers, alert holds). */
export interface MaintenanceAnnouncer {
  maintenance(event: 'started' | 'ended', m: Maintenance): Promise<void>;
}

export interface MaintenanceSchedulerOptions {
  repo: MaintenanceRepository;
  bus: Bus;
  clock: Clock;
  announcer?: MaintenanceAnnouncer;
  /** How often due starts and ends are looked for; 0: only `tick()` (tests). */
  tickMs?: number;
  log?: (line: string) => void;
}

/**
 * A server component: announces each maintenance window's start and end when its time
 * comes. Each transition is recorded in the window's row (a conditional update) after it was
 * announced, and announcements are idempotent, so a restart never announces one twice.
 */
export class MaintenanceScheduler {
  readonly name = 'maintenance';
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly o: MaintenanceSchedulerOptions) {}

  async start(): Promise<void> {
    await this.tick();
    const every = this.o.tickMs ?? 5_000;
    if (every > 0) {
      this.timer = setInterval(() => void this.tick(), every);
      this.timer.unref();
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Announces every transition that is due; one pass at a time. */
  tick(): Promise<void> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<void> {
    try {
      const now = this.o.clock.now();
      for (const { maintenance, transition } of dueTransitions(await this.o.repo.pendingTransitions(), now)) {
        // Announce first, then record: a crash in between announces again on the next pass,
        // and the deliveries' idempotency keys make that second announcement send nothing.
        await this.o.announcer?.maintenance(transition, maintenance);
        if (!(await this.o.repo.markTransition(maintenance.id, transition, now))) continue;
        this.o.bus.publish('maintenance.changed', { kind: transition, maintenanceId: maintenance.id, services: maintenance.services, at: now });
      }
    } catch (err) {
      this.o.log?.(`maintenance: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
