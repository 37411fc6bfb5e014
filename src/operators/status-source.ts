import type { Incident } from '../incidents/incident.js';
import { closedByOperator, type IncidentView } from '../incidents/incident-view.js';
import type { IncidentViews } from '../incidents/incident-views.js';
import { IMPACT_STATUS } from '../incidents/operator-incident.js';
import { isActive } from '../maintenance/window.js';
import type { OperatorOverride, StatusInputs } from '../status/model.js';
import type { StatusSource } from '../status/sources.js';
import type { StatusPeriod } from '../status/uptime.js';
import type { MaintenanceRepository } from '../store/maintenance-repository.js';
import type { OperatorIncidentRepository } from '../store/operator-incident-repository.js';
import { markdownToText } from '../text/markdown.js';

/**
 * The operators' inputs to each service's status (src/status): the status the latest update
 * of an unresolved incident gave a service (it overrides every automatic signal until the
 * incident is resolved), and the maintenance windows active now.
 */
export function operatorSource(d: { operatorIncidents: OperatorIncidentRepository; maintenances: MaintenanceRepository }): StatusSource {
  return {
    name: 'operators',
    async read(services, now) {
      const wanted = new Set(services);
      const out = new Map<string, Partial<StatusInputs>>();
      const entry = (service: string): Partial<StatusInputs> => {
        let e = out.get(service);
        if (!e) {
          e = { overrides: [], maintenance: [] };
          out.set(service, e);
        }
        return e;
      };
      const open = (await d.operatorIncidents.list({ unresolved: true })).filter((i) => Object.keys(i.components).length > 0);
      const updates = await d.operatorIncidents.updatesOf(open.map((i) => i.id));
      for (const inc of open) {
        const list = updates.get(inc.id) ?? [];
        for (const [service, status] of Object.entries(inc.components)) {
          if (!wanted.has(service)) continue;
          // The update that set it: the latest one naming the service.
          const set = [...list].reverse().find((u) => u.components.some((c) => c.service === service));
          const text = set ? markdownToText(set.body).replace(/\s+/g, ' ').slice(0, 200) : '';
          // Updates of one incident are kept a millisecond apart, so the latest may read 1 ms ahead of a clock that stood still.
          const since = Math.min(set?.createdAt ?? inc.updatedAt, now);
          const override: OperatorOverride = { id: `${inc.id}:${service}`, status, message: `${inc.title ?? 'operator update'}${text ? `: ${text}` : ''}`, since };
          entry(service).overrides?.push(override);
        }
      }
      for (const m of await d.maintenances.list({ endsAfter: now, startsBefore: now + 1, limit: 1000 })) {
        if (!isActive(m, now)) continue;
        for (const service of m.services) if (wanted.has(service)) entry(service).maintenance?.push({ id: m.id, title: m.title, startsAt: m.startsAt, endsAt: m.endsAt });
      }
      return out;
    },
  };
}

/** For the crowd source: which open automatic incidents the operators dismissed or resolved. */
export function operatorClosed(repo: OperatorIncidentRepository): (open: readonly Incident[]) => Promise<ReadonlySet<string>> {
  return async (open) => {
    const overlays = await repo.getMany(open.map((i) => i.id));
    return new Set(open.filter((i) => closedByOperator(i, overlays.get(i.id))).map((i) => i.id));
  };
}

/**
 * How long an incident made a service non-operational, and how badly: the uptime's history.
 * A dismissed incident counts for nothing; an operator's counts by its impact (none: nothing).
 */
export function viewPeriod(v: IncidentView): StatusPeriod | undefined {
  if (v.dismissedAt !== undefined) return undefined;
  const status = v.source === 'operator' ? IMPACT_STATUS[v.impact] : v.kind === 'probe' ? (v.probe?.status ?? 'degraded_performance') : v.severity === 'major_outage' ? 'major_outage' : 'degraded_performance';
  if (status === 'operational') return undefined;
  return { start: v.openedAt, ...(v.closedAt !== undefined ? { end: v.closedAt } : {}), status };
}

/** The uptime history of a service from the incidents as everyone sees them. */
export function viewHistory(views: IncidentViews): (service: string, from: number, to: number) => Promise<StatusPeriod[]> {
  return async (service, from, to) => (await views.list({ service, from, to, limit: 10_000, includeMerged: true })).map(viewPeriod).filter((p): p is StatusPeriod => p !== undefined);
}
