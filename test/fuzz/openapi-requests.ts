import fc, { type Arbitrary } from 'fast-check';
import { nastyString, schemaArbitrary, type JsonSchema, type SchemaContext } from './schema-arbitrary.js';

/** Who an operation's `security` asks for (see src/api/contract.ts). */
export type Access = 'public' | 'admin' | 'admin-optional' | 'agent';

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: JsonSchema;
}

/** One operation of the OpenAPI document, as the fuzzer drives it. */
export interface Operation {
  operationId: string;
  method: string;
  /** `/api/v1/services/{slug}` */
  path: string;
  access: Access;
  parameters: Parameter[];
  body?: { contentType: string; schema: JsonSchema };
}

export interface FuzzRequest {
  operationId: string;
  method: string;
  /** Path and query string. */
  url: string;
  headers: Record<string, string>;
  body?: string;
}

interface OpenApiDoc {
  paths: Record<string, Record<string, { operationId: string; security?: Record<string, string[]>[]; parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

/** Every operation of the document. */
export function operationsOf(doc: OpenApiDoc): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const content = op.requestBody ? Object.entries(op.requestBody.content)[0] : undefined;
      out.push({
        operationId: op.operationId,
        method: method.toUpperCase(),
        path,
        access: accessOf(op.security ?? []),
        parameters: op.parameters ?? [],
        ...(content ? { body: { contentType: content[0], schema: content[1].schema } } : {}),
      });
    }
  }
  return out;
}

function accessOf(security: Record<string, string[]>[]): Access {
  const keys = security.map((s) => Object.keys(s).join(',')).join('|');
  if (keys === 'adminToken') return 'admin';
  if (keys === '|adminToken') return 'admin-optional';
  if (keys === 'agentToken') return 'agent';
  return 'public';
}

/** A `$ref` resolver over the document's components. */
export function resolverOf(doc: OpenApiDoc): (ref: string) => JsonSchema {
  return (ref) => {
    const name = ref.replace(/^#\/components\/schemas\//, '').replace(/#$/, '');
    return doc.components?.schemas?.[name] ?? {};
  };
}

export interface Tokens {
  admin: string;
  agent: string;
}

/** Known values per path parameter name (slugs, ids of seeded resources), so requests reach past the 404s. */
export type Pools = Record<string, readonly string[]>;

const CONTENT_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/octet-stream'];

/**
 * Requests for one operation: mostly what its schema allows (with the token it asks for), then
 * every way of getting it wrong: mutated fields, arbitrary or broken JSON, deep nesting, large
 * and odd strings, the wrong content type or token, unknown query parameters, odd path values.
 */
export function requestArbitrary(op: Operation, schemas: SchemaContext, pools: Pools, tokens: Tokens): Arbitrary<FuzzRequest> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const headerParams = op.parameters.filter((p) => p.in === 'header');

  const pathValue = (p: Parameter): Arbitrary<string> =>
    fc.oneof(
      { arbitrary: pools[p.name] && pools[p.name].length > 0 ? fc.constantFrom(...pools[p.name]) : (schemaArbitrary(p.schema, schemas, p.name) as Arbitrary<string>), weight: 6 },
      { arbitrary: schemaArbitrary(p.schema, schemas, p.name).map(String), weight: 2 },
      { arbitrary: nastyString.filter((s) => s.length > 0), weight: 1 },
    );
  const queryValue = (p: Parameter): Arbitrary<string | undefined> =>
    fc.oneof(
      { arbitrary: fc.constant(undefined), weight: p.required ? 1 : 4 },
      { arbitrary: schemaArbitrary(p.schema, schemas, p.name).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))), weight: 5 },
      { arbitrary: nastyString, weight: 1 },
    );

  const auth: Arbitrary<string | undefined> = fc.oneof(
    { arbitrary: fc.constant(op.access === 'agent' ? tokens.agent : op.access === 'public' ? undefined : tokens.admin), weight: 14 },
    { arbitrary: fc.constant(undefined), weight: 3 },
    { arbitrary: fc.constantFrom('wrong-token-0123456789abcdef', tokens.agent, tokens.admin, '', 'Basic abc'), weight: 3 },
  );

  const body = op.body ? bodyArbitrary(op.body, schemas, pools) : fc.constant(undefined);
  const pathArb = fc.tuple(...pathParams.map(pathValue));
  const queryArb = fc.tuple(...queryParams.map(queryValue));
  const headerArb = fc.tuple(...headerParams.map((p) => queryValue(p)));
  const extraQuery = fc.option(fc.tuple(fc.constantFrom('x', 'from', 'limit', '__proto__', 'a'.repeat(300)), nastyString), { freq: 8, nil: undefined });
  const head = fc.constantFrom(false, false, false, false, false, false, false, false, false, true);

  return fc.record({ path: pathArb, query: queryArb, headers: headerArb, extraQuery, auth, body, head }).map((r) => {
    let path = op.path;
    pathParams.forEach((p, i) => (path = path.replace(`{${p.name}}`, encodeComponent(r.path[i]))));
    const qs = new URLSearchParams();
    queryParams.forEach((p, i) => {
      const v = r.query[i];
      if (v !== undefined) qs.append(p.name, v);
    });
    if (r.extraQuery) qs.append(r.extraQuery[0], r.extraQuery[1]);
    const headers: Record<string, string> = {};
    headerParams.forEach((p, i) => {
      const v = r.headers[i];
      // Header values must be latin1 without control characters to be sent at all.
      if (v !== undefined && /^[\x20-\x7e]*$/.test(v)) headers[p.name] = v;
    });
    if (r.auth !== undefined) headers.authorization = r.auth.startsWith('Basic') ? r.auth : `Bearer ${r.auth}`;
    const method = op.method === 'GET' && r.head ? 'HEAD' : op.method;
    const req: FuzzRequest = { operationId: op.operationId, method, url: qs.size > 0 ? `${path}?${qs}` : path, headers };
    if (r.body !== undefined) {
      req.body = r.body.text;
      if (r.body.contentType !== undefined) headers['content-type'] = r.body.contentType;
    }
    return req;
  });
}

