import type { App } from './app.js';
import type { AppDeps } from './deps.js';
import { op } from './contract.js';
import { operatorsOf } from './operators-of.js';
import { phaseAt, type Maintenance } from '../maintenance/window.js';
import type { IncidentView } from '../incidents/incident-view.js';
import { statuspage, type Statuspage } from './statuspage-v2-model.js';
import { ComponentsAnswer, IncidentsAnswer, MaintenancesAnswer, StatusAnswer, SummaryAnswer } from './statuspage-v2-schemas.js';

const PAGE_ID = 'stormwatch';
/** Statuspage lists the 50 most recent incidents and maintenances. */
const RECENT = 50;

/**
 * `/api/v2/*.json`: Atlassian Statuspage's public API v2, so existing status widgets,
 * aggregators and monitors can read Stormwatch. Every answer is made from the same services,
 * statuses, incidents and maintenance windows as the status pages (see statuspage-v2-model.ts);
 * answers carry `Access-Control-Allow-Origin: *` like every public read (cors.ts).
 */
export async function statuspageV2Routes(app: App, deps: AppDeps): Promise<void> {
  const doc = { tags: ['statuspage v2'], access: 'public' } as const;
  const ops = operatorsOf(deps);
  const status = deps.status;

  /** Dismissed incidents are false positives: Statuspage would have deleted them. */
  const incidents = async (q: { status?: 'open'; limit: number }): Promise<IncidentView[]> =>
    (await ops.views.list({ ...q, limit: q.limit + 50 })).filter((v) => v.dismissedAt === undefined).slice(0, q.limit);

  async function page(lists: { incidents?: IncidentView[]; maintenances?: Maintenance[] } = {}): Promise<Statuspage> {
    const now = deps.clock.now();
    const [services, states] = await Promise.all([deps.store.services.list(), status ? status.all(now) : Promise.resolve(new Map())]);
    return statuspage(
      { pageId: PAGE_ID, pageName: ops.page.name, publicUrl: ops.page.publicUrl, services, states, now },
      { incidents: lists.incidents ?? [], maintenances: lists.maintenances ?? [] },
    );
  }
  const windows = async (which: 'recent' | 'upcoming' | 'active' | 'current'): Promise<Maintenance[]> => {
    const now = deps.clock.now();
    if (which === 'recent') return deps.store.maintenances.list({ limit: RECENT });
    const open = (await deps.store.maintenances.list({ endsAfter: now, limit: 1000 })).sort((a, b) => a.startsAt - b.startsAt || (a.id < b.id ? -1 : 1));
    if (which === 'current') return open;
    return open.filter((m) => phaseAt(m, now) === (which === 'upcoming' ? 'scheduled' : 'in_progress'));
  };

  app.get('/api/v2/summary.json', op({ ...doc, operationId: 'getStatuspageSummary', summary: 'Page, components, unresolved incidents, upcoming and active maintenance, overall status', response: { 200: SummaryAnswer } }), async () => {
    const [open, current] = await Promise.all([incidents({ status: 'open', limit: 1000 }), windows('current')]);
    const s = await page({ incidents: open, maintenances: current });
    return { page: s.page, components: s.components, incidents: open.map(s.incident), scheduled_maintenances: current.map(s.maintenance), status: s.status(open) };
  });
  app.get('/api/v2/status.json', op({ ...doc, operationId: 'getStatuspageStatus', summary: 'Overall status indicator', response: { 200: StatusAnswer } }), async () => {
    const open = await incidents({ status: 'open', limit: 1000 });
    const s = await page({ incidents: open });
    return { page: s.page, status: s.status(open) };
  });
  app.get('/api/v2/components.json', op({ ...doc, operationId: 'listStatuspageComponents', summary: 'Components (services), groups (categories) and their status', response: { 200: ComponentsAnswer } }), async () => {
    const s = await page();
    return { page: s.page, components: s.components };
  });
  app.get('/api/v2/incidents.json', op({ ...doc, operationId: 'listStatuspageIncidents', summary: 'The 50 most recent incidents', response: { 200: IncidentsAnswer } }), async () => {
    const recent = await incidents({ limit: RECENT });
    const s = await page({ incidents: recent });
    return { page: s.page, incidents: recent.map(s.incident) };
  });
  app.get('/api/v2/incidents/unresolved.json', op({ ...doc, operationId: 'listStatuspageUnresolvedIncidents', summary: 'Incidents not yet resolved', response: { 200: IncidentsAnswer } }), async () => {
    const open = await incidents({ status: 'open', limit: 1000 });
    const s = await page({ incidents: open });
    return { page: s.page, incidents: open.map(s.incident) };
  });
  app.get('/api/v2/scheduled-maintenances.json', op({ ...doc, operationId: 'listStatuspageMaintenances', summary: 'The 50 most recent maintenance windows, latest start first', response: { 200: MaintenancesAnswer } }), async () => {
    const recent = await windows('recent');
    const s = await page({ maintenances: recent });
    return { page: s.page, scheduled_maintenances: recent.map(s.maintenance) };
  });
  app.get('/api/v2/scheduled-maintenances/upcoming.json', op({ ...doc, operationId: 'listStatuspageUpcomingMaintenances', summary: 'Maintenance windows not yet begun, soonest first', response: { 200: MaintenancesAnswer } }), async () => {
    const upcoming = await windows('upcoming');
    const s = await page({ maintenances: upcoming });
    return { page: s.page, scheduled_maintenances: upcoming.map(s.maintenance) };
  });
  app.get('/api/v2/scheduled-maintenances/active.json', op({ ...doc, operationId: 'listStatuspageActiveMaintenances', summary: 'Maintenance windows in progress', response: { 200: MaintenancesAnswer } }), async () => {
    const active = await windows('active');
    const s = await page({ maintenances: active });
    return { page: s.page, scheduled_maintenances: active.map(s.maintenance) };
  });
}
