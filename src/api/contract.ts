import Type, { type TSchema } from 'typebox';
import { ERROR_BODY_ID, type ErrorBody } from './common-schemas.js';

/**
 * The API contract in one call: `op({...})` turns what a route promises (operation id, tags,
 * summary, who may call it, inputs, its success answer) into Fastify route options whose
 * `schema` is both the validation and the OpenAPI operation. Every route goes through it;
 * `test/api/contract.test.ts` fails for a route that does not. See docs/api-contract.md.
 *
 * ```ts
 * app.get('/api/v1/services/:slug', op({
 *   operationId: 'getService', tags: ['services'], summary: 'One service',
 *   access: 'public', params: SlugParams, response: { 200: ServiceJson }, errors: [404],
 * }), async (request) => ...);
 * ```
 */

/**
 * Who may call: anyone; the admin token; anyone, with more for the admin (`admin-optional`);
 * an agent token. Authentication itself is derived from the same declaration (see auth.ts),
 * so the document and the enforcement cannot disagree.
 */
export type Access = 'public' | 'admin' | 'admin-optional' | 'agent';

type SecurityRequirement = Readonly<Record<string, readonly string[]>>;

export const SECURITY: Readonly<Record<Access, readonly SecurityRequirement[]>> = {
  public: [],
  admin: [{ adminToken: [] }],
  // OpenAPI's way to say "optional": either no requirement at all, or the admin token.
  'admin-optional': [{}, { adminToken: [] }],
  agent: [{ agentToken: [] }],
};

/** The declared access of a route's `schema.security`, the inverse of SECURITY. */
export function accessOf(security: unknown): Access | undefined {
  if (!Array.isArray(security)) return undefined;
  const keys = security.map((s: Record<string, unknown>) => Object.keys(s).join(',')).join('|');
  switch (keys) {
    case '':
      return 'public';
    case 'adminToken':
      return 'admin';
    case '|adminToken':
      return 'admin-optional';
    case 'agentToken':
      return 'agent';
    default:
      return undefined;
  }
}

/** The 4xx (and 503) answers a route may document; each one carries `ErrorBody`. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 414 | 415 | 429 | 503;

const ERROR_TEXT: Record<ErrorStatus, string> = {
  400: 'Invalid request: schema, JSON or a value out of range (`field` names it)',
  401: 'Missing or invalid token',
  403: 'Not allowed: this needs more than the request carries (the admin token, or the dashboard session\'s X-CSRF-Token on a write)',
  404: 'Not found',
  409: 'Conflict with an existing resource',
  413: 'Body too large',
  414: 'A path parameter is longer than the router accepts (100 characters)',
  415: 'Unsupported content type',
  429: 'Rate limited or saturated; see `Retry-After`',
  503: 'Could not be stored; nothing was acknowledged, try again',
};

const SUCCESS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted and durable',
  204: 'Done; no content',
  303: 'Done; a browser is sent on to the page that says so (`Location`)',
};

/** Documented on every 429: when to try again. */
const RETRY_AFTER = { 'retry-after': { type: 'integer', minimum: 0, description: 'seconds to wait before trying again' } };

type ErrorRef = ReturnType<typeof errorRef>;
const errorRef = () => Type.Unsafe<ErrorBody>({ $ref: `${ERROR_BODY_ID}#` });

/** A success answer without a body (204). */
export const NoContent = Type.Null();

/**
 * A non-JSON answer (HTML, Prometheus text, Server-Sent Events) with its real content type.
 * Fastify never serialises these (the handler sends a string or writes the stream).
 */
export function textResponse(contentType: string, description: string): TSchema {
  return Type.Unsafe<string>({ description, content: { [contentType]: { schema: { type: 'string' } } } });
}

