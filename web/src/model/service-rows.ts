import type { Incident, Service } from '../api/types.js';
import { STATUS_RANK } from './status-subject.js';

/** The home page's rows: services in trouble first, then those with a recent incident. */
export interface ServiceRow {
  service: Service;
  openIncident: boolean;
  /** End of the latest incident closed within `recentMs` before now. */
  recentlyClosedAt?: number;
}

export const RECENT_MS = 24 * 3_600_000;

export function serviceRows(services: readonly Service[], incidents: readonly Incident[], now: number, recentMs = RECENT_MS): ServiceRow[] {
  const open = new Set<string>();
  const recent = new Map<string, number>();
  for (const i of incidents) {
    if (i.status === 'open') open.add(i.service);
    else if (i.closedAt !== undefined && now - i.closedAt <= recentMs && i.closedAt > (recent.get(i.service) ?? -Infinity)) recent.set(i.service, i.closedAt);
  }
  return services
    .map((service): ServiceRow => {
      const closed = recent.get(service.slug);
      return { service, openIncident: open.has(service.slug), ...(closed !== undefined ? { recentlyClosedAt: closed } : {}) };
    })
    .sort(
      (a, b) =>
        Number(b.openIncident) - Number(a.openIncident) ||
        STATUS_RANK[b.service.status] - STATUS_RANK[a.service.status] ||
        (b.recentlyClosedAt ?? -Infinity) - (a.recentlyClosedAt ?? -Infinity) ||
        a.service.name.localeCompare(b.service.name),
    );
}

/** "12 min ago", "3 h ago", "2 days ago". */
export function formatAgo(ms: number, now: number): string {
  const min = Math.max(0, Math.round((now - ms) / 60_000));
  if (min < 60) return `${min} min ago`;
  const h = Math.round(min / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} days ago`;
}
