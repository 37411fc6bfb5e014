import Type from 'typebox';
import type { FastifyRequest } from 'fastify';
import { channelSchema, type ChannelDefinition, RuleDefinition } from '../alerts/config.js';
import { createNotifier, defaultNotifiers } from '../alerts/channels/registry.js';
import { buildAlertMessage } from '../alerts/message.js';
import { DefinitionError, parseDefinition } from '../alerts/validate.js';
import { requireAdmin } from './admin-auth.js';
import type { App } from './app.js';
import type { AppDeps } from './deps.js';
import { badRequest, conflict, notFound } from './errors.js';

const admin = { tags: ['alerts'], security: [{ adminToken: [] }] };
const NameParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 64 }) });
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const Body = Type.Record(Type.String(), Type.Unknown());
const DeliveryQuery = Type.Object(
  {
    incident: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('retrying'), Type.Literal('delivered'), Type.Literal('failed')])),
    before: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
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
  // Authentication first: an anonymous caller learns nothing about the schema.
  const onRequest = async (request: FastifyRequest): Promise<void> => requireAdmin(request, deps.adminToken);

  app.get('/api/v1/alerts/channels', { onRequest, schema: { ...admin, summary: 'Alert channels (secrets redacted)' } }, async () => {
    const fromConfig = (config?.channels ?? []).map((c) => ({ ...redact(c), source: 'config' }));
    const fromApi = (await repo.listChannels()).map((c) => ({ ...redact(c), source: 'api' }));
    return { channels: [...fromConfig, ...fromApi] };
  });

  app.post('/api/v1/alerts/channels', { onRequest, schema: { ...admin, summary: 'Create an alert channel', body: Body } }, async (request, reply) => {
    const schema = channelSchema((request.body as Record<string, unknown>).type);
    if (!schema) throw badRequest('invalid_definition', 'type must be one of webhook, slack, discord, email', 'type');
    const def = parse<ChannelDefinition>(schema, request.body);
    if (config?.channels.some((c) => c.name === def.name)) throw conflict(`channel "${def.name}" is defined in the config`, 'name');
    if (!(await repo.createChannel(def, deps.clock.now()))) throw conflict(`channel "${def.name}" exists`, 'name');
    return reply.status(201).send({ ...redact(def), source: 'api' });
  });

  app.delete('/api/v1/alerts/channels/:name', { onRequest, schema: { ...admin, summary: 'Delete an API-made channel', params: NameParams } }, async (request, reply) => {
    if (!(await repo.deleteChannel(request.params.name))) throw notFound('channel');
    return reply.status(204).send();
  });

  app.post(
    '/api/v1/alerts/channels/:name/test',
    { onRequest, schema: { ...admin, summary: 'Send a test message through a channel (one attempt)', params: NameParams } },
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

  app.get('/api/v1/alerts/rules', { onRequest, schema: { ...admin, summary: 'Alert rules' } }, async () => {
    const fromConfig = (config?.rules ?? []).map((r, i) => ({ ...r, id: `config-${i}`, source: 'config' }));
    const fromApi = (await repo.listRules()).map((r) => ({ ...r, source: 'api' }));
    return { rules: [...fromConfig, ...fromApi] };
  });

  app.post('/api/v1/alerts/rules', { onRequest, schema: { ...admin, summary: 'Create an alert rule', body: Body } }, async (request, reply) => {
    const def = parse<RuleDefinition>(RuleDefinition, request.body);
    const known = new Set([...(config?.channels ?? []), ...(await repo.listChannels())].map((c) => c.name));
    const unknown = def.channels.find((c) => !known.has(c));
    if (unknown) throw badRequest('invalid_rule', `channels: no channel named "${unknown}"`, 'channels');
    const rule = await repo.createRule(def, deps.clock.now());
    return reply.status(201).send({ ...rule, source: 'api' });
  });

  app.delete('/api/v1/alerts/rules/:id', { onRequest, schema: { ...admin, summary: 'Delete an API-made rule', params: IdParams } }, async (request, reply) => {
    if (!(await repo.deleteRule(request.params.id))) throw notFound('rule');
    return reply.status(204).send();
  });

  app.get('/api/v1/alerts/deliveries', { onRequest, schema: { ...admin, summary: 'Delivery log, newest first', querystring: DeliveryQuery } }, async (request) => {
    const q = request.query;
    const deliveries = await repo.listDeliveries({
      ...(q.incident ? { incidentId: q.incident } : {}),
      ...(q.status ? { status: q.status } : {}),
      ...(q.before ? { before: Number(q.before) } : {}),
      limit: q.limit ? Number(q.limit) : 100,
    });
    return { deliveries };
  });

  app.get('/api/v1/alerts/deliveries/:id', { onRequest, schema: { ...admin, summary: 'One delivery with every attempt', params: IdParams } }, async (request) => {
    const delivery = await repo.getDelivery(request.params.id);
    if (!delivery) throw notFound('delivery');
    return { ...delivery, attempts: await repo.listAttempts(delivery.id) };
  });

  app.get(
    '/api/v1/alerts/correlations/:id',
    { schema: { tags: ['alerts'], summary: "An incident's confidence and likely cause from the probes", params: IdParams } },
    async (request) => {
      const c = await repo.getCorrelation(request.params.id);
      if (!c) throw notFound('correlation');
      return c;
    },
  );

  app.get(
    '/api/v1/alerts/probe-events',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Probe-only events: probes failing from several locations with no crowd reports',
        querystring: Type.Object({ service: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' })) }, { additionalProperties: false }),
      },
    },
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
function redact(c: ChannelDefinition): Record<string, unknown> {
  const out: Record<string, unknown> = { ...c };
  if ('secret' in c && c.secret) out.secret = '***';
  if ('password' in c && c.password) out.password = '***';
  if (c.type !== 'email') out.url = redactUrl(c.url);
  return out;
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
