import type { Incident, Phase, ProbeIncidentFacts, ProblemShare, RegionCount } from './incident.js';
import { type ComponentChange, type ComponentStatus, type Impact, type IncidentUpdate, type Lifecycle, type OperatorIncident, type UpdateStatus, lifecycleOf } from './operator-incident.js';

/**
 * One incident as every surface shows it: an automatic incident with the operator's word
 * on it, or an operator's incident. Pure composition; the caller reads the parts.
 */
export interface UpdateView {
  id: string;
  /** `automatic`: written by Stormwatch from the detection (a wave began or ended). */
  source: 'operator' | 'automatic';
  status: UpdateStatus;
  /** Markdown as written; `html` is it rendered safely. */
  body: string;
  html: string;
  components: ComponentChange[];
  createdAt: number;
}

export interface IncidentView {
  id: string;
  source: 'automatic' | 'operator';
  /** The first affected service (the only one of an automatic incident). */
  service: string;
  services: string[];
  title: string;
  /** Open until resolved, dismissed, or (automatic) closed by the detection. */
  status: 'open' | 'closed';
  lifecycle: Lifecycle;
  impact: Impact;
  severity?: 'degraded' | 'major_outage';
  openedAt: number;
  closedAt?: number;
  identifiedAt?: number;
  monitoringAt?: number;
  resolvedAt?: number;
  /** A false automatic incident: kept in history, left out of uptime and of the status. */
  dismissedAt?: number;
  dismissReason?: string;
  peak?: number;
  reports?: number;
  phases: Phase[];
  breakdown: ProblemShare[];
  regions: RegionCount[];
  /** Newest first. */
  updates: UpdateView[];
  postmortem?: { body: string; html: string; publishedAt: number };
  /** The status each affected service has because of this incident now. */
  components: { service: string; status: ComponentStatus }[];
  updatedAt: number;
  /** Automatic incidents: `crowd` (reports spiked) or `probe` (checks failed, no crowd incident). */
  kind?: 'crowd' | 'probe';
  /** A probe incident folded into this crowd incident. */
  mergedInto?: string;
  /** Probe incidents: the failing checks, in words, and what they found. */
  cause?: string;
  probe?: ProbeIncidentFacts;
}

export interface ViewContext {
  /** A service's display name (its slug when unknown). */
  name: (slug: string) => string;
  /** The engine's current level of a service with an open automatic incident. */
  level: (slug: string) => 'operational' | 'degraded' | 'major_outage';
  html: (markdown: string) => string;
}

/** A probe incident's title: the service by its name, and how bad the checks say it is. */
export function probeTitle(name: string, status: ProbeIncidentFacts['status'] | undefined): string {
  return `${name}: ${status === 'major_outage' ? 'major outage' : status === 'partial_outage' ? 'partial outage' : 'degraded performance'} seen by the probes`;
}

const AUTO_STATUS: Record<'degraded' | 'major_outage', ComponentStatus> = { degraded: 'degraded_performance', major_outage: 'major_outage' };

/** A wave that starts after the operator resolved an automatic incident reopens it. */
function reopenedAfter(inc: Pick<Incident, 'phases'>, op: Pick<OperatorIncident, 'resolvedAt'> | undefined): boolean {
  const lastPhase = inc.phases[inc.phases.length - 1];
  return op?.resolvedAt !== undefined && lastPhase !== undefined && lastPhase.start > op.resolvedAt;
}

/**
 * Whether the operators' word closed an automatic incident: dismissed, or resolved with no
 * wave since. Such an incident no longer makes its service's status.
 */
export function closedByOperator(inc: Pick<Incident, 'phases'>, op: Pick<OperatorIncident, 'dismissedAt' | 'resolvedAt'> | undefined): boolean {
  if (op?.dismissedAt !== undefined) return true;
  return op?.resolvedAt !== undefined && !reopenedAfter(inc, op);
}

/** An automatic incident, with the operator's overlay and updates when there are any. */
export function automaticView(inc: Incident, op: OperatorIncident | undefined, updates: readonly IncidentUpdate[], ctx: ViewContext): IncidentView {
  const name = ctx.name(inc.service);
  const lastPhase = inc.phases[inc.phases.length - 1];
  const reopened = reopenedAfter(inc, op);
  // Once an operator posted an update, the incident is theirs: open until they resolve it.
  const owned = op?.status !== undefined && !reopened;
  const open = op?.dismissedAt === undefined && (owned ? op?.resolvedAt === undefined : inc.status === 'open');
  const probe = inc.kind === 'probe';
  const automatic = probe ? probeUpdates(inc, name, ctx) : automaticUpdates(inc, name, ctx);
  const lifecycle: Lifecycle =
    op?.dismissedAt !== undefined ? 'resolved'
    : owned && op ? (lifecycleOf(op) ?? 'investigating')
    : inc.status === 'closed' ? 'resolved' : probe ? 'identified' : lastPhase && lastPhase.end === undefined ? 'investigating' : 'monitoring';
  const level = ctx.level(inc.service);
  const detected: ComponentStatus = probe ? (inc.probe?.status ?? 'degraded_performance') : AUTO_STATUS[level === 'operational' ? 'degraded' : level];
  const autoStatus: ComponentStatus = open && inc.status === 'open' ? detected : 'operational';
  const opComponents = owned && open && op ? op.components : {};
  const components = [{ service: inc.service, status: opComponents[inc.service] ?? autoStatus }];
  for (const [service, status] of Object.entries(opComponents)) if (service !== inc.service) components.push({ service, status });
  const closedAt = open ? undefined : (op?.dismissedAt !== undefined ? Math.min(op.dismissedAt, inc.closedAt ?? Infinity) : owned ? op?.resolvedAt : inc.closedAt);
  const view: IncidentView = {
    id: inc.id,
    source: 'automatic',
    service: inc.service,
    services: [...new Set([inc.service, ...(op?.services ?? [])])],
    title: op?.title ?? (probe ? probeTitle(name, inc.probe?.status) : `${name}: ${inc.severity === 'major_outage' ? 'major outage' : 'problems'} reported`),
    status: open ? 'open' : 'closed',
    lifecycle,
    impact: op?.impact ?? (inc.severity === 'major_outage' ? 'critical' : inc.probe?.status === 'partial_outage' ? 'major' : 'minor'),
    severity: inc.severity,
    openedAt: inc.openedAt,
    peak: inc.peak,
    reports: inc.reports,
    phases: inc.phases,
    breakdown: inc.breakdown,
    regions: inc.regions,
    updates: [...automatic, ...updates.map((u) => operatorUpdate(u, ctx))].sort(newestFirst),
    components,
    updatedAt: Math.max(inc.updatedAt, op?.updatedAt ?? 0),
  };
  if (inc.kind !== undefined) view.kind = inc.kind;
  if (inc.mergedInto !== undefined) view.mergedInto = inc.mergedInto;
  if (inc.cause !== undefined) view.cause = inc.cause;
  if (inc.probe !== undefined) view.probe = inc.probe;
  if (closedAt !== undefined) view.closedAt = closedAt;
  const monitoringAt = op?.monitoringAt ?? (lifecycle === 'monitoring' ? lastPhase?.end : undefined);
  if (monitoringAt !== undefined) view.monitoringAt = monitoringAt;
  if (op?.identifiedAt !== undefined) view.identifiedAt = op.identifiedAt;
  if (!open && view.closedAt !== undefined) view.resolvedAt = view.closedAt;
  return withOperatorExtras(view, op, ctx);
}

