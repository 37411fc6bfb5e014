import { randomBytes } from 'node:crypto';
import type { Bus } from '../events/bus.js';
import { OperatorError } from '../incidents/operator-errors.js';
import type { MaintenanceRepository } from '../store/maintenance-repository.js';
import type { ServicesRepository } from '../store/services-repo.js';
import type { Clock } from '../time/clock.js';
import { windowProblem, type Maintenance } from './window.js';

export interface MaintenanceInput {
  title: string;
  body: string;
  services: string[];
  startsAt: number;
  endsAt: number;
}

/**
 * Announced maintenance: create, change, remove. Start and end are announced by the
 * `MaintenanceScheduler` when their time comes.
 */
export class MaintenanceService {
  constructor(private readonly d: { repo: MaintenanceRepository; services: ServicesRepository; bus: Bus; clock: Clock }) {}

  async create(input: MaintenanceInput): Promise<Maintenance> {
    await this.check(input);
    const now = this.d.clock.now();
    const m: Maintenance = { id: `mnt-${randomBytes(8).toString('hex')}`, ...input, services: [...new Set(input.services)], createdAt: now, updatedAt: now };
    await this.d.repo.create(m);
    this.publish('created', m);
    return m;
  }

  async update(id: string, patch: Partial<MaintenanceInput>): Promise<Maintenance> {
    const prev = await this.d.repo.get(id);
    if (!prev) throw new OperatorError('not_found', `maintenance ${id} not found`);
    const next: Maintenance = { ...prev, ...patch, updatedAt: this.d.clock.now() };
    if (patch.services) next.services = [...new Set(patch.services)];
    await this.check(next);
    // A window moved into the future is announced again when it starts; one extended past
    // its announced end ends again.
    const now = this.d.clock.now();
    if (next.startsAt > now) delete next.startedAt;
    if (next.endsAt > now) delete next.endedAt;
    if (!(await this.d.repo.update(next))) throw new OperatorError('not_found', `maintenance ${id} not found`);
    this.publish('updated', next);
    return next;
  }

  async delete(id: string): Promise<void> {
    const prev = await this.d.repo.get(id);
    if (!prev || !(await this.d.repo.delete(id))) throw new OperatorError('not_found', `maintenance ${id} not found`);
    this.publish('deleted', prev);
  }

  private async check(m: MaintenanceInput): Promise<void> {
    const problem = windowProblem(m);
    if (problem) throw new OperatorError('invalid', problem.message, problem.field);
    for (const slug of m.services) {
      if (!(await this.d.services.get(slug))) throw new OperatorError('invalid', `service ${slug} does not exist`, 'services');
    }
  }

  private publish(kind: 'created' | 'updated' | 'deleted', m: Maintenance): void {
    this.d.bus.publish('maintenance.changed', { kind, maintenanceId: m.id, services: m.services, at: this.d.clock.now() });
  }
}
