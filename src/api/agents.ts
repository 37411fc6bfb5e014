import Type from 'typebox';
import { ERROR_CLASSES, type ProbeResult } from '../probes/result.js';
import type { Agent } from '../store/probe-repository.js';
import { parseInstant } from '../time/instant.js';
import type { App } from './app.js';
import { agentOf } from './auth.js';
import { NoContent, op } from './contract.js';
import type { AppDeps } from './deps.js';
import { ApiError, badRequest, notFound } from './errors.js';
import { AgentsAnswer, AssignmentsAnswer, CreatedAgentAnswer, ResultsPushAnswer, type AgentJson } from './probes-schemas.js';

const ResultBody = Type.Object(
  {
    id: Type.String({ minLength: 8, maxLength: 64 }),
    checkId: Type.String({ minLength: 1, maxLength: 100 }),
    location: Type.Optional(Type.String({ maxLength: 120 })),
    agentId: Type.Optional(Type.String({ maxLength: 64 })),
    at: Type.Union([Type.Integer({ minimum: 0 }), Type.String({ maxLength: 40 })], { description: 'when the probe started: epoch milliseconds or ISO 8601' }),
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

/** 5,000 results of a few hundred bytes each, with room for condition texts. */
const RESULTS_BODY_LIMIT = 4 * 1024 * 1024;

/**
 * Agents: the admin creates one (`POST /api/v1/agents` returns its token once) and revokes
 * it; agents, with their own bearer token, pull assignments and push result batches.
 */
export async function agentsRoutes(app: App, deps: AppDeps): Promise<void> {
  const probes = deps.probes;
  if (!probes) return;
  const admin = { tags: ['agents'], access: 'admin' } as const;
  const agentDoc = { tags: ['agents'], access: 'agent' } as const;

  app.post(
    '/api/v1/agents',
    op({
      ...admin,
      operationId: 'createAgent',
      summary: 'Create an agent; the token is shown only in this answer',
      body: Type.Object(
        {
          name: Type.String({ minLength: 1, maxLength: 120 }),
          location: Type.Optional(Type.String({ minLength: 1, maxLength: 120, description: "when set, the agent's results are always filed under this location" })),
        },
        { additionalProperties: false },
      ),
      response: { 201: CreatedAgentAnswer },
      bodyLimit: 4096,
    }),
    async (request, reply) => {
      const { agent, token } = await deps.store.probes.createAgent(request.body.name, request.body.location ?? '', deps.clock.now());
      return reply.status(201).send({ agent: publicAgent(agent), token });
    },
  );

  app.get('/api/v1/agents', op({ ...admin, operationId: 'listAgents', summary: 'List agents', response: { 200: AgentsAnswer } }), async () => ({
    agents: (await deps.store.probes.listAgents()).map(publicAgent),
  }));

  app.delete(
    '/api/v1/agents/:id',
    op({ ...admin, operationId: 'revokeAgent', summary: 'Revoke an agent token', params: Type.Object({ id: Type.String({ maxLength: 64 }) }), response: { 204: NoContent }, errors: [404] }),
    async (request, reply) => {
      if (!(await deps.store.probes.revokeAgent(request.params.id, deps.clock.now()))) throw notFound('agent');
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/agent/assignments',
    op({
      ...agentDoc,
      operationId: 'getAgentAssignments',
      summary: 'Checks this agent runs',
      querystring: Type.Object({ location: Type.Optional(Type.String({ minLength: 1, maxLength: 120, description: 'required when the agent has no fixed location' })) }),
      response: { 200: AssignmentsAnswer },
      errors: [403],
    }),
    async (request) => {
      const agent = agentOf(request);
      const location = await ownLocation(deps, agent, request.query.location);
      return { agentId: agent.id, location, checks: await probes.assignmentsFor(location) };
    },
  );

  app.post(
    '/api/v1/agent/results',
    op({
      ...agentDoc,
      operationId: 'pushAgentResults',
      summary: 'Push a batch of results (idempotent by result id)',
      body: Type.Object(
        { location: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })), results: Type.Array(ResultBody, { maxItems: 5000 }) },
        { additionalProperties: false },
      ),
      response: { 200: ResultsPushAnswer },
      errors: [403],
      bodyLimit: RESULTS_BODY_LIMIT,
    }),
    async (request) => {
      const agent = agentOf(request);
      const location = await ownLocation(deps, agent, request.body.location);
      // An agent speaks for its own location only: one token must not look like many places.
      const foreign = request.body.results.findIndex((r) => r.location !== undefined && r.location !== location);
      if (foreign >= 0) throw forbiddenLocation(location, `results.${foreign}.location`);
      const known = await deps.store.probes.existingCheckIds(request.body.results.map((r) => r.checkId));
      const assigned = new Set((await probes.assignmentsFor(location)).map((c) => c.id));
      // Results for a check deleted meanwhile are dropped, not refused: the agent would
      // otherwise resend them forever. Results for a check this location does not run are
      // not stored either, and counted apart.
      const results: ProbeResult[] = [];
      let refused = 0;
      for (const [i, r] of request.body.results.entries()) {
        const at = parseInstant(r.at);
        if (at === undefined || at < 0) throw badRequest('invalid_time', 'at must be epoch milliseconds or an ISO 8601 time', `results.${i}.at`);
        if (!known.has(r.checkId)) continue;
        if (!assigned.has(r.checkId)) {
          refused++;
          continue;
        }
        results.push({ ...r, at, location, agentId: agent.id });
      }
      const { accepted, duplicates } = await probes.recordResults(results);
      return { accepted, duplicates, ignored: request.body.results.length - results.length - refused, refused };
    },
  );
}

/**
 * The agent's location: the one given at its creation, or else the one its first call
 * declared, fixed from then on. Declaring another one is refused (403).
 */
export async function ownLocation(deps: AppDeps, agent: Agent, declared: string | undefined): Promise<string> {
  let location = agent.location;
  if (!location) {
    if (!declared) throw badRequest('missing_location', 'this agent has no fixed location yet: pass location (it is fixed at the first call)', 'location');
    location = await deps.store.probes.pinAgentLocation(agent.id, declared);
  }
  if (declared !== undefined && declared !== location) throw forbiddenLocation(location, 'location');
  return location;
}

export function forbiddenLocation(location: string, field: string): ApiError {
  return new ApiError(403, 'forbidden_location', `this agent's token speaks for ${location} only`, field);
}

function publicAgent(agent: Agent): AgentJson {
  return { ...agent, location: agent.location || null };
}
