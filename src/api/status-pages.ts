import Type, { type Static } from 'typebox';
import type { IncidentView } from '../incidents/incident-view.js';
import { formatPercent } from '../statuspage/badge.js';
import type { StatusPageModel } from '../statuspage/status-page.js';
import type { App } from './app.js';
import { op } from './contract.js';
import type { AppDeps } from './deps.js';
import { notFound } from './errors.js';
import { maintenanceJson } from './maintenances.js';
import { operatorsOf } from './operators-of.js';
import { ComponentStatus, IncidentViewJson, MaintenanceJson } from './operators-schemas.js';
import { reasonJson, StatusReasonSchema } from './status.js';

const Day = Type.Object(
  {
    day: Type.String({ description: 'UTC date, YYYY-MM-DD' }),
    counted: Type.Boolean({ description: 'any of the day counts: after the service was created (or its first incident), before now' }),
    countedMinutes: Type.Integer({ description: 'minutes of the day that count' }),
    downMinutes: Type.Integer(),
    worst: Type.Optional(ComponentStatus),
  },
  { additionalProperties: false },
);

const StatusPageJson = Type.Object(
  {
    kind: Type.Enum(['page', 'service', 'category']),
    slug: Type.String(),
    name: Type.String({ description: "the service's or the category's name" }),
    status: ComponentStatus,
    logo: Type.Optional(Type.String()),
    url: Type.Optional(Type.String()),
    services: Type.Array(
      Type.Object(
        { slug: Type.String(), name: Type.String(), status: ComponentStatus, logo: Type.Optional(Type.String()), reasons: Type.Array(StatusReasonSchema, { description: 'why it has its status, the deciding reason first' }) },
        { additionalProperties: false },
      ),
    ),
    uptime: Type.Object(
      { percent: Type.Optional(Type.Number({ description: 'over the counted time; absent before any' })), text: Type.String({ description: 'two decimals, rounded down' }), days: Type.Array(Day) },
      { additionalProperties: false },
    ),
    incidents: Type.Object({ open: Type.Array(IncidentViewJson), past: Type.Array(IncidentViewJson, { description: 'resolved in the last 90 days' }) }, { additionalProperties: false }),
    maintenances: Type.Object({ active: Type.Array(MaintenanceJson), upcoming: Type.Array(MaintenanceJson) }, { additionalProperties: false }),
    feeds: Type.Object({ atom: Type.String(), rss: Type.String() }, { additionalProperties: false }),
    subscribe: Type.Object({ email: Type.Boolean({ description: 'e-mail subscriptions are configured' }) }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);

/**
 * `GET /api/v1/status-pages/:slug`: everything a public status page shows, in one answer, for
 * a service or a category (by its slug): so the page makes one request, and none that fails.
 */
export async function statusPagesRoutes(app: App, deps: AppDeps): Promise<void> {
  const ops = operatorsOf(deps);
  app.get(
    '/api/v1/status-pages/:slug',
    op({
      operationId: 'getStatusPageModel',
      tags: ['status pages'],
      access: 'public',
      summary: 'A status page: status, services, 90-day uptime, incidents, maintenance',
      params: Type.Object({ slug: Type.String({ minLength: 1, maxLength: 63 }) }, { additionalProperties: false }),
      response: { 200: StatusPageJson },
      errors: [404],
    }),
    async (request) => {
      const now = deps.clock.now();
      const model = await ops.pages.model(request.params.slug, now);
      if (!model || model.subject.kind === 'page') throw notFound(`status page ${request.params.slug}`);
      return statusPageJson(model, now, ops.subscriptions.emailEnabled);
    },
  );
}

function statusPageJson(m: StatusPageModel, now: number, email: boolean): Static<typeof StatusPageJson> {
  const single = m.subject.kind === 'service' ? m.subject.services[0] : undefined;
  const path = m.subject.kind === 'page' ? '/history' : `/status/${encodeURIComponent(m.subject.slug)}/history`;
  const view = (v: IncidentView): IncidentView => v;
  return {
    kind: m.subject.kind,
    slug: m.subject.slug,
    name: m.subject.name,
    status: m.status,
    ...(single?.logo ? { logo: single.logo } : {}),
    ...(single ? { url: single.url } : {}),
    services: m.services.map(({ service, status, reasons }) => ({ slug: service.slug, name: service.name, status, ...(service.logo ? { logo: service.logo } : {}), reasons: reasons.map(reasonJson) })),
    uptime: {
      ...(m.uptime.percent !== undefined ? { percent: m.uptime.percent } : {}),
      text: m.uptime.percent === undefined ? 'no data yet' : `${formatPercent(m.uptime.percent)}%`,
      days: m.uptime.days.map((d) => ({
        day: new Date(d.day).toISOString().slice(0, 10),
        counted: d.countedMs > 0,
        countedMinutes: Math.round(d.countedMs / 60_000),
        downMinutes: Math.round(d.downMs / 60_000),
        ...(d.worst ? { worst: d.worst } : {}),
      })),
    },
    incidents: { open: m.open.map(view), past: m.past.map(view) },
    maintenances: { active: m.active.map((x) => maintenanceJson(x, now)), upcoming: m.upcoming.map((x) => maintenanceJson(x, now)) },
    feeds: { atom: `${path}.atom`, rss: `${path}.rss` },
    subscribe: { email },
  };
}
