import Type from 'typebox';
import { ChannelDefinition, channelSchema, RuleDefinition } from '../alerts/config.js';
import { createNotifier, defaultNotifiers } from '../alerts/channels/registry.js';
import { buildAlertMessage } from '../alerts/message.js';
import { DefinitionError, parseDefinition } from '../alerts/validate.js';
import type { Delivery } from '../store/alert-repository.js';
import type { App } from './app.js';
import { TimeParam } from './common-schemas.js';
import { NoContent, op } from './contract.js';
import type { AppDeps } from './deps.js';
import { badRequest, conflict, notFound } from './errors.js';
import { ChannelJson, ChannelsAnswer, DeliveriesAnswer, DeliveryAnswer, DeliveryResultJson, ProbeEventsAnswer, RuleJson, RulesAnswer, type ChannelJson as Channel } from './alerts-schemas.js';
import { CorrelationSchema } from './incidents-schemas.js';
import { parseInstant } from '../time/instant.js';

const tags = ['alerts'];
const admin = { tags, access: 'admin' } as const;
/** Channel and rule definitions are a few KB at most. */
const DEFINITION_BODY_LIMIT = 64 * 1024;
/** For routes whose body the handler checks with `parseDefinition` (they take no other input). */
const validatedByHandler = () => () => true;
const NameParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 64 }) });
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const DeliveryQuery = Type.Object(
  {
    incident: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('retrying'), Type.Literal('delivered'), Type.Literal('failed')])),
    before: Type.Optional(TimeParam('only deliveries created before this')),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$' })),
  },
  { additionalProperties: false },
);

/**
 * `/api/v1/alerts`: channels and rules made through the API (config ones are listed, read
 * only), the delivery log, and the correlation of incidents with the probes.
 */
