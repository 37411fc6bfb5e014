import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toErrorBody, type App } from '../../src/api/app.js';
import { ErrorBody } from '../../src/api/common-schemas.js';
import { createWebStaticRoutes, SPA_ROUTES } from '../../src/api/web-static.js';
import { MemoryBus } from '../../src/events/bus.js';
import { openStore } from '../../src/store/open.js';
import { ManualClock } from '../../src/time/clock.js';
import { ensureWebBuilt } from './build-web.js';
import { startTestServer } from './server-harness.js';
import { fixedAdminToken } from '../../src/config/admin-token.js';

describe('web dashboard serving', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    ensureWebBuilt();
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it.each(['/', '/services/x', '/status/x', '/incidents', '/incidents/abc'])('answers %s with the page shell and the server clock, never cached', async (p) => {
    const res = await fetch(server.url + p);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('<div id="app">');
    const t = Number(/name="stormwatch-server-time" content="(\d+)"/.exec(html)?.[1]);
    expect(Math.abs(t - Date.now())).toBeLessThan(5_000);
  });

  it('serves hashed assets precompressed and cacheable for a year', async () => {
    const html = await (await fetch(server.url + '/')).text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const res = await fetch(server.url + script, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    // fetch decodes gzip itself; the encoding header shows the .gz sibling was sent.
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect((await res.text()).length).toBeGreaterThan(1000);
  });

  it('does not shadow the API, health or unknown paths: those stay JSON', async () => {
    const api = await fetch(server.url + '/api/v1/no-such-thing');
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ error: 'not_found' });
    const health = await fetch(server.url + '/healthz');
    expect(await health.json()).toEqual({ status: 'ok' });
    const other = await fetch(server.url + '/services/x/extra');
    expect(other.status).toBe(404);
    expect(other.headers.get('content-type')).toMatch(/json/);
    const asset = await fetch(server.url + '/assets/missing.js');
    expect(asset.status).toBe(404);
    expect(await asset.json()).toMatchObject({ error: 'not_found' });
  });

  it('answers the server clock for windows computed in event time', async () => {
    const res = await fetch(server.url + '/api/v1/time');
    const body = (await res.json()) as { now: string; epochMs: number };
    expect(Math.abs(body.epochMs - Date.now())).toBeLessThan(5_000);
    expect(Date.parse(body.now)).toBe(body.epochMs);
  });
});

describe('before the dashboard is built', () => {
  it('answers the page routes with a 404 JSON error naming the fix', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'stormwatch-noweb-'));
    const app = Fastify() as unknown as App;
    app.addSchema(ErrorBody);
    app.setErrorHandler((err, _req, reply) => {
      const { status, body } = toErrorBody(err as Error);
      void reply.status(status).send(body);
    });
    const store = await openStore('sqlite::memory:');
    await createWebStaticRoutes(empty)(app, { store, bus: new MemoryBus(), clock: new ManualClock(0), adminToken: fixedAdminToken('x'.repeat(20)) });
    for (const route of SPA_ROUTES) {
      const res = await app.inject({ method: 'GET', url: route.replace(':slug', 'x').replace(':id', '1') });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ error: 'dashboard_not_built' });
    }
    await app.close();
    await store.close();
    fs.rmSync(empty, { recursive: true, force: true });
  });
});

it('gzip siblings decode to the asset itself', () => {
  ensureWebBuilt();
  const dir = fileDir();
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.js'))) {
    expect(zlib.gunzipSync(fs.readFileSync(path.join(dir, `${name}.gz`))).equals(fs.readFileSync(path.join(dir, name)))).toBe(true);
  }
});

function fileDir(): string {
  return new URL('../../dist/web/assets', import.meta.url).pathname;
}
