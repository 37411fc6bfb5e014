import Type from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RateLimiter } from '../reports/rate-limit.js';
import { maskAddress, type Subscriber } from '../subscriptions/subscriber.js';
import type { App } from './app.js';
import { clientAddress } from './client-address.js';
import { NoContent, op } from './contract.js';
import type { AppDeps } from './deps.js';
import { ApiError, badRequest, notFound } from './errors.js';
import { operatorCall } from './operator-errors.js';
import { operatorsOf } from './operators-of.js';
import { SubscribeBody, SubscriberBody, SubscriberJson } from './operators-schemas.js';

const tags = ['subscriptions'];
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
const ConfirmQuery = Type.Object({ token: Type.String({ minLength: 1, maxLength: 128 }), expires: Type.String({ pattern: '^[0-9]{1,16}$' }) }, { additionalProperties: false });
const TokenQuery = Type.Object({ token: Type.String({ minLength: 1, maxLength: 128 }) }, { additionalProperties: false });
const Done = Type.Object({ status: Type.Enum(['pending', 'confirmed', 'unsubscribed']), message: Type.String() }, { additionalProperties: false });
/** Where a person who followed a link from a mail lands: the dashboard says what happened. */
const RESULT_PAGE = '/subscription';

function subscriberJson(s: Subscriber): { id: string; kind: 'email' | 'webhook'; address: string; scope: string; confirmed: boolean; createdAt: number } {
  return { id: s.id, kind: s.kind, address: maskAddress(s), scope: s.scope, confirmed: s.confirmedAt !== undefined, createdAt: s.createdAt };
}

/** A browser that followed a link gets a page; anything else gets JSON. */
function wantsPage(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/html');
}

/**
 * Status-page subscriptions: sign up by e-mail (double opt-in), confirm and unsubscribe with
 * the signed links of the mails (the unsubscribe link also answers RFC 8058 one-click POSTs),
 * and the operators' list of subscribers, whose addresses are never shown.
 */