export interface OperationSpec {
  /** Unique, camelCase, verb first: `listServices`, `createCheck`. */
  operationId: string;
  tags: readonly string[];
  summary: string;
  description?: string;
  access: Access;
  params?: TSchema;
  querystring?: TSchema;
  headers?: TSchema;
  body?: TSchema;
  /** Request content types when not JSON (`application/x-ndjson`). */
  consumes?: readonly string[];
  /** The success answer(s): `{ 200: Schema }`, `{ 201: Schema }`, `{ 204: NoContent }`. */
  response: Partial<Record<200 | 201 | 202 | 204 | 303, TSchema>>;
  /**
   * Error answers besides the ones `op` adds by itself (400 with any input, 414 with path
   * parameters, 413 and 415 with a body, 401 with a token).
   */
  errors?: readonly ErrorStatus[];
  /** Per-route body limit in bytes; the app's `bodyLimit` otherwise. */
  bodyLimit?: number;
  deprecated?: boolean;
}

type Inputs = 'params' | 'querystring' | 'headers' | 'body';

/** What `op` returns: Fastify route options, typed so the TypeBox provider sees the schemas. */
export type OperationOptions<S extends OperationSpec> = {
  schema: Pick<S, Extract<keyof S, Inputs>> & {
    operationId: string;
    tags: string[];
    summary: string;
    description?: string;
    security: SecurityRequirement[];
    consumes?: string[];
    deprecated?: boolean;
    response: S['response'] & Partial<Record<ErrorStatus, ErrorRef>>;
  };
  bodyLimit?: number;
};

/** Builds a route's options from its contract; see the file comment. */
export function op<const S extends OperationSpec>(spec: S): OperationOptions<S> {
  const errors = new Set<ErrorStatus>(spec.errors ?? []);
  if (spec.params || spec.querystring || spec.headers || spec.body) errors.add(400);
  if (spec.params) errors.add(414);
  if (spec.body) {
    errors.add(413);
    errors.add(415);
  }
  if (spec.access !== 'public') errors.add(401);
  // The dashboard session counts as the admin; its writes need the CSRF header (admin-session.ts).
  if (spec.access === 'admin' || spec.access === 'admin-optional') errors.add(403);

  const response: Record<number, unknown> = {};
  for (const [status, schema] of Object.entries(spec.response)) {
    response[Number(status)] = described(schema as TSchema, SUCCESS_TEXT[Number(status)] ?? 'OK');
  }
  for (const status of [...errors].sort()) {
    response[status] = { ...errorRef(), 'x-response-description': ERROR_TEXT[status], ...(status === 429 ? { headers: RETRY_AFTER } : {}) };
  }

  const schema: Record<string, unknown> = {
    operationId: spec.operationId,
    tags: [...spec.tags],
    summary: spec.summary,
    security: SECURITY[spec.access].map((s) => ({ ...s })),
    response,
  };
  if (spec.description) schema.description = spec.description;
  if (spec.params) schema.params = spec.params;
  if (spec.querystring) schema.querystring = spec.querystring;
  if (spec.headers) schema.headers = spec.headers;
  if (spec.body) schema.body = spec.body;
  if (spec.consumes) schema.consumes = [...spec.consumes];
  if (spec.deprecated) schema.deprecated = true;
  const options: Record<string, unknown> = { schema };
  if (spec.bodyLimit !== undefined) options.bodyLimit = spec.bodyLimit;
  return options as OperationOptions<S>;
}

/** A copy with the response's description, so shared schemas stay untouched. */
function described(schema: TSchema, text: string): unknown {
  const s = schema as Record<string, unknown>;
  if (s.content !== undefined || typeof s.description === 'string') return schema;
  return { ...s, 'x-response-description': text };
}

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/**
 * Compile-time pin of a response schema to the domain type a handler returns:
 * `const _x: SameShape<Static<typeof IncidentJson>, Incident> = true;` stops compiling when
 * a field is added to either side only (a field missing from the schema would otherwise be
 * dropped from the answer silently by the serialiser).
 */
export type SameShape<Schema, Domain> = Equal<Schema, Domain> extends true ? true : { schema: Schema; domain: Domain };
