import { randomBytes } from 'node:crypto';
import type { Bus } from '../events/bus.js';
import type { Store } from '../store/store.js';
import type { Clock } from '../time/clock.js';
import { incidentId } from './engine.js';
import type { IncidentView, UpdateView } from './incident-view.js';
import type { IncidentViews } from './incident-views.js';
import { OperatorError } from './operator-errors.js';
import { adoptAutomatic, applyUpdate, openIncident, type ComponentStatus, type Impact, type NewIncidentInput, type UpdateInput } from './operator-incident.js';

/** What subscribers hear: an incident opened, an update was posted, it was resolved. */
export interface IncidentAnnouncer {
  incident(event: 'opened' | 'updated' | 'resolved', view: IncidentView, update?: UpdateView): Promise<void>;
}

export interface OperatorIncidentsDeps {
  store: Pick<Store, 'operatorIncidents' | 'incidents' | 'services'>;
  bus: Bus;
  clock: Clock;
  views: IncidentViews;
  /** A service's status as the status page shows it now (the "old" status of an update). */
  statusOf: (service: string) => Promise<ComponentStatus>;
  announcer?: IncidentAnnouncer;
}

export interface IncidentPatch {
  title?: string;
  impact?: Impact;
  /** Markdown; null removes it. Only on a resolved incident. */
  postmortem?: string | null;
}

/**
 * Operators' actions on incidents: open one, post updates (to theirs and to automatic ones),
 * edit, publish a postmortem, dismiss a false automatic one. Each action is saved in one
 * transaction, announced on the bus (live pages) and to subscribers.
 */
export class OperatorIncidents {
  constructor(private readonly d: OperatorIncidentsDeps) {}

  async open(input: NewIncidentInput): Promise<IncidentView> {
    await this.requireServices([...input.services, ...(input.update.components ?? []).map((c) => c.service)]);
    const now = this.d.clock.now();
    // Automatic ids are `<service>-<time>`; the random suffix keeps these apart from a service named "op".
    const id = `${incidentId('op', now)}-${randomBytes(3).toString('hex')}`;
    const before = await this.statuses([...input.services, ...(input.update.components ?? []).map((c) => c.service)]);
    await this.d.store.operatorIncidents.mutate(id, () => openIncident(input, { incident: id, update: newId() }, now, (s) => before.get(s) ?? 'operational'));
    const view = await this.view(id);
    await this.announce(view.update?.status === 'resolved' ? 'resolved' : 'opened', view);
    return view.incident;
  }

  async update(id: string, input: UpdateInput): Promise<{ incident: IncidentView; update: UpdateView }> {
    const existing = await this.require(id);
    await this.requireServices((input.components ?? []).map((c) => c.service));
    const now = this.d.clock.now();
    const before = await this.statuses([...existing.services, ...(input.components ?? []).map((c) => c.service)]);
    const updateId = newId();
    await this.d.store.operatorIncidents.mutate(id, (prev) => {
      const base = prev ?? adoptAutomatic(id, existing.service, now);
      if (base.dismissedAt !== undefined) throw new OperatorError('conflict', 'the incident was dismissed; open a new incident instead');
      // An incident's updates are strictly ordered in time, even two in the same millisecond.
      const at = Math.max(now, base.updatedAt + 1);
      return applyUpdate(base, input, updateId, at, (s) => before.get(s) ?? 'operational');
    });
    const view = await this.view(id, updateId);
    const update = view.update;
    if (!update) throw new OperatorError('not_found', `incident ${id} not found`);
    await this.announce(input.status === 'resolved' ? 'resolved' : 'updated', view);
    return { incident: view.incident, update };
  }

  async patch(id: string, patch: IncidentPatch): Promise<IncidentView> {
    const existing = await this.require(id);
    const now = this.d.clock.now();
    await this.d.store.operatorIncidents.mutate(id, (prev) => {
      const next = { ...(prev ?? adoptAutomatic(id, existing.service, now)), updatedAt: now };
      if (patch.title !== undefined) next.title = patch.title;
      if (patch.impact !== undefined) next.impact = patch.impact;
      if (patch.postmortem === null) {
        delete next.postmortem;
        delete next.postmortemAt;
      } else if (patch.postmortem !== undefined) {
        if (existing.status !== 'closed') throw new OperatorError('conflict', 'a postmortem is published once the incident is resolved', 'postmortem');
        next.postmortem = patch.postmortem;
        next.postmortemAt = prev?.postmortemAt ?? now;
      }
      return { incident: next };
    });
    const view = await this.view(id);
    this.publish(view.incident, now);
    return view.incident;
  }

  /** A false automatic incident: kept as dismissed, no longer counted anywhere. */
  async dismiss(id: string, reason: string | undefined): Promise<IncidentView> {
    const existing = await this.require(id);
    if (existing.source !== 'automatic') throw new OperatorError('conflict', 'only automatic incidents can be dismissed; resolve an operator incident instead');
    const now = this.d.clock.now();
    const done = await this.d.store.operatorIncidents.mutate(id, (prev) => {
      const base = prev ?? adoptAutomatic(id, existing.service, now);
      if (base.dismissedAt !== undefined) return undefined;
      return { incident: { ...base, dismissedAt: now, updatedAt: now, ...(reason !== undefined ? { dismissReason: reason } : {}) } };
    });
    const view = await this.view(id);
    this.publish(view.incident, now);
    // The detector unlearns it (src/incidents/unlearn.ts); on a lost event it still does, at its next load.
    if (done) this.d.bus.publish('incident.dismissed', { incidentId: id, service: existing.service, at: now });
    return view.incident;
  }

  private async require(id: string): Promise<IncidentView> {
    const view = await this.d.views.get(id);
    if (!view) throw new OperatorError('not_found', `incident ${id} not found`);
    return view;
  }

  private async requireServices(slugs: readonly string[]): Promise<void> {
    for (const slug of slugs) {
      if (!(await this.d.store.services.get(slug))) throw new OperatorError('invalid', `service ${slug} does not exist`, 'services');
    }
  }

  private async statuses(slugs: readonly string[]): Promise<Map<string, ComponentStatus>> {
    const unique = [...new Set(slugs)];
    const values = await Promise.all(unique.map((s) => this.d.statusOf(s)));
    return new Map(unique.map((s, i) => [s, values[i]]));
  }

  private async view(id: string, updateId?: string): Promise<{ incident: IncidentView; update?: UpdateView }> {
    const incident = await this.require(id);
    const update = updateId ? incident.updates.find((u) => u.id === updateId) : incident.updates.find((u) => u.source === 'operator');
    return update ? { incident, update } : { incident };
  }

  private async announce(event: 'opened' | 'updated' | 'resolved', v: { incident: IncidentView; update?: UpdateView }): Promise<void> {
    this.publish(v.incident, this.d.clock.now());
    await this.d.announcer?.incident(event, v.incident, v.update);
  }

  /** Live pages of every affected service refetch. */
  private publish(view: IncidentView, at: number): void {
    for (const service of view.services) this.d.bus.publish('incident.changed', { kind: 'updated', incidentId: view.id, service, at });
  }
}

function newId(): string {
  return `upd-${randomBytes(8).toString('hex')}`;
}