export async function subscriptionsRoutes(app: App, deps: AppDeps): Promise<void> {
  const ops = operatorsOf(deps);
  const perHour = ops.subscriptionSettings.perClientPerHour;
  const limiter = new RateLimiter(perHour / 60, perHour, 100_000);

  // Mail clients send RFC 8058 one-click unsubscribes as a form post.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 }, (_request, body, done) => done(null, { form: body }));

  app.post(
    '/api/v1/subscriptions',
    op({ operationId: 'subscribe', tags, access: 'public', bodyLimit: 4096, summary: 'Subscribe an e-mail address to a status page (a confirmation mail follows)', body: SubscribeBody, response: { 202: Done }, errors: [404, 409, 429] }),
    async (request, reply) => {
      const address = clientAddress(request);
      if (!limiter.take(address, deps.clock.now())) {
        void reply.header('retry-after', String(limiter.retryAfterSeconds(address, deps.clock.now())));
        throw new ApiError(429, 'rate_limited', 'too many subscription requests from this address; try again later');
      }
      await operatorCall(() => ops.subscriptions.subscribeEmail(request.body.email, request.body.scope));
      // The same answer whether the address was new, waiting or confirmed: nobody learns who subscribed.
      return reply.status(202).send({ status: 'pending', message: 'Check your inbox: follow the link in the mail to confirm.' });
    },
  );

  const confirm = async (id: string, token: string, expires: string): Promise<string> => {
    if (!ops.signer.verify('confirm', id, token, Number(expires), deps.clock.now())) {
      throw badRequest('invalid_link', 'the confirmation link is invalid or has expired; subscribe again', 'token');
    }
    const s = await operatorCall(() => ops.subscriptions.confirm(id));
    return s.scope;
  };
  app.get(
    '/api/v1/subscriptions/:id/confirm',
    op({ operationId: 'confirmSubscription', tags, access: 'public', summary: 'Confirm a subscription (the link in the confirmation mail); a browser is sent on to the dashboard', params: IdParams, querystring: ConfirmQuery, response: { 200: Done, 303: NoContent }, errors: [404] }),
    async (request, reply) => {
      try {
        const scope = await confirm(request.params.id, request.query.token, request.query.expires);
        if (wantsPage(request)) return redirect(reply, `${RESULT_PAGE}?result=confirmed&scope=${encodeURIComponent(scope)}`);
        return { status: 'confirmed' as const, message: 'Subscription confirmed.' };
      } catch (err) {
        if (wantsPage(request) && err instanceof ApiError) return redirect(reply, `${RESULT_PAGE}?result=invalid`);
        throw err;
      }
    },
  );

  const unsubscribe = async (id: string, token: string): Promise<void> => {
    if (!ops.signer.verify('unsubscribe', id, token, 0, deps.clock.now())) throw badRequest('invalid_link', 'the unsubscribe link is invalid', 'token');
    await ops.subscriptions.unsubscribe(id);
  };
  app.get(
    '/api/v1/subscriptions/:id/unsubscribe',
    op({ operationId: 'unsubscribeByLink', tags, access: 'public', summary: 'Unsubscribe (the one-click link in every mail); a browser is sent on to the dashboard', params: IdParams, querystring: TokenQuery, response: { 200: Done, 303: NoContent } }),
    async (request, reply) => {
      try {
        await unsubscribe(request.params.id, request.query.token);
      } catch (err) {
        if (wantsPage(request) && err instanceof ApiError) return redirect(reply, `${RESULT_PAGE}?result=invalid`);
        throw err;
      }
      if (wantsPage(request)) return redirect(reply, `${RESULT_PAGE}?result=unsubscribed`);
      return { status: 'unsubscribed' as const, message: 'You will receive no more mail from this status page.' };
    },
  );
  app.post(
    '/api/v1/subscriptions/:id/unsubscribe',
    op({ operationId: 'unsubscribeOneClick', tags, access: 'public', bodyLimit: 1024, summary: 'Unsubscribe (RFC 8058 one-click POST from mail clients, form body `List-Unsubscribe=One-Click`)', params: IdParams, querystring: TokenQuery, response: { 200: Done } }),
    async (request) => {
      await unsubscribe(request.params.id, request.query.token);
      return { status: 'unsubscribed' as const, message: 'You will receive no more mail from this status page.' };
    },
  );

  app.get(
    '/api/v1/subscribers',
    op({ operationId: 'listSubscribers', tags, access: 'admin', summary: 'Subscribers (addresses masked) and counts', response: { 200: Type.Object({ subscribers: Type.Array(SubscriberJson), confirmed: Type.Integer(), pending: Type.Integer() }, { additionalProperties: false }) } }),
    async () => {
      const all = await deps.store.subscribers.list({ limit: 10_000 });
      return { subscribers: all.map(subscriberJson), confirmed: await deps.store.subscribers.count({ confirmed: true }), pending: await deps.store.subscribers.count({ confirmed: false }) };
    },
  );

  app.post(
    '/api/v1/subscribers',
    op({ operationId: 'createSubscriber', tags, access: 'admin', bodyLimit: 8192, summary: 'Add a webhook subscriber, or an e-mail address (which must confirm)', body: SubscriberBody, response: { 201: Type.Object({ subscriber: SubscriberJson }, { additionalProperties: false }) }, errors: [404, 409] }),
    async (request, reply) => {
      const b = request.body;
      const s = await operatorCall(() => (b.kind === 'webhook' ? ops.subscriptions.addWebhook(b.url, b.secret, b.scope) : ops.subscriptions.subscribeEmail(b.email, b.scope)));
      return reply.status(201).send({ subscriber: subscriberJson(s) });
    },
  );

  app.delete(
    '/api/v1/subscribers/:id',
    op({ operationId: 'deleteSubscriber', tags, access: 'admin', summary: 'Remove a subscriber', params: IdParams, response: { 204: NoContent }, errors: [404] }),
    async (request, reply) => {
      if (!(await ops.subscriptions.unsubscribe(request.params.id))) throw notFound('subscriber');
      return reply.status(204).send(null);
    },
  );
}

function redirect(reply: FastifyReply, location: string): FastifyReply {
  return reply.status(303).header('location', location).send(null);
}
