import type { Incident } from '../incidents/incident.js';
import type { ComponentStatus as DerivedStatus } from '../status/model.js';
import type { StatusService } from '../status/status-service.js';
import type { IncidentRepository } from '../store/incident-repository.js';
import type { ComponentStatus, IncidentStatus, StatuspageIncident } from './statuspage-v2-model.js';

/** Incidents the status page lists: the open ones and the latest closed. */
const LIMIT = 50;

/** `AppDeps.incidentsForStatuspage`: Stormwatch incidents (crowd and probe) in Statuspage terms. */
export function statuspageIncidents(repo: IncidentRepository, status?: Pick<StatusService, 'all'>): () => Promise<StatuspageIncident[]> {
  return async () => {
    const [incidents, statuses] = await Promise.all([repo.list({ limit: LIMIT }), status ? status.all() : Promise.resolve(new Map<string, { status: DerivedStatus }>())]);
    return incidents.map((inc) => toStatuspage(inc, statuses.get(inc.service)?.status ?? 'operational'));
  };
}

/**
 * A crowd incident: a wave in progress is `investigating`; reports back near baseline but the
 * alarm not yet over is `monitoring`; closed is `resolved`. Each phase start and end becomes
 * an update. A probe incident: `identified` (the checks say what fails) until the checks
 * recover. An open incident shows its service with the service's current status.
 */
export function toStatuspage(inc: Incident, current: DerivedStatus): StatuspageIncident {
  const probe = inc.kind === 'probe';
  const last = inc.phases[inc.phases.length - 1];
  const status: IncidentStatus = inc.status === 'closed' ? 'resolved' : probe ? 'identified' : last && last.end === undefined ? 'investigating' : 'monitoring';
  const updates: StatuspageIncident['updates'] = probe ? probeUpdates(inc) : crowdUpdates(inc);
  updates.sort((a, b) => b.createdAt - a.createdAt);
  const fallback: ComponentStatus = inc.severity === 'major_outage' ? 'major_outage' : 'degraded_performance';
  const componentStatus: ComponentStatus = inc.status === 'open' ? (current === 'operational' ? fallback : current) : 'operational';
  return {
    id: inc.id,
    name: inc.title,
    status,
    impact: inc.severity === 'major_outage' ? 'critical' : inc.probe?.status === 'partial_outage' ? 'major' : 'minor',
    createdAt: probe ? inc.openedAt : (inc.phases[0]?.detectedAt ?? inc.openedAt),
    updatedAt: Math.max(inc.updatedAt, updates[0]?.createdAt ?? 0),
    startedAt: inc.openedAt,
    ...(status === 'monitoring' && last?.end !== undefined ? { monitoringAt: last.end } : {}),
    ...(inc.closedAt !== undefined ? { resolvedAt: inc.closedAt } : {}),
    components: [{ slug: inc.service, status: componentStatus }],
    updates,
  };
}

function crowdUpdates(inc: Incident): StatuspageIncident['updates'] {
  const updates: StatuspageIncident['updates'] = [];
  inc.phases.forEach((p, i) => {
    const wave = inc.phases.length > 1 ? ` (wave ${i + 1})` : '';
    updates.push({ id: `${inc.id}-p${i + 1}`, status: 'investigating', createdAt: p.detectedAt, body: `Reports of problems with ${inc.service} are well above the usual level${wave}.` });
    if (p.end !== undefined) updates.push({ id: `${inc.id}-p${i + 1}-end`, status: 'monitoring', createdAt: p.end, body: `Reports are back near the usual level${wave}; monitoring.` });
  });
  if (inc.closedAt !== undefined) updates.push({ id: `${inc.id}-resolved`, status: 'resolved', createdAt: inc.closedAt, body: `Reports for ${inc.service} have returned to normal.` });
  return updates;
}

function probeUpdates(inc: Incident): StatuspageIncident['updates'] {
  const updates: StatuspageIncident['updates'] = [
    { id: `${inc.id}-identified`, status: 'identified', createdAt: inc.openedAt, body: `Checks of ${inc.service} are failing: ${inc.cause ?? 'see the checks'}.` },
  ];
  if (inc.closedAt !== undefined) {
    const body = inc.mergedInto ? `Users are reporting problems too; followed in incident ${inc.mergedInto}.` : `Checks of ${inc.service} pass again.`;
    updates.push({ id: `${inc.id}-resolved`, status: 'resolved', createdAt: inc.closedAt, body });
  }
  return updates;
}
