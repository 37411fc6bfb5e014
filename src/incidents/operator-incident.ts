/**
 * What an operator says about an incident: a manual incident they open, or their word on an
 * automatic one. Pure: the caller passes ids, times and each service's status before an update.
 *
 * The lifecycle is Statuspage's: investigating → identified → monitoring → resolved, then
 * `postmortem` once a postmortem is published. Each update may set the status of the
 * services it affects; a service keeps the status the latest update gave it until the
 * incident is resolved, and that status overrides every automatic signal meanwhile.
 */
export const UPDATE_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type UpdateStatus = (typeof UPDATE_STATUSES)[number];
export type Lifecycle = UpdateStatus | 'postmortem';

export const IMPACTS = ['none', 'minor', 'major', 'critical'] as const;
export type Impact = (typeof IMPACTS)[number];

export const COMPONENT_STATUSES = ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'] as const;
export type ComponentStatus = (typeof COMPONENT_STATUSES)[number];

/** The status an impact gives the affected services when an update names none. */
export const IMPACT_STATUS: Record<Impact, ComponentStatus> = {
  none: 'operational',
  minor: 'degraded_performance',
  major: 'partial_outage',
  critical: 'major_outage',
};

export interface ComponentChange {
  service: string;
  old: ComponentStatus;
  new: ComponentStatus;
}

export interface IncidentUpdate {
  id: string;
  incidentId: string;
  status: UpdateStatus;
  /** Markdown, as the operator wrote it. */
  body: string;
  components: ComponentChange[];
  createdAt: number;
}

export interface OperatorIncident {
  id: string;
  /** `operator`: opened by an operator; `automatic`: their word on a detected incident. */
  source: 'operator' | 'automatic';
  /** Required for operator incidents; overrides the detected title of an automatic one. */
  title?: string;
  impact?: Impact;
  services: string[];
  /** Status of the latest update; absent until an operator posted one. */
  status?: UpdateStatus;
  /** The status the latest update naming each service gave it. */
  components: Record<string, ComponentStatus>;
  createdAt: number;
  identifiedAt?: number;
  monitoringAt?: number;
  resolvedAt?: number;
  dismissedAt?: number;
  dismissReason?: string;
  /** Markdown. */
  postmortem?: string;
  postmortemAt?: number;
  updatedAt: number;
}

export interface UpdateInput {
  status: UpdateStatus;
  body: string;
  /** Services and the status they have now; when absent, an operator incident's impact decides. */
  components?: { service: string; status: ComponentStatus }[];
}

export interface NewIncidentInput {
  title: string;
  impact: Impact;
  services: string[];
  update: UpdateInput;
}

/** A manual incident and its first update. */
export function openIncident(input: NewIncidentInput, ids: { incident: string; update: string }, now: number, before: (service: string) => ComponentStatus): { incident: OperatorIncident; update: IncidentUpdate } {
  const incident: OperatorIncident = {
    id: ids.incident,
    source: 'operator',
    title: input.title,
    impact: input.impact,
    services: [...new Set(input.services)],
    components: {},
    createdAt: now,
    updatedAt: now,
  };
  return applyUpdate(incident, input.update, ids.update, now, before);
}

/** The overlay an operator's first word on an automatic incident starts from. */
export function adoptAutomatic(id: string, service: string, now: number): OperatorIncident {
  return { id, source: 'automatic', services: [service], components: {}, createdAt: now, updatedAt: now };
}

/**
 * Adds an update: moves the lifecycle, records each named service's old and new status.
 * Services an update names join the incident's affected services.
 */
export function applyUpdate(prev: OperatorIncident, input: UpdateInput, updateId: string, now: number, before: (service: string) => ComponentStatus): { incident: OperatorIncident; update: IncidentUpdate } {
  const incident: OperatorIncident = { ...prev, services: [...prev.services], components: { ...prev.components }, status: input.status, updatedAt: now };
  const named = input.components ?? defaultComponents(prev, input.status);
  const changes: ComponentChange[] = [];
  for (const c of named) {
    const old = before(c.service);
    changes.push({ service: c.service, old, new: c.status });
    incident.components[c.service] = c.status;
    if (!incident.services.includes(c.service)) incident.services.push(c.service);
  }
  if (input.status === 'identified') incident.identifiedAt ??= now;
  if (input.status === 'monitoring') incident.monitoringAt ??= now;
  if (input.status === 'resolved') incident.resolvedAt = now;
  else delete incident.resolvedAt;
  return { incident, update: { id: updateId, incidentId: prev.id, status: input.status, body: input.body, components: changes, createdAt: now } };
}

/**
 * An operator incident names its services at the status its impact gives (operational once
 * resolved); an update on an automatic incident that names none leaves the statuses alone.
 */
function defaultComponents(prev: OperatorIncident, status: UpdateStatus): { service: string; status: ComponentStatus }[] {
  if (prev.source !== 'operator' || prev.impact === undefined) return [];
  if (status === 'resolved') return prev.services.map((service) => ({ service, status: 'operational' }));
  if (Object.keys(prev.components).length > 0) return [];
  return prev.services.map((service) => ({ service, status: IMPACT_STATUS[prev.impact ?? 'minor'] }));
}

export function isResolved(i: OperatorIncident): boolean {
  return i.resolvedAt !== undefined || i.dismissedAt !== undefined;
}

/** The statuses an unresolved incident imposes on its services: the operator's word wins. */
export interface StatusOverride {
  id: string;
  service: string;
  status: ComponentStatus;
  message: string;
  since: number;
}

/** Overrides of one incident; `sinceOf` is when the status of a service was last set. */
export function overridesOf(i: OperatorIncident, sinceOf: (service: string) => number, message: string): StatusOverride[] {
  if (isResolved(i)) return [];
  return Object.entries(i.components).map(([service, status]) => ({ id: `${i.id}:${service}`, service, status, message, since: sinceOf(service) }));
}

export function lifecycleOf(i: OperatorIncident): Lifecycle | undefined {
  if (i.status === 'resolved' && i.postmortemAt !== undefined) return 'postmortem';
  return i.status;
}
