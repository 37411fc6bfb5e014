import Type from 'typebox';
import { DEFAULT_PREFIX_LENGTHS } from '../net/ip-prefix.js';
import { InstantTargetError } from '../probes/instant/instant-service.js';
import { INSTANT_WAIT_S } from '../probes/instant/instant-poller.js';
import { LimitPolicy } from '../reports/limit-policy.js';
import { RateLimiter } from '../reports/rate-limit.js';
import { agentOf } from './auth.js';
import type { App } from './app.js';
import { ownLocation } from './agents.js';
import { clientAddress } from './client-address.js';
import { op } from './contract.js';
import type { AppDeps } from './deps.js';
import { ApiError, badRequest, notFound } from './errors.js';
import { InstantAnswersAnswer, InstantAnswersBody, InstantCheckBody, InstantCheckJson, InstantWorkAnswer } from './instant-checks-schemas.js';

const tags = ['instant checks'];
const IdParams = Type.Object({ id: Type.String({ pattern: '^[0-9a-f-]{36}$', description: 'the id POST answered with' }) }, { additionalProperties: false });
const MAX_TRACKED_CLIENTS = 100_000;

/**
 * Instant checks, check-host style: anyone allowed starts one (`POST`, 202), every
 * connected location runs it at once, and `GET` (or the live event stream with
 * `?instant=<id>`) shows one row per location. The agent side: a long-poll for work and
 * the answers, each agent speaking for its own location only.
 */
export async function instantChecksRoutes(app: App, deps: AppDeps): Promise<void> {
  const instant = deps.instantChecks;
  if (!instant) return;
  const { service, config } = instant;
  // The report limits' policy: a client's address and its network (/24, /64) each have a bucket,
  // on this node, and in cluster mode also in the shared state (`instant.shared`).
  const limits = new LimitPolicy(
    {
      address: new RateLimiter(config.ratePerMinute, config.rateBurst, MAX_TRACKED_CLIENTS),
      prefix: new RateLimiter(config.networkRatePerMinute, config.networkRateBurst, MAX_TRACKED_CLIENTS),
      service: new RateLimiter(0, 1, 1), // instant checks are about no service
    },
    DEFAULT_PREFIX_LENGTHS,
  );
  // Waiting agents are answered (empty) when the server closes, instead of holding it up.
  const closing = new AbortController();
  app.addHook('preClose', async () => closing.abort());

  app.post(
    '/api/v1/instant-checks',
    op({
      operationId: 'createInstantCheck',
      tags,
      access: 'admin-optional',
      summary: 'Check a target from every location now (the admin always may; anyone when instantChecks.public)',
      description:
        'Every connected agent and the built-in one run the check at once; read the rows with GET /api/v1/instant-checks/{id} or live from /api/v1/events?instant={id}. Targets that are or resolve to loopback, private, link-local or metadata addresses are refused (400 private_target) unless instantChecks.allowPrivateTargets. Rate limited per client address and network, except for the admin.',
      body: InstantCheckBody,
      response: { 202: InstantCheckJson },
      errors: [429],
      bodyLimit: 8192,
    }),
    async (request, reply) => {
      if (!request.isAdmin && !config.public) {
        throw new ApiError(403, 'forbidden', 'instant checks are for the admin here (the operator has not made them public: instantChecks.public)');
      }
      try {
        service.validate(request.body);
      } catch (err) {
        throw targetError(err);
      }
      if (!request.isAdmin) {
        const ip = clientAddress(request);
        const now = deps.clock.now();
        const network = limits.network(ip);
        let refused: { limit: string; retryAfterS: number } | null = limits.admitSender(ip, network, now);
        if (!refused && instant.shared) {
          // This node's buckets let it through; the cluster's decide (their keys apart from the reports' limits).
          const shared = await instant.shared(
            limits.charges(ip, network, []).map((c) => ({ ...c, key: `instant-${c.key}` })),
            now,
          );
          if (shared) {
            limits.refundSender(ip, network, now);
            refused = { limit: shared.key.startsWith('instant-address:') ? 'address' : 'prefix', retryAfterS: shared.retryAfterS };
          }
        }
        if (refused) {
          void reply.header('retry-after', String(refused.retryAfterS));
          throw new ApiError(429, 'rate_limited', `too many instant checks from this ${refused.limit === 'address' ? 'address' : 'network'}; try again in ${refused.retryAfterS} s`);
        }
      }
      try {
        return reply.status(202).send(await service.create(request.body));
      } catch (err) {
        throw targetError(err);
      }
    },
  );

  app.get(
    '/api/v1/instant-checks/:id',
    op({
      operationId: 'getInstantCheck',
      tags,
      access: 'public',
      summary: 'An instant check: one row per location (status, class, latency, address, HTTP status or DNS answers)',
      params: IdParams,
      response: { 200: InstantCheckJson },
      errors: [404],
    }),
    async (request) => {
      const view = await service.view(request.params.id);
      if (!view) throw notFound('instant check');
      return view;
    },
  );

  app.get(
    '/api/v1/agent/instant-checks',
    op({
      operationId: 'pollAgentInstantChecks',
      tags: ['agents'],
      access: 'agent',
      summary: "Instant checks this agent's location has not answered; waits up to `wait` seconds for one (long-poll)",
      querystring: Type.Object(
        {
          location: Type.Optional(Type.String({ minLength: 1, maxLength: 120, description: 'required when the agent has no fixed location' })),
          wait: Type.Optional(Type.String({ pattern: '^[0-9]{1,2}$', description: `seconds to wait for work, 0..${INSTANT_WAIT_S} (default 0)` })),
          skip: Type.Optional(Type.String({ pattern: '^[0-9a-f,-]*$', maxLength: 4000, description: 'comma-separated ids the agent is running already' })),
        },
        { additionalProperties: false },
      ),
      response: { 200: InstantWorkAnswer },
      errors: [403],
    }),
    async (request) => {
      const location = await ownLocation(deps, agentOf(request), request.query.location);
      const waitS = Math.min(INSTANT_WAIT_S, Number(request.query.wait ?? 0));
      const skip = new Set((request.query.skip ?? '').split(',').filter(Boolean));
      // The agent hanging up ends the wait.
      const gone = new AbortController();
      const onClose = (): void => gone.abort();
      request.raw.socket.once('close', onClose);
      try {
        return { checks: await service.waitForWork(location, skip, waitS * 1000, AbortSignal.any([gone.signal, closing.signal])) };
      } finally {
        request.raw.socket.off('close', onClose);
      }
    },
  );

  app.post(
    '/api/v1/agent/instant-answers',
    op({
      operationId: 'pushAgentInstantAnswers',
      tags: ['agents'],
      access: 'agent',
      summary: "Answers to instant checks, for this agent's own location",
      body: InstantAnswersBody,
      response: { 200: InstantAnswersAnswer },
      errors: [403],
      bodyLimit: 256 * 1024,
    }),
    async (request) => {
      const location = await ownLocation(deps, agentOf(request), request.body.location);
      let accepted = 0;
      let duplicates = 0;
      for (const { id, ...answer } of request.body.answers) {
        const outcome = await service.answer(id, location, answer);
        if (outcome === 'accepted') accepted++;
        else if (outcome === 'duplicate') duplicates++;
      }
      return { accepted, duplicates, ignored: request.body.answers.length - accepted - duplicates };
    },
  );
}

function targetError(err: unknown): unknown {
  if (err instanceof InstantTargetError) return badRequest(err.code, err.message, 'target');
  return err;
}
