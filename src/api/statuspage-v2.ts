import type { FastifyRequest } from 'fastify';
import type { App } from './app.js';
import type { AppDeps } from './deps.js';
import { op } from './contract.js';
import { componentJson, incidentJson, isUnresolved, pageJson, statusJson, type PageInfo, type StatuspageIncident } from './statuspage-v2-model.js';
import { ComponentsAnswer, IncidentsAnswer, StatusAnswer, SummaryAnswer, type ComponentJson, type IncidentJson, type PageJson, type StatusJson } from './statuspage-v2-schemas.js';

const PAGE_ID = 'stormwatch';
/** Statuspage's `incidents.json` lists the 50 most recent incidents. */
const RECENT_INCIDENTS = 50;

/**
 * `/api/v2/*.json`: Atlassian Statuspage's public API v2, so existing status widgets and
 * monitors can read Stormwatch. Services are components; incidents come from
 * `deps.incidentsForStatuspage` (none until the incident engine provides them).
 */
export async function statuspageV2Routes(app: App, deps: AppDeps): Promise<void> {
  const doc = { tags: ['statuspage v2'], access: 'public' } as const;

  async function snapshot(request: FastifyRequest): Promise<{ page: PageJson; components: ComponentJson[]; incidents: StatuspageIncident[]; status: StatusJson; render: (i: StatuspageIncident) => IncidentJson }> {
    const services = await deps.store.services.list();
    const incidents = [...((await deps.incidentsForStatuspage?.()) ?? [])].sort((a, b) => b.createdAt - a.createdAt);
    // Component statuses are the services' derived statuses (src/status), like everywhere else.
    const statuses = new Map([...((await deps.status?.all()) ?? new Map())].map(([slug, v]) => [slug, v.status]));
    const updatedAt = Math.max(0, ...services.map((s) => s.updatedAt), ...incidents.map((i) => i.updatedAt));
    const page: PageInfo = { id: PAGE_ID, name: 'Stormwatch', url: `${request.protocol}://${request.host}`, updatedAt: updatedAt || deps.clock.now() };
    const bySlug = new Map(services.map((s) => [s.slug, s]));
    return {
      page: pageJson(page),
      components: services.map((s, i) => componentJson(s, i + 1, statuses.get(s.slug) ?? 'operational', PAGE_ID)),
      incidents,
      status: statusJson(incidents, statuses.values()),
      render: (i) => incidentJson(i, bySlug, PAGE_ID),
    };
  }

  app.get('/api/v2/summary.json', op({ ...doc, operationId: 'getStatuspageSummary', summary: 'Page, components, unresolved incidents and overall status', response: { 200: SummaryAnswer } }), async (request) => {
    const s = await snapshot(request);
    return {
      page: s.page,
      components: s.components,
      incidents: s.incidents.filter(isUnresolved).map(s.render),
      scheduled_maintenances: [],
      status: s.status,
    };
  });
  app.get('/api/v2/status.json', op({ ...doc, operationId: 'getStatuspageStatus', summary: 'Overall status indicator', response: { 200: StatusAnswer } }), async (request) => {
    const s = await snapshot(request);
    return { page: s.page, status: s.status };
  });
  app.get('/api/v2/components.json', op({ ...doc, operationId: 'listStatuspageComponents', summary: 'Components (services) and their status', response: { 200: ComponentsAnswer } }), async (request) => {
    const s = await snapshot(request);
    return { page: s.page, components: s.components };
  });
  app.get('/api/v2/incidents.json', op({ ...doc, operationId: 'listStatuspageIncidents', summary: 'The 50 most recent incidents', response: { 200: IncidentsAnswer } }), async (request) => {
    const s = await snapshot(request);
    return { page: s.page, incidents: s.incidents.slice(0, RECENT_INCIDENTS).map(s.render) };
  });
  app.get('/api/v2/incidents/unresolved.json', op({ ...doc, operationId: 'listStatuspageUnresolvedIncidents', summary: 'Incidents not yet resolved', response: { 200: IncidentsAnswer } }), async (request) => {
    const s = await snapshot(request);
    return { page: s.page, incidents: s.incidents.filter(isUnresolved).map(s.render) };
  });
}
