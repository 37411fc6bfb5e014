import type { IncidentView, UpdateView } from '../incidents/incident-view.js';
import { phaseAt, type Maintenance } from '../maintenance/window.js';
import type { ComponentStatus, StatusReason } from '../status/model.js';
import { categorySlug } from '../statuspage/category.js';
import { worstStatus } from '../statuspage/status-page.js';
import type { ServiceRecord } from '../store/services-repo.js';
import type { ComponentJson, IMPACTS, IncidentJson, MaintenanceJson, PageJson, StatusJson } from './statuspage-v2-schemas.js';

/**
 * Atlassian Statuspage public API v2, mapped from Stormwatch's services, incidents (as every
 * surface shows them) and maintenance windows. Pure: the routes read the parts.
 *
 * Services are components; a category is a component group. An incident's `status` is its
 * lifecycle (investigating, identified, monitoring, resolved, postmortem); a dismissed
 * incident (a false positive) is not listed, as Statuspage would have deleted it.
 */
type Impact = (typeof IMPACTS)[number];

export interface ServiceState {
  status: ComponentStatus;
  /** Since when the status holds, when it was announced. */
  since?: number;
  reasons: readonly Pick<StatusReason, 'effective' | 'since'>[];
}

export interface StatuspageInput {
  pageId: string;
  pageName: string;
  /** `server.publicUrl`: the page's address, links are made from it. */
  publicUrl: string;
  services: readonly ServiceRecord[];
  states: ReadonlyMap<string, ServiceState>;
  now: number;
}

export interface Statuspage {
  page: PageJson;
  components: ComponentJson[];
  status(incidents: readonly IncidentView[]): StatusJson;
  incident(v: IncidentView): IncidentJson;
  maintenance(m: Maintenance): MaintenanceJson;
}

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());
const GROUP_PREFIX = 'category:';

/** The group id of a category: slugs have no colon, so it never names a service. */
export const groupId = (category: string): string => `${GROUP_PREFIX}${categorySlug(category)}`;

/**
 * When a service's status last moved: when the current status was announced, else when its
 * deciding signal began; never before the service itself last changed.
 */
export function componentUpdatedAt(svc: Pick<ServiceRecord, 'updatedAt'>, state: ServiceState | undefined): number {
  const since = state?.since ?? Math.max(0, ...(state?.reasons ?? []).filter((r) => r.effective && r.since !== undefined).map((r) => r.since as number));
  return Math.max(svc.updatedAt, since);
}