function bodyArbitrary(spec: { contentType: string; schema: JsonSchema }, schemas: SchemaContext, pools: Pools): Arbitrary<{ text: string; contentType?: string }> {
  const ct = spec.contentType;
  if (ct === 'application/x-ndjson') return ndjsonArbitrary(pools).map((text) => ({ text, contentType: ct }));
  const valid = schemaArbitrary(spec.schema, schemas);
  const mutated = fc.tuple(valid, fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 })).map(([v, key, value]) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return value;
    const o = { ...(v as Record<string, unknown>) };
    const keys = Object.keys(o);
    // Replace a field's value, or add an unknown one.
    o[keys.length > 0 && key.length % 2 === 0 ? keys[key.length % keys.length] : key] = value;
    return o;
  });
  const deep = fc.integer({ min: 20, max: 12_000 }).map((n) => `{"a":${'['.repeat(n)}${']'.repeat(n)}}`);
  const big = valid.map((v) => JSON.stringify({ ...(typeof v === 'object' && v !== null ? v : {}), name: 'n'.repeat(70_000) }));
  return fc.oneof(
    { arbitrary: valid.map((v) => ({ text: JSON.stringify(v), contentType: ct })), weight: 10 },
    { arbitrary: mutated.map((v) => ({ text: JSON.stringify(v), contentType: ct })), weight: 4 },
    { arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => ({ text: JSON.stringify(v), contentType: ct })), weight: 2 },
    { arbitrary: fc.oneof(nastyString, fc.constantFrom('{', '{"a":1', '[1,]', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}', 'null', '')).map((text) => ({ text, contentType: ct })), weight: 2 },
    { arbitrary: deep.map((text) => ({ text, contentType: ct })), weight: 1 },
    { arbitrary: big.map((text) => ({ text, contentType: ct })), weight: 1 },
    { arbitrary: fc.tuple(valid, fc.constantFrom(...CONTENT_TYPES)).map(([v, contentType]) => ({ text: JSON.stringify(v), contentType })), weight: 1 },
    { arbitrary: valid.map((v) => ({ text: JSON.stringify(v) })), weight: 1 },
  );
}

/** Batch bodies: report lines (good, bad and odd), sometimes many, sometimes huge. */
function ndjsonArbitrary(pools: Pools): Arbitrary<string> {
  const services = pools.slug && pools.slug.length > 0 ? pools.slug : ['x'];
  const line = fc.oneof(
    {
      arbitrary: fc
        .record(
          {
            service: fc.oneof(fc.constantFrom(...services), nastyString),
            problem: fc.constantFrom('app', 'website', 'login', 'feed', 'notifications', 'connection', 'other', 'nope'),
            region: fc.constantFrom('US-CA', 'DE', 'gb', 'XX', 'US-'),
            client: fc.constantFrom('web', 'mobile', 'tv'),
            reporter: fc.string({ minLength: 1, maxLength: 20 }),
            source: fc.oneof(fc.ipV4(), fc.ipV6(), nastyString),
            ts: fc.oneof(fc.date({ min: new Date('2024-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString()), fc.integer(), nastyString),
          },
          { requiredKeys: ['service', 'problem'] },
        )
        .map((o) => JSON.stringify(o)),
      weight: 6,
    },
    { arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)), weight: 1 },
    { arbitrary: nastyString.map((s) => s.replace(/\n/g, ' ')), weight: 1 },
  );
  return fc.oneof(
    { arbitrary: fc.array(line, { maxLength: 12 }).map((ls) => ls.join('\n')), weight: 8 },
    { arbitrary: fc.array(line, { minLength: 50, maxLength: 400 }).map((ls) => ls.join('\n')), weight: 1 },
    { arbitrary: fc.constantFrom('', '\n\n\n', '\r\n'), weight: 1 },
  );
}

/** encodeURIComponent that also takes lone surrogates (as U+FFFD, which is what a browser would send). */
function encodeComponent(v: string): string {
  try {
    return encodeURIComponent(v);
  } catch {
    return encodeURIComponent(v.replace(/[\uD800-\uDFFF]/g, '\uFFFD'));
  }
}
