import Type from 'typebox';
import { CheckDefinition, CheckDefinitionError } from '../probes/check.js';
import { CheckConflictError } from '../probes/service.js';
import { parseInstant } from '../time/instant.js';
import type { App } from './app.js';
import { TimeParam } from './common-schemas.js';
import { NoContent, op } from './contract.js';
import type { AppDeps } from './deps.js';
import { publicCheck, publicMatrix, publicResults } from './public-check.js';
import { badRequest, conflict, notFound } from './errors.js';
import { CheckJson, ChecksAnswer, MatrixAnswer, ResultsAnswer } from './probes-schemas.js';

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const tags = ['probes'];
/** A check definition is small, but HTTP checks may carry a request body of up to 64 KB. */
const CHECK_BODY_LIMIT = 128 * 1024;
const admin = { tags, access: 'admin' } as const;

/**
 * `/api/v1/checks`: the admin CRUD (same schema as the `checks:` config section), and the
 * public connectivity matrix and result history of each check.
 */
export async function checksRoutes(app: App, deps: AppDeps): Promise<void> {
  const probes = deps.probes;
  if (!probes) return;

  app.post(
    '/api/v1/checks',
    op({ ...admin, operationId: 'createCheck', summary: 'Create a check', body: CheckDefinition, response: { 201: CheckJson }, errors: [409], bodyLimit: CHECK_BODY_LIMIT }),
    async (request, reply) => {
      const check = await mapErrors(() => probes.createCheck(request.body));
      return reply.status(201).send(check);
    },
  );

  app.get(
    '/api/v1/checks',
    op({
      tags,
      access: 'admin-optional',
      operationId: 'listChecks',
      summary: 'List checks: full definitions with the admin token, the public fields (for the dashboard) without',
      querystring: Type.Object({ service: Type.Optional(Type.String({ maxLength: 63 })) }),
      response: { 200: ChecksAnswer },
    }),
    async (request) => {
      const { service } = request.query;
      const checks = await deps.store.probes.listChecks(service ? { service } : {});
      return { checks: request.isAdmin ? checks : checks.map(publicCheck) };
    },
  );

  app.get('/api/v1/checks/:id', op({ ...admin, operationId: 'getCheck', summary: 'One check', params: IdParams, response: { 200: CheckJson }, errors: [404] }), async (request) => {
    const check = await deps.store.probes.getCheck(request.params.id);
    if (!check) throw notFound('check');
    return check;
  });

  app.patch(
    '/api/v1/checks/:id',
    op({
      ...admin,
      operationId: 'updateCheck',
      summary: 'Change fields of a check (null removes an optional field)',
      params: IdParams,
      body: Type.Record(Type.String(), Type.Unknown(), { description: 'any fields of the check definition' }),
      response: { 200: CheckJson },
      errors: [404, 409],
      bodyLimit: CHECK_BODY_LIMIT,
    }),
    async (request) => {
      const body = request.body as Record<string, unknown>;
      if ('id' in body) throw badRequest('invalid_check', 'id cannot be changed', 'id');
      const check = await mapErrors(() => probes.updateCheck(request.params.id, body));
      if (!check) throw notFound('check');
      return check;
    },
  );

  app.delete('/api/v1/checks/:id', op({ ...admin, operationId: 'deleteCheck', summary: 'Delete a check', params: IdParams, response: { 204: NoContent }, errors: [404] }), async (request, reply) => {
    if (!(await probes.deleteCheck(request.params.id))) throw notFound('check');
    return reply.status(204).send(null);
  });

  app.get(
    '/api/v1/checks/:id/matrix',
    op({
      tags,
      access: 'public',
      operationId: 'getCheckMatrix',
      summary: 'Connectivity matrix: one row per location with its last results',
      params: IdParams,
      querystring: Type.Object({ per: Type.Optional(Type.String({ pattern: '^[0-9]{1,2}$', description: 'results per location, 1..50 (default 5)' })) }),
      response: { 200: MatrixAnswer },
      errors: [404],
    }),
    async (request) => {
      const per = Math.min(50, Math.max(1, Number(request.query.per ?? 5)));
      const matrix = await probes.matrix(request.params.id, per);
      if (!matrix) throw notFound('check');
      return publicMatrix(matrix);
    },
  );

  app.get(
    '/api/v1/checks/:id/results',
    op({
      tags,
      access: 'public',
      operationId: 'listCheckResults',
      summary: 'Results of a check between from and to (default the last hour)',
      params: IdParams,
      querystring: Type.Object({
        from: Type.Optional(TimeParam('start')),
        to: Type.Optional(TimeParam('end')),
        limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,5}$', description: '1..10000 (default 1000)' })),
      }),
      response: { 200: ResultsAnswer },
      errors: [404],
    }),
    async (request) => {
      const check = await deps.store.probes.getCheck(request.params.id);
      if (!check) throw notFound('check');
      const to = parseTime(request.query.to, 'to') ?? deps.clock.now();
      const from = parseTime(request.query.from, 'from') ?? to - 3_600_000;
      if (from > to) throw badRequest('invalid_range', 'from must not be after to', 'from');
      const limit = Math.min(10_000, Math.max(1, Number(request.query.limit ?? 1000)));
      const results = await deps.store.probes.resultsBetween(check.id, from, to, limit);
      return { check: publicCheck(check), from, to, results: publicResults(check.target, results) };
    },
  );
}

function parseTime(text: string | undefined, field: string): number | undefined {
  if (text === undefined || text === '') return undefined;
  const ms = parseInstant(text);
  if (ms === undefined) throw badRequest('invalid_time', `${field} must be an ISO 8601 time or epoch milliseconds`, field);
  return ms;
}

async function mapErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof CheckDefinitionError) throw badRequest('invalid_check', err.message, err.field || undefined);
    if (err instanceof CheckConflictError) throw conflict(err.message, 'name');
    throw err;
  }
}
