import type { FastifyRequest } from 'fastify';
import type { App } from './app.js';
import type { AppDeps } from './deps.js';
import { componentJson, incidentJson, isUnresolved, pageJson, statusJson, type PageInfo, type StatuspageIncident } from './statuspage-v2-model.js';

const PAGE_ID = 'stormwatch';
/** Statuspage's `incidents.json` lists the 50 most recent incidents. */
const RECENT_INCIDENTS = 50;

/**
 * `/api/v2/*.json`: Atlassian Statuspage's public API v2, so existing status widgets and
 * monitors can read Stormwatch. Services are components; incidents come from
 * `deps.incidentsForStatuspage` (none until the incident engine provides them).
 */
export async function statuspageV2Routes(app: App, deps: AppDeps): Promise<void> {
  const schema = { tags: ['statuspage v2'] };

  async function snapshot(request: FastifyRequest): Promise<{ page: Record<string, unknown>; components: Record<string, unknown>[]; incidents: StatuspageIncident[]; status: ReturnType<typeof statusJson>; render: (i: StatuspageIncident) => Record<string, unknown> }> {
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

  app.get('/api/v2/summary.json', { schema: { ...schema, summary: 'Page, components, unresolved incidents and overall status' } }, async (request) => {
    const s = await snapshot(request);
    return {
      page: s.page,
      components: s.components,
      incidents: s.incidents.filter(isUnresolved).map(s.render),
      scheduled_maintenances: [],
      status: s.status,
    };
  });
  app.get('/api/v2/status.json', { schema: { ...schema, summary: 'Overall status indicator' } }, async (request) => {
    const s = await snapshot(request);
    return { page: s.page, status: s.status };
  });
  app.get('/api/v2/components.json', { schema: { ...schema, summary: 'Components (services) and their status' } }, async (request) => {
    const s = await snapshot(request);
    return { page: s.page, components: s.components };
  });
  app.get('/api/v2/incidents.json', { schema: { ...schema, summary: 'The 50 most recent incidents' } }, async (request) => {
    const s = await snapshot(request);
    return { page: s.page, incidents: s.incidents.slice(0, RECENT_INCIDENTS).map(s.render) };
  });
  app.get('/api/v2/incidents/unresolved.json', { schema: { ...schema, summary: 'Incidents not yet resolved' } }, async (request) => {
    const s = await snapshot(request);
    return { page: s.page, incidents: s.incidents.filter(isUnresolved).map(s.render) };
  });
}
