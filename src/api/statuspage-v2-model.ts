import type { ServiceRecord } from '../store/services-repo.js';
import type { COMPONENT_STATUSES, ComponentJson, IMPACTS, IncidentJson, INCIDENT_STATUSES, PageJson, StatusJson } from './statuspage-v2-schemas.js';

/**
 * Atlassian Statuspage public API v2 shapes, and the mapping from Stormwatch's services
 * and incidents. The incident engine provides `StatuspageIncident`s through
 * `AppDeps.incidentsForStatuspage`; everything Statuspage-specific stays in this file.
 */
export type ComponentStatus = (typeof COMPONENT_STATUSES)[number];
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export type Impact = (typeof IMPACTS)[number];

/** What the incident domain hands over; times are epoch ms. */
export interface StatuspageIncident {
  id: string;
  name: string;
  status: IncidentStatus;
  impact: Impact;
  createdAt: number;
  updatedAt: number;
  startedAt: number;
  monitoringAt?: number;
  resolvedAt?: number;
  /** Affected services and the component status each has because of this incident. */
  components: { slug: string; status: ComponentStatus }[];
  /** Newest first, as Statuspage lists them. */
  updates: { id: string; status: IncidentStatus; body: string; createdAt: number }[];
}

export interface PageInfo {
  id: string;
  name: string;
  url: string;
  updatedAt: number;
}

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

const IMPACT_RANK: Record<Impact, number> = { none: 0, minor: 1, major: 2, critical: 3 };

export const isUnresolved = (i: StatuspageIncident): boolean => i.status !== 'resolved' && i.status !== 'postmortem';

export function pageJson(page: PageInfo): PageJson {
  return { id: page.id, name: page.name, url: page.url, time_zone: 'Etc/UTC', updated_at: iso(page.updatedAt) };
}

export function componentJson(svc: ServiceRecord, position: number, status: ComponentStatus, pageId: string): ComponentJson {
  return {
    id: svc.slug,
    name: svc.name,
    status,
    created_at: iso(svc.createdAt),
    updated_at: iso(svc.updatedAt),
    position,
    description: svc.category ?? null,
    showcase: true,
    start_date: iso(svc.createdAt)?.slice(0, 10) ?? null,
    group_id: null,
    page_id: pageId,
    group: false,
    only_show_if_degraded: false,
  };
}

export function incidentJson(inc: StatuspageIncident, services: ReadonlyMap<string, ServiceRecord>, pageId: string): IncidentJson {
  const components = inc.components
    .map((c, i) => {
      const svc = services.get(c.slug);
      return svc ? componentJson(svc, i + 1, c.status, pageId) : undefined;
    })
    .filter((c) => c !== undefined);
  return {
    id: inc.id,
    name: inc.name,
    status: inc.status,
    created_at: iso(inc.createdAt),
    updated_at: iso(inc.updatedAt),
    monitoring_at: iso(inc.monitoringAt),
    resolved_at: iso(inc.resolvedAt),
    impact: inc.impact,
    shortlink: null,
    started_at: iso(inc.startedAt),
    page_id: pageId,
    incident_updates: inc.updates.map((u) => ({
      id: u.id,
      status: u.status,
      body: u.body,
      incident_id: inc.id,
      created_at: iso(u.createdAt),
      updated_at: iso(u.createdAt),
      display_at: iso(u.createdAt),
      affected_components: inc.components.map((c) => ({ code: c.slug, name: services.get(c.slug)?.name ?? c.slug, old_status: 'operational' as const, new_status: c.status })),
      deliver_notifications: false,
      custom_tweet: null,
      tweet_id: null,
    })),
    components,
  };
}

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
export function statusJson(incidents: readonly StatuspageIncident[], components: Iterable<ComponentStatus> = []): StatusJson {
  let worst: Impact = 'none';
  for (const i of incidents) if (isUnresolved(i) && IMPACT_RANK[i.impact] > IMPACT_RANK[worst]) worst = i.impact;
  for (const c of components) if (IMPACT_RANK[COMPONENT_IMPACT[c]] > IMPACT_RANK[worst]) worst = COMPONENT_IMPACT[c];
  return { indicator: worst, description: DESCRIPTIONS[worst] };
}