/** An incident an operator opened. */
export function operatorView(op: OperatorIncident, updates: readonly IncidentUpdate[], ctx: ViewContext): IncidentView {
  const resolved = op.resolvedAt !== undefined;
  const view: IncidentView = {
    id: op.id,
    source: 'operator',
    service: op.services[0] ?? '',
    services: op.services,
    title: op.title ?? 'Incident',
    status: resolved ? 'closed' : 'open',
    lifecycle: lifecycleOf(op) ?? 'investigating',
    impact: op.impact ?? 'minor',
    openedAt: op.createdAt,
    phases: [],
    breakdown: [],
    regions: [],
    updates: updates.map((u) => operatorUpdate(u, ctx)).sort(newestFirst),
    components: op.services.map((service) => ({ service, status: resolved ? 'operational' : (op.components[service] ?? 'operational') })),
    updatedAt: op.updatedAt,
  };
  if (resolved) view.closedAt = view.resolvedAt = op.resolvedAt;
  if (op.identifiedAt !== undefined) view.identifiedAt = op.identifiedAt;
  if (op.monitoringAt !== undefined) view.monitoringAt = op.monitoringAt;
  return withOperatorExtras(view, op, ctx);
}

function withOperatorExtras(view: IncidentView, op: OperatorIncident | undefined, ctx: ViewContext): IncidentView {
  if (op?.dismissedAt !== undefined) view.dismissedAt = op.dismissedAt;
  if (op?.dismissReason !== undefined) view.dismissReason = op.dismissReason;
  if (op?.postmortem !== undefined && op.postmortemAt !== undefined) view.postmortem = { body: op.postmortem, html: ctx.html(op.postmortem), publishedAt: op.postmortemAt };
  return view;
}

function operatorUpdate(u: IncidentUpdate, ctx: ViewContext): UpdateView {
  return { id: u.id, source: 'operator', status: u.status, body: u.body, html: ctx.html(u.body), components: u.components, createdAt: u.createdAt };
}

/** What the detection says, as updates: each wave's start and end, and the close. */
function automaticUpdates(inc: Incident, name: string, ctx: ViewContext): UpdateView[] {
  const out: UpdateView[] = [];
  const add = (id: string, status: UpdateStatus, createdAt: number, body: string): void => {
    out.push({ id, source: 'automatic', status, body, html: ctx.html(body), components: [], createdAt });
  };
  inc.phases.forEach((p, i) => {
    const wave = inc.phases.length > 1 ? ` (wave ${i + 1})` : '';
    add(`${inc.id}-p${i + 1}`, 'investigating', p.detectedAt, `Reports of problems with ${name} are well above the usual level${wave}.`);
    if (p.end !== undefined) add(`${inc.id}-p${i + 1}-end`, 'monitoring', p.end, `Reports are back near the usual level${wave}; monitoring.`);
  });
  if (inc.closedAt !== undefined) add(`${inc.id}-resolved`, 'resolved', inc.closedAt, `Reports for ${name} have returned to normal.`);
  return out;
}

/** A probe incident's updates: the failing checks, then their recovery (or the crowd incident that took over). */
function probeUpdates(inc: Incident, name: string, ctx: ViewContext): UpdateView[] {
  const out: UpdateView[] = [];
  const add = (id: string, status: UpdateStatus, createdAt: number, body: string): void => {
    out.push({ id, source: 'automatic', status, body, html: ctx.html(body), components: [], createdAt });
  };
  add(`${inc.id}-identified`, 'identified', inc.openedAt, `Checks of ${name} are failing: ${inc.cause ?? 'see the checks'}.`);
  if (inc.closedAt !== undefined) {
    add(`${inc.id}-resolved`, 'resolved', inc.closedAt, inc.mergedInto ? `People are reporting problems too; followed in incident ${inc.mergedInto}.` : `Checks of ${name} pass again.`);
  }
  return out;
}

const newestFirst = (a: UpdateView, b: UpdateView): number => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1);