export async function alertsRoutes(app: App, deps: AppDeps): Promise<void> {
  const repo = deps.store.alerts;
  const config = deps.alerts;

  app.get('/api/v1/alerts/channels', op({ ...admin, operationId: 'listAlertChannels', summary: 'Alert channels (secrets redacted)', response: { 200: ChannelsAnswer } }), async () => {
    const fromConfig = (config?.channels ?? []).map((c) => redact(c, 'config'));
    const fromApi = (await repo.listChannels()).map((c) => redact(c, 'api'));
    return { channels: [...fromConfig, ...fromApi] };
  });

  app.post(
    '/api/v1/alerts/channels',
    {
      ...op({ ...admin, operationId: 'createAlertChannel', summary: 'Create an alert channel', body: ChannelDefinition, response: { 201: ChannelJson }, errors: [409], bodyLimit: DEFINITION_BODY_LIMIT }),
      // The handler validates with the config loader's rules and messages (parseDefinition);
      // the schema above is what the document shows.
      validatorCompiler: validatedByHandler,
    },
    async (request, reply) => {
    const schema = channelSchema(jsonObject(request.body).type);
    if (!schema) throw badRequest('invalid_definition', 'type must be one of webhook, slack, discord, email', 'type');
    const def = parse<ChannelDefinition>(schema, request.body);
    if (config?.channels.some((c) => c.name === def.name)) throw conflict(`channel "${def.name}" is defined in the config`, 'name');
    if (!(await repo.createChannel(def, deps.clock.now()))) throw conflict(`channel "${def.name}" exists`, 'name');
    return reply.status(201).send(redact(def, 'api'));
    },
  );

  app.delete('/api/v1/alerts/channels/:name', op({ ...admin, operationId: 'deleteAlertChannel', summary: 'Delete an API-made channel', params: NameParams, response: { 204: NoContent }, errors: [404] }), async (request, reply) => {
    if (!(await repo.deleteChannel(request.params.name))) throw notFound('channel');
    return reply.status(204).send(null);
  });

  app.post(
    '/api/v1/alerts/channels/:name/test',
    op({ ...admin, operationId: 'testAlertChannel', summary: 'Send a test message through a channel (one attempt)', params: NameParams, response: { 200: DeliveryResultJson }, errors: [404] }),
    async (request) => {
      const def = [...(config?.channels ?? []), ...(await repo.listChannels())].find((c) => c.name === request.params.name);
      if (!def) throw notFound('channel');
      const now = deps.clock.now();
      const message = buildAlertMessage({
        kind: 'update', service: 'stormwatch-test', at: now, repeat: false, publicUrl: config?.publicUrl ?? 'http://localhost:8080',
        cause: 'test message from the Stormwatch admin API',
      });
      const notifier = createNotifier(defaultNotifiers, def, { timeoutMs: 10_000, now: () => deps.clock.now() });
      return notifier.send(message);
    },
  );

  app.get('/api/v1/alerts/rules', op({ ...admin, operationId: 'listAlertRules', summary: 'Alert rules', response: { 200: RulesAnswer } }), async () => {
    const fromConfig = (config?.rules ?? []).map((r, i) => ({ ...r, id: `config-${i}`, source: 'config' as const }));
    const fromApi = (await repo.listRules()).map((r) => ({ ...r, source: 'api' as const }));
    return { rules: [...fromConfig, ...fromApi] };
  });

  app.post(
    '/api/v1/alerts/rules',
    {
      ...op({ ...admin, operationId: 'createAlertRule', summary: 'Create an alert rule', body: RuleDefinition, response: { 201: RuleJson }, bodyLimit: DEFINITION_BODY_LIMIT }),
      validatorCompiler: validatedByHandler,
    },
    async (request, reply) => {
    const def = parse<RuleDefinition>(RuleDefinition, jsonObject(request.body));
    const known = new Set([...(config?.channels ?? []), ...(await repo.listChannels())].map((c) => c.name));
    const unknown = def.channels.find((c) => !known.has(c));
    if (unknown) throw badRequest('invalid_rule', `channels: no channel named "${unknown}"`, 'channels');
    const rule = await repo.createRule(def, deps.clock.now());
    return reply.status(201).send({ ...rule, source: 'api' });
    },
  );

  app.delete('/api/v1/alerts/rules/:id', op({ ...admin, operationId: 'deleteAlertRule', summary: 'Delete an API-made rule', params: IdParams, response: { 204: NoContent }, errors: [404] }), async (request, reply) => {
    if (!(await repo.deleteRule(request.params.id))) throw notFound('rule');
    return reply.status(204).send(null);
  });

  app.get('/api/v1/alerts/deliveries', op({ ...admin, operationId: 'listAlertDeliveries', summary: 'Delivery log, newest first', querystring: DeliveryQuery, response: { 200: DeliveriesAnswer } }), async (request) => {
    const q = request.query;
    const deliveries = await repo.listDeliveries({
      ...(q.incident ? { incidentId: q.incident } : {}),
      ...(q.status ? { status: q.status } : {}),
      ...(q.before ? { before: time(q.before, 'before') } : {}),
      limit: q.limit ? Number(q.limit) : 100,
    });
    return { deliveries: deliveries.map(withoutLinks) };
  });

  app.get('/api/v1/alerts/deliveries/:id', op({ ...admin, operationId: 'getAlertDelivery', summary: 'One delivery with every attempt', params: IdParams, response: { 200: DeliveryAnswer }, errors: [404] }), async (request) => {
    const delivery = await repo.getDelivery(request.params.id);
    if (!delivery) throw notFound('delivery');
    return { ...withoutLinks(delivery), attempts: await repo.listAttempts(delivery.id) };
  });

  app.get(
    '/api/v1/alerts/correlations/:id',
    op({ tags, access: 'public', operationId: 'getIncidentCorrelation', summary: "An incident's confidence and likely cause from the probes", params: IdParams, response: { 200: CorrelationSchema }, errors: [404] }),
    async (request) => {
      const c = await repo.getCorrelation(request.params.id);
      if (!c) throw notFound('correlation');
      return c;
    },
  );

  app.get(
    '/api/v1/alerts/probe-events',
    op({
      tags,
      access: 'public',
      operationId: 'listProbeEvents',
      summary: 'Probe-only events: probes failing from several locations with no crowd reports',
      querystring: Type.Object({ service: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' })) }, { additionalProperties: false }),
      response: { 200: ProbeEventsAnswer },
    }),
    async (request) => ({ events: await repo.listProbeEvents(request.query.service ? { service: request.query.service } : {}) }),
  );
}

function parse<T>(schema: Parameters<typeof parseDefinition>[0], body: unknown): T {
  try {
    return parseDefinition<T>(schema, body);
  } catch (err) {
    if (err instanceof DefinitionError) throw badRequest('invalid_definition', err.message, err.field || undefined);
    throw err;
  }
}

/** Secrets never leave the server, not even to an admin. */
function redact(c: ChannelDefinition, source: Channel['source']): Channel {
  if (c.type === 'email') {
    const { password, ...rest } = c;
    return { ...rest, source, ...(password ? { password: '***' } : {}) };
  }
  if (c.type === 'webhook') {
    const { secret, ...rest } = c;
    return { ...rest, source, url: redactUrl(c.url), ...(secret ? { secret: '***' } : {}) };
  }
  return { ...c, source, url: redactUrl(c.url) };
}

function jsonObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('invalid_request', 'body must be a JSON object', 'body');
  return body as Record<string, unknown>;
}

function time(raw: string, field: string): number {
  const t = parseInstant(raw);
  if (t === undefined) throw badRequest('invalid_request', `${field} must be an ISO 8601 time or epoch milliseconds`, field);
  return t;
}

/** Slack/Discord webhook URLs are bearer secrets: keep scheme, host and the first path part. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    const first = u.pathname.split('/').filter(Boolean)[0];
    return `${u.protocol}//${u.host}/${first ? `${first}/` : ''}***`;
  } catch {
    return '***';
  }
}

/**
 * A subscriber's mail carries signed links (confirm, unsubscribe); the log does not show them,
 * so an operator reading it cannot confirm an address on its owner's behalf.
 */
function withoutLinks(d: Delivery): Delivery {
  const a = d.message.announcement;
  if (!a) return d;
  const { confirmUrl: _c, unsubscribeUrl: _u, ...rest } = a;
  return { ...d, message: { ...d.message, announcement: rest } };
}
