import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { isDatabaseUnavailable, UNAVAILABLE_RETRY_AFTER_S } from '../store/unavailable.js';
import cookie from '@fastify/cookie';
import type { TrustedProxies } from '../config/trust-proxy.js';
import { fastifyTrustProxy, proxyPeer } from './client-address.js';
import { connectionsRefusedCounter } from './metrics.js';
import { guardConnections } from './connection-guard.js';
import { MAX_JSON_DEPTH, nestedDeeperThan } from './json-depth.js';
import { ApiError } from './errors.js';
import { ErrorBody } from './common-schemas.js';
import type { AppDeps } from './deps.js';
import { installAuthentication } from './auth.js';
import { installPublicCors } from './cors.js';
import { openApiDocument } from './openapi.js';
import { routeModules } from './routes.js';
import { createStatusService } from '../status/setup.js';
import { defaultOperatorsDeps } from '../operators/operators-deps.js';

export type App = FastifyInstance<Server, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

export interface AppOptions {
  logger?: boolean | object;
  /** Max request body in bytes (NDJSON batches are the largest legitimate bodies). */
  bodyLimit?: number;
  /** Proxies whose X-Forwarded-For is believed (a hop count or their addresses); none by default. */
  trustProxy?: TrustedProxies;
  /** Connection limits; the defaults below when absent. */
  connections?: Partial<ConnectionLimits>;
  /**
   * Called before any route is registered, e.g. to add `onRoute` or `preSerialization`
   * hooks (the contract test collects every route and every payload this way).
   */
  instrument?: (app: App) => void;
}

/** How long a request may take to arrive, how long a connection may idle, how many one address may hold. */
export interface ConnectionLimits {
  requestTimeoutMs: number;
  idleTimeoutMs: number;
  maxConnectionsPerAddress: number;
}

export const defaultConnectionLimits: ConnectionLimits = { requestTimeoutMs: 30_000, idleTimeoutMs: 75_000, maxConnectionsPerAddress: 128 };

/** Builds the HTTP app: error model, OpenAPI docs, then every resource's routes. */
export async function buildApp(deps: AppDeps, options: AppOptions = {}): Promise<App> {
  const limits = { ...defaultConnectionLimits, ...options.connections };
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 8 * 1024 * 1024,
    trustProxy: fastifyTrustProxy(options.trustProxy),
    // Slow bodies and idle sockets must not pin connections: the whole request within
    // requestTimeoutMs (checked every second), its headers within 10 s at most.
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.idleTimeoutMs,
    http: { headersTimeout: Math.min(limits.requestTimeoutMs, 10_000), connectionsCheckingInterval: Math.max(25, Math.min(1_000, Math.floor(limits.requestTimeoutMs / 4))) },
    // Ajv's default would coerce and strip silently; we want clear errors for bad input.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    return503OnClosing: true,
    // Errors the router raises before any route runs (a malformed or too long path
    // parameter) get the same body as every other error.
    frameworkErrors: frameworkError,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setErrorHandler((err: FastifyError | ApiError, request, reply) => {
    const { status, body } = toErrorBody(err);
    if (status === 503 && !reply.hasHeader('retry-after')) void reply.header('retry-after', String(UNAVAILABLE_RETRY_AFTER_S));
    if (status >= 500 && status !== 503) request.log.error({ err }, 'request failed');
    else if (status === 503) request.log.warn({ err: (err as Error).message }, 'database unavailable');
    void reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ error: 'not_found', message: `no route for ${request.method} ${request.url.split('?')[0]}` });
  });

  guardConnections(app.server, {
    maxPerAddress: limits.maxConnectionsPerAddress,
    exempt: proxyPeer(options.trustProxy),
    onRefused: connectionsRefusedCounter(deps),
  });

  // JSON bodies as Fastify parses them (prototype poisoning refused), but refused first when
  // nested deeper than any request needs: recursion after parsing would overflow the stack.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, raw, done) => {
    const body = typeof raw === 'string' ? raw : raw.toString('utf8');
    if (nestedDeeperThan(body, MAX_JSON_DEPTH)) {
      done(new ApiError(400, 'too_deeply_nested', `JSON bodies may nest objects and arrays at most ${MAX_JSON_DEPTH} levels deep`), undefined);
      return;
    }
    parseJson(request, body, done);
  });

  app.addSchema(ErrorBody);
  options.instrument?.(app);
  installAuthentication(app, deps);
  installPublicCors(app);
  await app.register(swagger, {
    openapi: openApiDocument(),
    // Shared schemas keep their $id as their name: `#/components/schemas/ErrorBody`.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  // Parses the dashboard's session cookie (admin-session.ts); nothing is signed with it.
  await app.register(cookie);

  const status = deps.status ?? createStatusService(deps.store, deps.clock);
  const full: AppDeps = {
    ...deps,
    status,
    operators: deps.operators ?? defaultOperatorsDeps({ ...deps, status }),
  };
  for (const register of routeModules) await register(app, full);
  return app;
}

function frameworkError(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = toErrorBody(err);
  void reply.code(status).send(body);
}

/** Maps any thrown error to the public error body; only our own bugs stay 5xx. */
export function toErrorBody(err: FastifyError | ApiError | Error): { status: number; body: ErrorBody } {
  if (err instanceof ApiError) {
    const body: ErrorBody = { error: err.code, message: err.message };
    if (err.field) body.field = err.field;
    return { status: err.statusCode, body };
  }
  // The database is down or restarting: a clear "try again", never a 500.
  if (isDatabaseUnavailable(err)) return { status: 503, body: { error: 'unavailable', message: 'the database is unavailable; try again shortly' } };
  const fe = err as FastifyError & { validation?: { keyword?: string; instancePath?: string; params?: Record<string, unknown>; message?: string }[]; validationContext?: string };
  if (fe.validation && fe.validation.length > 0) {
    const v = fe.validation[0];
    const missing = typeof v.params?.missingProperty === 'string' ? `/${v.params.missingProperty}` : '';
    const extra = typeof v.params?.additionalProperty === 'string' ? `/${v.params.additionalProperty}` : '';
    const pointer = `${v.instancePath ?? ''}${missing}${extra}`;
    const field = [fe.validationContext, pointer.replace(/^\//, '').replace(/\//g, '.')].filter(Boolean).join('.');
    // An enum is a union of constants: Ajv reports one "must be equal to constant" per
    // branch, so name the allowed values instead.
    const allowed = fe.validation
      .filter((e) => e.keyword === 'const' && e.instancePath === v.instancePath)
      .map((e) => JSON.stringify(e.params?.allowedValue));
    const message = allowed.length > 1 ? `must be one of ${allowed.join(', ')}` : (v.message ?? 'is invalid');
    return {
      status: 400,
      body: { error: 'invalid_request', message: `${field || 'request'} ${message}`, ...(field ? { field } : {}) },
    };
  }
  const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
  if (status >= 400 && status < 500) {
    return { status, body: { error: codeFor(status, fe.code), message: fe.message } };
  }
  return { status: 500, body: { error: 'internal', message: 'internal error' } };
}

function codeFor(status: number, code: string | undefined): string {
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'body_too_large';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'unsupported_media_type';
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return 'uri_too_long';
    case 'FST_ERR_BAD_URL':
      return 'invalid_url';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'invalid_json';
    default:
      break;
  }
  if (status === 400 && code === undefined) return 'invalid_json';
  if (status === 404) return 'not_found';
  if (status === 413) return 'body_too_large';
  if (status === 415) return 'unsupported_media_type';
  if (status === 429) return 'rate_limited';
  return 'bad_request';
}
