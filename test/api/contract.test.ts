import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { PG_URL, testDbs } from '../pg.js';
import { startSmtpSink } from '../alerts/sinks.js';
import { launchBrowser, screenshot, watchErrors } from '../web/browser.js';
import { ensureWebBuilt } from '../web/build-web.js';
import { seedHistory } from './contract-seed.js';
import { steps, type Call, type Ctx } from './contract-table.js';

/**
 * The OpenAPI document is a contract (docs/api-contract.md). Against a real server on a real
 * port: the document is valid OpenAPI 3.1; every route the app registers is in it; and every
 * operation is driven once with valid input (contract-table.ts) and once with bad input,
 * each answer checked against what the document says: a documented status, the documented
 * content type, a body that validates, and nothing lost by the serialiser.
 */

const ADMIN = 'contract-admin-token-0123456789';

/** Routes the document leaves out on purpose. */
const NOT_DOCUMENTED: { test: (url: string) => boolean; why: string }[] = [
  { test: (url) => url === '/api/docs' || url.startsWith('/api/docs/'), why: 'the documentation itself: Swagger UI, its files and the document' },
  { test: (url) => url.startsWith('/assets/'), why: "the dashboard's content-hashed static files (@fastify/static), not an API" },
];

interface Media {
  schema?: Record<string, unknown>;
}
interface Operation {
  operationId: string;
  tags?: string[];
  summary?: string;
  security?: Record<string, string[]>[];
  responses: Record<string, { description: string; content?: Record<string, Media> }>;
  method: string;
  path: string;
}
interface OpenApi {
  openapi: string;
  info: { license?: { name: string } };
  servers?: { url: string }[];
  paths: Record<string, Record<string, Omit<Operation, 'method' | 'path'>>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

function operations(doc: OpenApi): Map<string, Operation> {
  const out = new Map<string, Operation>();
  for (const [p, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) out.set(op.operationId, { ...op, method: method.toUpperCase(), path: p });
  }
  return out;
}

/** `/api/v1/services/:slug` as OpenAPI writes it; `::` is Fastify's escaped colon. */
const openApiPath = (url: string): string => url.replace('::', '\u0000').replace(/:(\w+)/g, '{$1}').replace('\u0000', ':');

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);

