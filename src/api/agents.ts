import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { ERROR_CLASSES, type ProbeResult } from '../probes/result.js';
import type { Agent } from '../store/probe-repository.js';
import { requireAdmin } from './admin-auth.js';
import type { App } from './app.js';
import type { AppDeps } from './deps.js';
import { ApiError, badRequest, notFound } from './errors.js';

const ResultBody = Type.Object(
  {
    id: Type.String({ minLength: 8, maxLength: 64 }),
    checkId: Type.String({ minLength: 1, maxLength: 100 }),
    location: Type.Optional(Type.String({ maxLength: 120 })),
    agentId: Type.Optional(Type.String({ maxLength: 64 })),
    at: Type.Integer({ minimum: 0 }),
    ok: Type.Boolean(),
    errorClass: Type.Enum(ERROR_CLASSES),
    latencyMs: Type.Number({ minimum: 0 }),
    status: Type.Optional(Type.Integer({ minimum: 0, maximum: 999 })),
    detail: Type.String({ maxLength: 2000 }),
    conditions: Type.Optional(
      Type.Array(Type.Object({ condition: Type.String({ maxLength: 600 }), ok: Type.Boolean(), actual: Type.String({ maxLength: 600 }) }), { maxItems: 32 }),
    ),
    certExpiresAt: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);

/**
 * Agents: the admin creates one (`POST /api/v1/agents` returns its token once) and revokes
 * it; agents, with their own bearer token, pull assignments and push result batches.
 */
export async function agentsRoutes(app: App, deps: AppDeps): Promise<void> {
  const probes = deps.probes;
  if (!probes) return;
  const admin = { tags: ['agents'], security: [{ adminToken: [] }] };

  app.post(
    '/api/v1/agents',
    {
      schema: {
        ...admin,
        summary: 'Create an agent; the token is shown only in this answer',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 120 }),
            /** When set, the agent's results are always filed under this location. */
            location: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      requireAdmin(request, deps.adminToken);
      const { agent, token } = await deps.store.probes.createAgent(request.body.name, request.body.location ?? '', deps.clock.now());
      return reply.status(201).send({ agent: publicAgent(agent), token });
    },
  );

  app.get('/api/v1/agents', { schema: { ...admin, summary: 'List agents' } }, async (request) => {
    requireAdmin(request, deps.adminToken);
    return { agents: (await deps.store.probes.listAgents()).map(publicAgent) };
  });

  app.delete('/api/v1/agents/:id', { schema: { ...admin, summary: 'Revoke an agent token', params: Type.Object({ id: Type.String({ maxLength: 64 }) }) } }, async (request, reply) => {
    requireAdmin(request, deps.adminToken);
    if (!(await deps.store.probes.revokeAgent(request.params.id, deps.clock.now()))) throw notFound('agent');
    return reply.status(204).send();
  });

  const agentSchema = { tags: ['agents'], security: [{ agentToken: [] }] };

  app.get(
    '/api/v1/agent/assignments',
    { schema: { ...agentSchema, summary: 'Checks this agent runs', querystring: Type.Object({ location: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })) }) } },
    async (request) => {
      const agent = await requireAgent(request, deps);
      const location = locationOf(agent, request.query.location);
      return { agentId: agent.id, location, checks: await probes.assignmentsFor(location) };
    },
  );

  app.post(
    '/api/v1/agent/results',
    {
      schema: {
        ...agentSchema,
        summary: 'Push a batch of results (idempotent by result id)',
        body: Type.Object(
          { location: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })), results: Type.Array(ResultBody, { maxItems: 5000 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const agent = await requireAgent(request, deps);
      const location = locationOf(agent, request.body.location);
      const known = await deps.store.probes.existingCheckIds(request.body.results.map((r) => r.checkId));
      // Results for a check deleted meanwhile are dropped, not refused: the agent would
      // otherwise resend them forever.
      const results: ProbeResult[] = request.body.results
        .filter((r) => known.has(r.checkId))
        .map((r) => ({ ...r, location: agent.location || r.location || location, agentId: agent.id }));
      const { accepted, duplicates } = await probes.recordResults(results);
      return { accepted, duplicates, ignored: request.body.results.length - results.length };
    },
  );
}

async function requireAgent(request: FastifyRequest, deps: AppDeps): Promise<Agent> {
  const header = request.headers.authorization;
  const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : '';
  const agent = token ? await deps.store.probes.authenticateAgent(token, deps.clock.now()) : undefined;
  if (!agent) throw new ApiError(401, 'unauthorized', 'a valid, unrevoked agent token is required');
  return agent;
}

/** A location pinned at creation wins over the one the agent declares. */
function locationOf(agent: Agent, declared: string | undefined): string {
  if (agent.location) return agent.location;
  if (!declared) throw badRequest('missing_location', 'this agent has no fixed location: pass location', 'location');
  return declared;
}

function publicAgent(agent: Agent) {
  return { ...agent, location: agent.location || null };
}
