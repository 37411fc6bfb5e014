import type { Incident, ProbeIncidentFacts } from '../incidents/incident.js';
import { STATUS_RANK, type StatusReason } from './model.js';
import { probeTitle } from '../incidents/incident-view.js';

/**
 * Probe-only incidents: failing checks with no crowd incident. Pure: the status watcher
 * decides when, these build the records it saves.
 */

/** The id of a probe incident: stable for its service and first failure (like crowd ids). */
export function probeIncidentId(service: string, openedAt: number): string {
  const iso = new Date(openedAt).toISOString();
  return `${service}-probe-${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

/** The facts of the failing checks, worst first. */
export function probeFacts(reasons: readonly StatusReason[]): ProbeIncidentFacts {
  const probe = reasons.filter((r) => r.source === 'probe').sort((a, b) => STATUS_RANK[b.status] - STATUS_RANK[a.status]);
  const worst = probe[0];
  const classes = new Map<string, number>();
  for (const r of probe) for (const c of r.classes ?? []) classes.set(c.errorClass, (classes.get(c.errorClass) ?? 0) + c.locations);
  return {
    status: worst && worst.status !== 'operational' && worst.status !== 'under_maintenance' ? worst.status : 'degraded_performance',
    reasons: probe.map((r) => r.text),
    failingLocations: worst?.failing ?? 0,
    totalLocations: worst?.total ?? 0,
    errorClasses: [...classes].map(([errorClass, locations]) => ({ errorClass, locations })).sort((a, b) => b.locations - a.locations || a.errorClass.localeCompare(b.errorClass)),
  };
}

/** A new probe incident, or the open one brought up to date. */
export function openOrUpdate(service: string, reasons: readonly StatusReason[], existing: Incident | undefined, now: number): Incident {
  const facts = probeFacts(reasons);
  const since = Math.min(...reasons.filter((r) => r.source === 'probe').map((r) => r.since ?? now), now);
  const openedAt = existing?.openedAt ?? since;
  const worstEver = existing?.severity === 'major_outage' || facts.status === 'major_outage' ? 'major_outage' : 'degraded';
  return {
    id: existing?.id ?? probeIncidentId(service, openedAt),
    service,
    kind: 'probe',
    status: 'open',
    severity: worstEver,
    title: probeTitle(service, facts.status),
    openedAt,
    peak: 0,
    reports: 0,
    phases: [{ start: openedAt, detectedAt: existing?.phases[0]?.detectedAt ?? now, peak: 0 }],
    breakdown: [],
    regions: [],
    cause: facts.reasons.join('; '),
    probe: facts,
    updatedAt: now,
  };
}

/** Ends a probe incident: the checks recovered, or a crowd incident took it over. */
export function closeIncident(inc: Incident, now: number, mergedInto?: string): Incident {
  const end = Math.max(now, inc.openedAt);
  return {
    ...inc,
    status: 'closed',
    closedAt: end,
    phases: inc.phases.map((p) => (p.end === undefined ? { ...p, end } : p)),
    ...(mergedInto ? { mergedInto } : {}),
    updatedAt: now,
  };
}

/** True when the saved incident says something different from the fresh one. */
export function probeIncidentChanged(a: Incident, b: Incident): boolean {
  return a.severity !== b.severity || a.cause !== b.cause || a.title !== b.title || a.probe?.failingLocations !== b.probe?.failingLocations || a.probe?.totalLocations !== b.probe?.totalLocations;
}

/** A probe incident's verdict in the correlation's terms (what alerts and the incident API show). */
export function probeCorrelation(inc: Pick<Incident, 'kind' | 'probe' | 'cause'>): { confidence: 'probe-only'; cause: string; failingLocations: number; totalLocations: number; errorClasses: { errorClass: string; locations: number }[] } | undefined {
  if (inc.kind !== 'probe' || !inc.probe) return undefined;
  return {
    confidence: 'probe-only',
    cause: `probe-only: ${inc.cause ?? inc.probe.reasons.join('; ')}, no crowd reports`,
    failingLocations: inc.probe.failingLocations,
    totalLocations: inc.probe.totalLocations,
    errorClasses: inc.probe.errorClasses,
  };
}
