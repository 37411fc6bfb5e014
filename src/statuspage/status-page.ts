import type { IncidentView } from '../incidents/incident-view.js';
import type { IncidentViews } from '../incidents/incident-views.js';
import type { ComponentStatus } from '../incidents/operator-incident.js';
import { phaseAt, type Maintenance } from '../maintenance/window.js';
import type { StatusReason } from '../status/model.js';
import type { StatusService } from '../status/status-service.js';
import type { DayUptime } from '../status/uptime.js';
import type { MaintenanceRepository } from '../store/maintenance-repository.js';
import type { ServiceRecord, ServicesRepository } from '../store/services-repo.js';
import { resolveSubject, type StatusSubject } from './subject.js';

const DAY_MS = 86_400_000;

/** How far back a status page looks: its uptime bars and its past incidents. */
export const HISTORY_DAYS = 90;

export interface StatusPageModel {
  subject: StatusSubject;
  status: ComponentStatus;
  services: { service: ServiceRecord; status: ComponentStatus; reasons: StatusReason[] }[];
  uptime: { days: DayUptime[]; percent?: number };
  open: IncidentView[];
  /** Resolved within the last 90 days, not dismissed. */
  past: IncidentView[];
  active: Maintenance[];
  upcoming: Maintenance[];
}

const RANK: Record<ComponentStatus, number> = { operational: 0, under_maintenance: 1, degraded_performance: 2, partial_outage: 3, major_outage: 4 };

/** The worst status; maintenance shows over operational but under any trouble. */
export function worstStatus(statuses: Iterable<ComponentStatus>): ComponentStatus {
  let worst: ComponentStatus = 'operational';
  for (const s of statuses) if (RANK[s] > RANK[worst]) worst = s;
  return worst;
}

/** Everything a public status page shows, for a service, a category, or the whole page. */
export class StatusPages {
  constructor(
    private readonly d: {
      services: ServicesRepository;
      maintenances: MaintenanceRepository;
      views: IncidentViews;
      status: Pick<StatusService, 'of' | 'uptimeOf'>;
      pageName: string;
    },
  ) {}

  async model(slug: string, now: number): Promise<StatusPageModel | undefined> {
    const subject = resolveSubject(slug, await this.d.services.list(), this.d.pageName);
    if (!subject) return undefined;
    const slugs = new Set(subject.services.map((s) => s.slug));
    const statuses = await Promise.all(subject.services.map(async (service) => {
      const view = await this.d.status.of(service.slug, now);
      return { service, status: view.status, reasons: view.reasons };
    }));
    const since = now - HISTORY_DAYS * DAY_MS;
    const incidents = await this.incidents(subject, since);
    const windows = (await this.d.maintenances.list({ endsAfter: now, limit: 1000 })).filter((m) => m.services.some((s) => slugs.has(s)));
    return {
      subject,
      status: worstStatus(statuses.map((s) => s.status)),
      services: statuses,
      // Counted from each service's creation (or its first incident), dismissed incidents left out: src/status.
      uptime: await this.d.status.uptimeOf(subject.services.map((s) => s.slug), HISTORY_DAYS, now),
      open: incidents.filter((i) => i.status === 'open'),
      past: incidents.filter((i) => i.status === 'closed' && i.dismissedAt === undefined && (i.closedAt ?? i.openedAt) >= since),
      active: windows.filter((m) => phaseAt(m, now) === 'in_progress').sort((a, b) => a.startsAt - b.startsAt),
      upcoming: windows.filter((m) => phaseAt(m, now) === 'scheduled').sort((a, b) => a.startsAt - b.startsAt),
    };
  }

  /** Incidents of the subject's services still open or closed within the window, newest first. */
  async incidents(subject: StatusSubject, since: number): Promise<IncidentView[]> {
    if (subject.kind === 'page') return this.d.views.list({ from: since, limit: 1000 });
    const lists = await Promise.all(subject.services.map((s) => this.d.views.list({ service: s.slug, from: since, limit: 1000 })));
    const byId = new Map<string, IncidentView>();
    for (const v of lists.flat()) byId.set(v.id, v);
    return [...byId.values()].sort((a, b) => b.openedAt - a.openedAt);
  }
}
