import type { IncidentViews } from '../incidents/incident-views.js';
import type { ComponentStatus } from '../incidents/operator-incident.js';
import { underMaintenance } from '../maintenance/window.js';
import type { MaintenanceRepository } from '../store/maintenance-repository.js';
import type { Clock } from '../time/clock.js';

/**
 * A service's status with the operators' word: the status an open incident's latest update
 * gave it wins, then an active maintenance window (under maintenance), then what the
 * detection says (`automatic`).
 */
export function statusWithOperators(d: { views: IncidentViews; maintenances: MaintenanceRepository; clock: Clock; automatic: (slug: string) => Promise<ComponentStatus> }): (slug: string) => Promise<ComponentStatus> {
  return async (slug) => {
    const now = d.clock.now();
    const open = await d.views.list({ service: slug, status: 'open', limit: 100 });
    let latest: { at: number; status: ComponentStatus } | undefined;
    for (const v of open) {
      for (const u of v.updates) {
        if (u.source !== 'operator') continue;
        const change = u.components.find((c) => c.service === slug);
        if (change && (!latest || u.createdAt > latest.at)) latest = { at: u.createdAt, status: change.new };
      }
    }
    if (latest) return latest.status;
    if (underMaintenance(await d.maintenances.list({ endsAfter: now, startsBefore: now + 1, limit: 1000 }), slug, now)) return 'under_maintenance';
    return d.automatic(slug);
  };
}