export function statuspage(input: StatuspageInput, incidentsAndWindows: { incidents: readonly IncidentView[]; maintenances: readonly Maintenance[] }): Statuspage {
  const { pageId, services, states, now } = input;
  const base = input.publicUrl.replace(/\/+$/, '');
  const statusOf = (slug: string): ComponentStatus => states.get(slug)?.status ?? 'operational';

  // Top level: services without a category and one group per category, in the services' order.
  type Top = { kind: 'service'; svc: ServiceRecord } | { kind: 'group'; id: string; name: string; members: ServiceRecord[] };
  const top: Top[] = [];
  const groups = new Map<string, Extract<Top, { kind: 'group' }>>();
  for (const svc of services) {
    if (svc.category === undefined || categorySlug(svc.category) === '') {
      top.push({ kind: 'service', svc });
      continue;
    }
    const id = groupId(svc.category);
    let g = groups.get(id);
    if (!g) {
      g = { kind: 'group', id, name: svc.category, members: [] };
      groups.set(id, g);
      top.push(g);
    }
    g.members.push(svc);
  }

  const byId = new Map<string, ComponentJson>();
  const serviceJson = (svc: ServiceRecord, position: number, group: string | null): ComponentJson => ({
    id: svc.slug,
    name: svc.name,
    status: statusOf(svc.slug),
    created_at: iso(svc.createdAt),
    updated_at: iso(componentUpdatedAt(svc, states.get(svc.slug))),
    position,
    description: null,
    showcase: true,
    start_date: iso(svc.createdAt)?.slice(0, 10) ?? null,
    group_id: group,
    page_id: pageId,
    group: false,
    only_show_if_degraded: false,
  });
  const components: ComponentJson[] = [];
  top.forEach((t, i) => {
    if (t.kind === 'service') {
      components.push(serviceJson(t.svc, i + 1, null));
      return;
    }
    const members = t.members.map((svc, j) => serviceJson(svc, j + 1, t.id));
    components.push({
      id: t.id,
      name: t.name,
      status: worstStatus(members.map((m) => m.status)),
      created_at: iso(Math.min(...t.members.map((m) => m.createdAt))),
      updated_at: iso(Math.max(...t.members.map((m) => componentUpdatedAt(m, states.get(m.slug))))),
      position: i + 1,
      description: null,
      showcase: false,
      start_date: null,
      group_id: null,
      page_id: pageId,
      group: true,
      only_show_if_degraded: false,
      components: t.members.map((m) => m.slug),
    });
    components.push(...members);
  });
  for (const c of components) byId.set(c.id, c);
  const names = new Map(services.map((s) => [s.slug, s.name]));
  const componentsOf = (slugs: readonly string[]): ComponentJson[] => [...new Set(slugs)].map((s) => byId.get(s)).filter((c): c is ComponentJson => c !== undefined);

  const affected = (u: UpdateView): IncidentJson['incident_updates'][number]['affected_components'] =>
    u.components.length === 0 ? null : u.components.map((c) => ({ code: c.service, name: names.get(c.service) ?? c.service, old_status: c.old, new_status: c.new }));

  const incident = (v: IncidentView): IncidentJson => {
    const created = v.source === 'automatic' && v.kind !== 'probe' ? (v.phases[0]?.detectedAt ?? v.openedAt) : v.openedAt;
    return {
      id: v.id,
      name: v.title,
      status: v.lifecycle,
      created_at: iso(created),
      updated_at: iso(Math.max(v.updatedAt, v.updates[0]?.createdAt ?? 0, v.postmortem?.publishedAt ?? 0)),
      monitoring_at: iso(v.monitoringAt),
      resolved_at: iso(v.resolvedAt ?? v.closedAt),
      impact: v.impact,
      shortlink: `${base}/incidents/${encodeURIComponent(v.id)}`,
      started_at: iso(v.openedAt),
      page_id: pageId,
      incident_updates: v.updates.map((u) => ({
        id: u.id,
        status: u.status,
        body: u.body,
        incident_id: v.id,
        created_at: iso(u.createdAt),
        updated_at: iso(u.createdAt),
        display_at: iso(u.createdAt),
        affected_components: affected(u),
        deliver_notifications: u.source === 'operator',
        custom_tweet: null,
        tweet_id: null,
      })),
      components: componentsOf(v.services),
    };
  };

  const maintenance = (m: Maintenance): MaintenanceJson => {
    const phase = phaseAt(m, now);
    const updates: MaintenanceJson['incident_updates'] = [];
    const update = (suffix: string, status: MaintenanceJson['status'], at: number, body: string): void => {
      updates.push({ id: `${m.id}-${suffix}`, status, body, incident_id: m.id, created_at: iso(at), updated_at: iso(at), display_at: iso(at), affected_components: null, deliver_notifications: true, custom_tweet: null, tweet_id: null });
    };
    // The phases follow from the time; each one reached is an update, newest first.
    if (phase === 'completed') update('completed', 'completed', m.endsAt, 'The maintenance is over.');
    if (phase !== 'scheduled') update('in-progress', 'in_progress', m.startsAt, 'The maintenance has begun.');
    update('scheduled', 'scheduled', m.createdAt, m.body.trim() === '' ? m.title : m.body);
    return {
      id: m.id,
      name: m.title,
      status: phase,
      created_at: iso(m.createdAt),
      updated_at: iso(Math.max(m.updatedAt, phase === 'scheduled' ? 0 : m.startsAt, phase === 'completed' ? m.endsAt : 0)),
      monitoring_at: null,
      resolved_at: phase === 'completed' ? iso(m.endsAt) : null,
      impact: 'maintenance',
      shortlink: null,
      started_at: iso(m.startsAt),
      page_id: pageId,
      incident_updates: updates,
      components: componentsOf(m.services),
      scheduled_for: iso(m.startsAt),
      scheduled_until: iso(m.endsAt),
    };
  };

  const updatedAt = Math.max(
    0,
    ...components.map((c) => (c.updated_at ? Date.parse(c.updated_at) : 0)),
    ...incidentsAndWindows.incidents.map((v) => Math.max(v.updatedAt, v.updates[0]?.createdAt ?? 0)),
    ...incidentsAndWindows.maintenances.map((m) => Math.min(now, Math.max(m.updatedAt, phaseAt(m, now) === 'scheduled' ? 0 : m.startsAt, phaseAt(m, now) === 'completed' ? m.endsAt : 0))),
  );
  return {
    page: { id: pageId, name: input.pageName, url: base, time_zone: 'Etc/UTC', updated_at: iso(updatedAt || now) },
    components,
    status: (incidents) => statusJson(incidents, services.map((s) => statusOf(s.slug))),
    incident,
    maintenance,
  };
}

const IMPACT_RANK: Record<Impact, number> = { none: 0, minor: 1, major: 2, critical: 3 };

const DESCRIPTIONS: Record<Impact, string> = {
  none: 'All Systems Operational',
  minor: 'Minor Service Outage',
  major: 'Partial System Outage',
  critical: 'Major Service Outage',
};

const COMPONENT_IMPACT: Record<ComponentStatus, Impact> = { operational: 'none', under_maintenance: 'none', degraded_performance: 'minor', partial_outage: 'major', major_outage: 'critical' };

/**
 * The page indicator: the worst of the unresolved incidents' impact and the components'
 * current statuses (a failing check makes a component's status before any incident text).
 */
export function statusJson(incidents: readonly Pick<IncidentView, 'status' | 'impact'>[], components: Iterable<ComponentStatus> = []): StatusJson {
  let worst: Impact = 'none';
  for (const i of incidents) if (i.status === 'open' && IMPACT_RANK[i.impact] > IMPACT_RANK[worst]) worst = i.impact;
  for (const c of components) if (IMPACT_RANK[COMPONENT_IMPACT[c]] > IMPACT_RANK[worst]) worst = COMPONENT_IMPACT[c];
  return { indicator: worst, description: DESCRIPTIONS[worst] };
}
