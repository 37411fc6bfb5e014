import Type from 'typebox';
import type { App } from './app.js';
import { EpochMs, SLUG_PATTERN } from './common-schemas.js';
import { op } from './contract.js';
import type { AppDeps } from './deps.js';
import { incidentForAttacks } from '../forensics/incident-link.js';
import { badRequest, notFound } from './errors.js';

const SlugParams = Type.Object({ slug: Type.String({ pattern: SLUG_PATTERN }) });
const admin = { tags: ['forensics'], access: 'admin' } as const;
/** A summary holds at most 1,000 attack windows with their top sources. */
const FORENSICS_BODY_LIMIT = 2 * 1024 * 1024;

const ForensicsHeader = {
  id: Type.String(),
  service: Type.String(),
  created_at: EpochMs(),
  attack_count: Type.Integer({ minimum: 0 }),
  incident_id: Type.Union([Type.String(), Type.Null()], { description: "the service's incident the attacks fall in" }),
};
const CreatedAnswer = Type.Object(ForensicsHeader, { additionalProperties: false });
const ListAnswer = Type.Object(
  {
    reports: Type.Array(
      Type.Object(
        {
          ...ForensicsHeader,
          first_attack_start: Type.Union([Type.Integer({ description: 'Unix seconds, as `stormwatch analyze` writes them' }), Type.Null()]),
          summary: Type.Unknown({ description: 'the summary as posted' }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/** What `stormwatch analyze --server` posts: the report without its per-second series. */
const ForensicsBody = Type.Object(
  {
    summary: Type.Object(
      {
        attacks: Type.Array(Type.Object({ start_unix: Type.Integer({ description: 'Unix seconds' }), end_unix: Type.Integer({ description: 'Unix seconds' }) }, { additionalProperties: true }), { maxItems: 1000 }),
        lines: Type.Integer({ minimum: 0 }),
        bad_lines: Type.Integer({ minimum: 0 }),
      },
      { additionalProperties: true },
    ),
  },
  { additionalProperties: false },
);

/**
 * `/api/v1/services/:slug/forensics`: attack analyses attached to a service. Writes and
 * reads both need the admin token (the summaries list attacking addresses).
 */
export async function forensicsRoutes(app: App, deps: AppDeps): Promise<void> {
  const serviceExists = async (slug: string): Promise<void> => {
    if (!(await deps.store.services.get(slug))) throw notFound('service');
  };

  app.post(
    '/api/v1/services/:slug/forensics',
    op({ ...admin, operationId: 'createForensicsReport', summary: 'Attach a forensics analysis to a service', params: SlugParams, body: ForensicsBody, response: { 201: CreatedAnswer }, errors: [404], bodyLimit: FORENSICS_BODY_LIMIT }),
    async (request, reply) => {
      await serviceExists(request.params.slug);
      const { summary } = request.body;
      for (const [i, a] of summary.attacks.entries()) {
        if (a.end_unix < a.start_unix) throw badRequest('invalid_summary', 'attack end is before its start', `summary.attacks.${i}.end_unix`);
      }
      const first = summary.attacks.length ? Math.min(...summary.attacks.map((a) => a.start_unix)) : null;
      const incidentId = summary.attacks.length ? ((await linkedIncident(deps, request.params.slug, summary.attacks)) ?? null) : null;
      const record = await deps.store.forensics.add(request.params.slug, summary, summary.attacks.length, first, incidentId, deps.clock.now());
      // Deleted since the look-up above (on another server, or while the incident was found).
      if (!record) throw notFound('service');
      return reply
        .status(201)
        .send({ id: record.id, service: record.service, created_at: record.createdAt, attack_count: record.attackCount, incident_id: record.incidentId });
    },
  );

  app.get(
    '/api/v1/services/:slug/forensics',
    op({
      ...admin,
      operationId: 'listForensicsReports',
      summary: 'List forensics analyses of a service (newest first)',
      params: SlugParams,
      querystring: Type.Object({ limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', description: '1..100 (default 20)' })) }),
      response: { 200: ListAnswer },
      errors: [404],
    }),
    async (request) => {
      await serviceExists(request.params.slug);
      const limit = Math.min(100, Math.max(1, Number(request.query.limit ?? 20)));
      const records = await deps.store.forensics.list(request.params.slug, limit);
      return { reports: records.map((r) => ({ id: r.id, service: r.service, created_at: r.createdAt, attack_count: r.attackCount, first_attack_start: r.firstAttackStart, incident_id: r.incidentId, summary: r.summary })) };
    },
  );
}

const SLACK_MS = 30 * 60_000;

/** The service's incident overlapping the attack windows (see incidentForAttacks). */
async function linkedIncident(deps: AppDeps, service: string, attacks: readonly { start_unix: number; end_unix: number }[]): Promise<string | undefined> {
  const from = Math.min(...attacks.map((a) => a.start_unix)) * 1000 - SLACK_MS;
  const to = Math.max(...attacks.map((a) => a.end_unix)) * 1000 + SLACK_MS;
  const incidents = await deps.store.incidents.list({ service, from, to, limit: 100 });
  return incidentForAttacks(incidents, attacks, SLACK_MS);
}
