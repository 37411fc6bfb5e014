import type { Incident, ServiceStatus } from '../incidents/incident.js';
import type { IncidentRepository } from '../store/incident-repository.js';
import type { ComponentStatus, IncidentStatus, StatuspageIncident } from './statuspage-v2-model.js';

/** Incidents the status page lists: the open ones and the latest closed. */
const LIMIT = 50;

const COMPONENT: Record<ServiceStatus, ComponentStatus> = {
  operational: 'operational',
  degraded: 'degraded_performance',
  major_outage: 'major_outage',
};

/** `AppDeps.incidentsForStatuspage`: Stormwatch incidents in Statuspage terms. */
export function statuspageIncidents(repo: IncidentRepository): () => Promise<StatuspageIncident[]> {
  return async () => {
    const [incidents, statuses] = await Promise.all([repo.list({ limit: LIMIT }), repo.statuses()]);
    return incidents.map((inc) => toStatuspage(inc, statuses.get(inc.service) ?? 'operational'));
  };
}

/**
 * A wave in progress is `investigating`; reports back near baseline but the alarm not yet
 * over is `monitoring`; closed is `resolved`. Each phase start and end becomes an update.
 */
export function toStatuspage(inc: Incident, current: ServiceStatus): StatuspageIncident {
  const last = inc.phases[inc.phases.length - 1];
  const status: IncidentStatus = inc.status === 'closed' ? 'resolved' : last && last.end === undefined ? 'investigating' : 'monitoring';
  const updates: StatuspageIncident['updates'] = [];
  inc.phases.forEach((p, i) => {
    const wave = inc.phases.length > 1 ? ` (wave ${i + 1})` : '';
    updates.push({ id: `${inc.id}-p${i + 1}`, status: 'investigating', createdAt: p.detectedAt, body: `Reports of problems with ${inc.service} are well above the usual level${wave}.` });
    if (p.end !== undefined) updates.push({ id: `${inc.id}-p${i + 1}-end`, status: 'monitoring', createdAt: p.end, body: `Reports are back near the usual level${wave}; monitoring.` });
  });
  if (inc.closedAt !== undefined) updates.push({ id: `${inc.id}-resolved`, status: 'resolved', createdAt: inc.closedAt, body: `Reports for ${inc.service} have returned to normal.` });
  updates.sort((a, b) => b.createdAt - a.createdAt);
  const componentStatus: ComponentStatus = inc.status === 'open' ? COMPONENT[current === 'operational' ? 'degraded' : current] : 'operational';
  return {
    id: inc.id,
    name: inc.title,
    status,
    impact: inc.severity === 'major_outage' ? 'critical' : 'minor',
    createdAt: inc.phases[0]?.detectedAt ?? inc.openedAt,
    updatedAt: Math.max(inc.updatedAt, updates[0]?.createdAt ?? 0),
    startedAt: inc.openedAt,
    ...(status === 'monitoring' && last?.end !== undefined ? { monitoringAt: last.end } : {}),
    ...(inc.closedAt !== undefined ? { resolvedAt: inc.closedAt } : {}),
    components: [{ slug: inc.service, status: componentStatus }],
    updates,
  };
}