describe.each(testDbs)('the OpenAPI contract on $name', (db) => {
  let server: RunningServer;
  let dir: string;
  let doc: OpenApi;
  let deref: OpenApi;
  const routes: { method: string; url: string }[] = [];
  const raw = new Map<string, unknown>();
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;

  beforeAll(async () => {
    ensureWebBuilt();
    // Subscription mails go to a real SMTP server on loopback.
    smtp = await startSmtpSink();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stormwatch-contract-'));
    const config = loadConfig({
      env: {},
      overrides: {
        'server.port': 0,
        'server.host': '127.0.0.1',
        'server.logLevel': 'silent',
        'database.url': db.name === 'postgres' ? PG_URL : `sqlite:${path.join(dir, 'sw.db')}`,
        adminToken: ADMIN,
        'probes.localAgent': false,
        // The instant check of the table aims at loopback.
        'instantChecks.allowPrivateTargets': true,
        services: [
          { slug: 'x', name: 'X', url: 'https://x.com', category: 'social' },
          { slug: 'hist', name: 'Hist', url: 'https://hist.example' },
        ],
        subscriptions: { smtp: { host: '127.0.0.1', port: smtp.port, from: 'status@contract.example' } },
        alerts: { channels: [{ name: 'cfg-slack', type: 'slack', url: 'https://hooks.slack.com/services/T0/B0/secret' }], rules: [{ service: '*', channels: ['cfg-slack'] }] },
      },
    });
    server = await startServer(config, {
      ...(db.name === 'postgres' ? { pgSchema: `sw_test_${randomBytes(6).toString('hex')}` } : {}),
      instrument: (app) => {
        app.addHook('onRoute', (route) => {
          for (const method of [route.method].flat()) routes.push({ method, url: route.url });
        });
        // What each handler returned, before the response schema serialised it.
        app.addHook('preSerialization', async (request, _reply, payload) => {
          raw.set(`${request.method} ${request.url}`, payload);
          return payload;
        });
      },
    });
    const res = await fetch(`${server.url}/api/docs/json`);
    expect(res.status).toBe(200);
    doc = (await res.json()) as OpenApi;
    deref = (await SwaggerParser.dereference(structuredClone(doc) as never)) as unknown as OpenApi;
  }, 120_000);

  afterAll(async () => {
    if (server) {
      const schema = db.name === 'postgres' ? (await server.store.db.get<{ s: string }>('SELECT current_schema() AS s'))?.s : undefined;
      if (schema?.startsWith('sw_test_')) await server.store.db.exec(`DROP SCHEMA "${schema}" CASCADE`);
      await server.close();
    }
    await smtp?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves a valid OpenAPI 3.1 document, as JSON and as YAML', async () => {
    await SwaggerParser.validate(structuredClone(doc) as never);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.license?.name).toBe('MIT');
    expect(doc.servers?.length).toBeGreaterThan(0);
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['adminToken', 'agentToken']);
    const yaml = await fetch(`${server.url}/api/docs/yaml`);
    expect(yaml.status).toBe(200);
    expect(YAML.parse(await yaml.text())).toEqual(doc);
  });

  it('gives every operation an id, tags, a summary, its security, a success answer and the error body on its 4xx', () => {
    const ops = [...operations(doc).values()];
    expect(new Set(ops.map((o) => o.operationId)).size).toBe(ops.length);
    for (const op of ops) {
      const where = `${op.method} ${op.path}`;
      expect(op.operationId, where).toMatch(/^[a-z][A-Za-z0-9]+$/);
      expect(op.tags?.length, `${where} tags`).toBeGreaterThan(0);
      expect(op.summary, `${where} summary`).toBeTruthy();
      expect(Array.isArray(op.security), `${where} security`).toBe(true);
      const statuses = Object.keys(op.responses);
      expect(statuses.filter((s) => s.startsWith('2')), `${where} success`).toHaveLength(1);
      if (op.method === 'DELETE') expect(statuses, where).toContain('204');
      for (const s of statuses.filter((c) => Number(c) >= 400)) {
        expect(op.responses[s].content?.['application/json']?.schema, `${where} ${s}`).toEqual({ $ref: '#/components/schemas/ErrorBody' });
      }
      if (op.security?.some((r) => Object.keys(r).length > 0)) expect(statuses, `${where} is protected`).toContain('401');
    }
  });

  it('says for every time field of every answer which form it has', () => {
    const bad: string[] = [];
    const walk = (schema: unknown, at: string): void => {
      if (typeof schema !== 'object' || schema === null) return;
      const s = schema as Record<string, unknown>;
      for (const [name, prop] of Object.entries((s.properties as Record<string, Record<string, unknown>>) ?? {})) {
        const numeric = prop.type === 'integer' || prop.type === 'number' || ((prop.anyOf as Record<string, unknown>[] | undefined)?.some((f) => f.type === 'integer') ?? false);
        if ((numeric && /(^|_)(at|t|now|from|to|start|end|date)$|At$|_unix$/.test(name)) || /At$|_at$/.test(name)) {
          const forms = [prop, ...((prop.anyOf as Record<string, unknown>[]) ?? [])];
          const named = forms.some((f) => f.format === 'date-time' || f.format === 'date' || /epoch milliseconds|Unix seconds/.test(String(f.description ?? '')));
          if (!named) bad.push(`${at}.${name}`);
        }
      }
      for (const v of Object.values(s)) walk(v, at);
    };
    for (const op of operations(deref).values()) {
      for (const [status, r] of Object.entries(op.responses)) walk(r.content?.['application/json']?.schema, `${op.operationId} ${status}`);
    }
    expect(bad).toEqual([]);
  });

  it('documents every route the app registers (except the documentation and the static files)', () => {
    const documented = new Set([...operations(doc).values()].map((o) => `${o.method} ${o.path}`));
    const gets = new Set(routes.filter((r) => r.method === 'GET').map((r) => r.url));
    const missing = routes
      .filter((r) => !(r.method === 'HEAD' && gets.has(r.url)))
      .filter((r) => !NOT_DOCUMENTED.some((n) => n.test(r.url)))
      .map((r) => `${r.method} ${openApiPath(r.url)}`)
      .filter((r) => !documented.has(r));
    expect(missing).toEqual([]);
    expect(routes.length).toBeGreaterThan(documented.size);
  });

  it('has a row in the drive table for every documented operation, and none for an unknown one', () => {
    expect(Object.keys(steps).sort()).toEqual([...operations(doc).keys()].sort());
  });

  it('drives every operation with valid and bad input; each answer is documented and matches its schema', async () => {
    const ops = operations(deref);
    const linkKey = (await server.store.settings.get('subscription_link_key')) ?? '';
    const ctx: Ctx = { seeded: await seedHistory(server.store, Date.now()), now: Date.now(), checkId: '', agentId: '', agentToken: '', instantId: '', ruleId: '', operatorIncidentId: '', maintenanceId: '', subscriberId: '', linkKey };
    for (const [id, step] of Object.entries(steps)) {
      const op = ops.get(id);
      if (!op) throw new Error(`no operation ${id} in the document`);
      const body = await drive(op, step.ok(ctx), ctx, 'ok');
      step.then?.(body as Record<string, unknown>, ctx);
      for (const more of step.more?.(ctx) ?? []) await drive(op, more, ctx, 'ok');
      // Without a token: 401; with a wrong token on an operation where the token is optional: 401.
      const optional = op.security?.some((r) => Object.keys(r).length === 0) ?? false;
      const bad = step.bad ?? (isProtected(op) ? (c: Ctx) => ({ ...step.ok(c), auth: optional ? ('wrong' as const) : ('none' as const) }) : undefined);
      const has4xx = Object.keys(op.responses).some((s) => s.startsWith('4'));
      if (bad === undefined) throw new Error(`${id}: documents ${has4xx ? 'a 4xx' : 'no 4xx'}; give its row a bad call or say why there is none`);
      if (typeof bad === 'function') await drive(op, bad(ctx), ctx, 'bad');
      else expect(bad.none.length, id).toBeGreaterThan(10);
    }
  }, 120_000);

  const isProtected = (op: Operation): boolean => op.security?.some((r) => Object.keys(r).length > 0) ?? false;

  async function drive(op: Operation, call: Call, ctx: Ctx, kind: 'ok' | 'bad'): Promise<unknown> {
    const url = op.path.replace(/\{(\w+)\}/g, (_, k: string) => {
      const v = call.params?.[k];
      if (v === undefined) throw new Error(`${op.operationId}: no value for path parameter ${k}`);
      return encodeURIComponent(v);
    });
    const target = `${url}${call.query ? `?${new URLSearchParams(call.query)}` : ''}`;
    const headers: Record<string, string> = { ...call.headers };
    const security = op.security ?? [];
    const auth = call.auth ?? (security.some((r) => 'agentToken' in r) ? 'agent' : security.some((r) => 'adminToken' in r) ? 'admin' : 'none');
    if (auth === 'admin') headers.authorization = `Bearer ${ADMIN}`;
    if (auth === 'agent') headers.authorization = `Bearer ${ctx.agentToken}`;
    if (auth === 'wrong') headers.authorization = 'Bearer not-the-token-0123456789';
    let body: string | undefined;
    if (call.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(call.json);
    } else if (call.body !== undefined) {
      headers['content-type'] = call.contentType ?? 'text/plain';
      body = call.body;
    }
    const where = `${op.operationId} (${kind}) ${op.method} ${target}`;
    raw.clear();
    const abort = new AbortController();
    const res = await fetch(`${server.url}${target}`, { method: op.method, headers, body, signal: abort.signal });
    const status = String(res.status);
    const documented = op.responses[status];
    const text = await readSome(res, abort);
    expect(documented, `${where} answered ${status}, which is not documented: ${text.slice(0, 300)}`).toBeDefined();
    expect(kind === 'ok' ? res.status < 300 : res.status >= 400 && res.status < 500, `${where} answered ${status}: ${text.slice(0, 300)}`).toBe(true);
    for (const name of Object.keys((documented as { headers?: Record<string, unknown> }).headers ?? {})) {
      expect(res.headers.get(name), `${where}: documented header ${name}`).not.toBeNull();
    }
    if (!documented.content) {
      expect(text, where).toBe('');
      return undefined;
    }
    const [mediaType, media] = Object.entries(documented.content)[0];
    const contentType = res.headers.get('content-type') ?? '';
    expect(contentType.split(';')[0], where).toBe(mediaType.split(';')[0]);
    if (mediaType !== 'application/json') {
      expect(text.length, where).toBeGreaterThan(0);
      return text;
    }
    const json: unknown = JSON.parse(text);
    const validate = ajv.compile(media.schema ?? {});
    expect(validate(json) ? [] : validate.errors, `${where} body does not match its schema: ${text.slice(0, 500)}`).toEqual([]);
    // The serialiser writes only what the schema names: compare with what the handler returned.
    const key = `${op.method} ${target}`;
    // 414 comes from the router before any route (and its hooks) runs.
    if (res.status === 414) return json;
    expect(raw.has(key), `${where}: no payload recorded`).toBe(true);
    expect(json, `${where}: the answer lost or changed fields of the handler's value`).toEqual(JSON.parse(JSON.stringify(raw.get(key))));
    return json;
  }
});

/** The body, or for an endless stream (Server-Sent Events) its first chunk. */
async function readSome(res: Response, abort: AbortController): Promise<string> {
  if (!(res.headers.get('content-type') ?? '').startsWith('text/event-stream')) return res.text();
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const { value } = await reader.read();
  abort.abort();
  await reader.cancel().catch(() => undefined);
  return new TextDecoder().decode(value);
}

describe('the API reference page', () => {
  it('loads in Chromium and shows every operation, without "Failed to load API definition"', async () => {
    const config = loadConfig({ env: {}, overrides: { 'server.port': 0, 'server.host': '127.0.0.1', 'server.logLevel': 'silent', 'database.url': 'sqlite::memory:', adminToken: ADMIN, 'probes.localAgent': false } });
    const server = await startServer(config);
    const browser = await launchBrowser();
    try {
      const count = Object.values(((await (await fetch(`${server.url}/api/docs/json`)).json()) as OpenApi).paths).reduce((n, m) => n + Object.keys(m).length, 0);
      const page = await browser.newPage();
      const errors = watchErrors(page);
      await page.goto(`${server.url}/api/docs`);
      await page.locator('.opblock').first().waitFor({ timeout: 30_000 });
      await expect.poll(() => page.locator('.opblock').count(), { timeout: 10_000 }).toBe(count);
      expect(await page.content()).not.toContain('Failed to load API definition');
      await screenshot(page, 'api-docs');
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      await server.close();
    }
  }, 60_000);
});
