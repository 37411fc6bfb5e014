import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, watchErrors } from '../web/browser.js';
import { ADMIN_TOKEN, startTestServer } from '../web/server-harness.js';

const MIN = 60_000;

/**
 * What a page elsewhere would build: it reads the Statuspage v2 API of the Stormwatch server
 * (another origin) from the visitor's browser, as Statuspage's widgets and status aggregators
 * do, and writes what it found into the page. The script is a string: the file is type-checked
 * with Node's types, not the DOM's.
 */
const consumerPage = (api: string): string => `<!doctype html><html><head><title>consumer</title></head><body><pre id="out">loading</pre><script>
(async () => {
  const read = async (path) => {
    const res = await fetch(${JSON.stringify(api)} + path);
    return { status: res.status, body: await res.json() };
  };
  const out = {};
  for (const path of ['/api/v2/summary.json', '/api/v2/scheduled-maintenances.json', '/api/v2/scheduled-maintenances/upcoming.json', '/api/v2/scheduled-maintenances/active.json']) out[path] = await read(path);
  // What the page may not do: read an admin route with a token it got hold of.
  try {
    await fetch(${JSON.stringify(api)} + '/api/v1/subscribers', { headers: { authorization: 'Bearer ${ADMIN_TOKEN}' } });
    out.admin = 'read';
  } catch (e) {
    out.admin = 'blocked';
  }
  document.getElementById('out').textContent = JSON.stringify(out);
})().catch((e) => { document.getElementById('out').textContent = 'error: ' + e; });
</script></body></html>`;

interface Read<T> { status: number; body: T }
interface Component { id: string; name: string; status: string; group: boolean; group_id: string | null }
interface Maintenance { id: string; name: string; status: string; scheduled_for: string; components: { id: string }[] }

describe('a Statuspage v2 consumer on another origin, in Chromium', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let consumer: http.Server;
  let consumerUrl: string;
  let browser: Browser;
  const api = (method: string, url: string, body: unknown) =>
    fetch(`${server.url}${url}`, { method, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeAll(async () => {
    server = await startTestServer(undefined, { 'server.publicUrl': 'https://status.acme.example', 'server.pageName': 'Acme status', 'probes.localAgent': false });
    for (const s of [
      { slug: 'shop', name: 'Acme Shop', url: 'https://shop.acme.example', category: 'Storefront' },
      { slug: 'checkout', name: 'Acme Checkout', url: 'https://pay.acme.example', category: 'Storefront' },
      { slug: 'blog', name: 'Acme Blog', url: 'https://blog.acme.example' },
    ]) expect((await api('POST', '/api/v1/services', s)).status).toBe(201);
    expect((await api('POST', '/api/v1/incidents', { title: 'Checkout is slow', impact: 'minor', services: ['checkout'], update: { status: 'investigating', body: 'Looking into it.' } })).status).toBe(201);
    const now = Date.now();
    expect((await api('POST', '/api/v1/maintenances', { title: 'Database upgrade', services: ['shop'], startsAt: now - MIN, endsAt: now + 60 * MIN })).status).toBe(201);
    expect((await api('POST', '/api/v1/maintenances', { title: 'Network work', services: ['blog'], startsAt: now + 86_400_000, endsAt: now + 86_400_000 + 60 * MIN })).status).toBe(201);

    // Another loopback origin: localhost and a port of its own.
    consumer = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(consumerPage(server.url)));
    await new Promise<void>((resolve) => consumer.listen(0, '127.0.0.1', resolve));
    consumerUrl = `http://localhost:${(consumer.address() as AddressInfo).port}/`;
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (consumer ? consumer.close(() => resolve()) : resolve()));
    await server?.close();
  });

  it('reads summary.json and the maintenance endpoints cross-origin; an admin read stays blocked', async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(consumerUrl);
    expect(new URL(page.url()).origin).not.toBe(new URL(server.url).origin);
    await page.waitForFunction("document.getElementById('out').textContent !== 'loading'", undefined, { timeout: 15_000 });
    const text = await page.locator('#out').innerText();
    expect(text).not.toMatch(/^error/);
    const out = JSON.parse(text) as Record<string, Read<Record<string, unknown>>> & { admin: string };

    const summary = out['/api/v2/summary.json'] as Read<{ page: { name: string; url: string }; components: Component[]; incidents: { name: string; status: string }[]; scheduled_maintenances: Maintenance[]; status: { indicator: string; description: string } }>;
    expect(summary.status).toBe(200);
    expect(summary.body.page).toMatchObject({ name: 'Acme status', url: 'https://status.acme.example' });
    expect(summary.body.status).toEqual({ indicator: 'minor', description: 'Minor Service Outage' });
    expect(summary.body.components.map((c) => [c.id, c.status, c.group_id])).toEqual([
      ['blog', 'operational', null],
      ['category:storefront', 'degraded_performance', null],
      ['checkout', 'degraded_performance', 'category:storefront'],
      ['shop', 'under_maintenance', 'category:storefront'],
    ]);
    expect(summary.body.incidents.map((i) => [i.name, i.status])).toEqual([['Checkout is slow', 'investigating']]);
    expect(summary.body.scheduled_maintenances.map((m) => [m.name, m.status])).toEqual([['Database upgrade', 'in_progress'], ['Network work', 'scheduled']]);

    const names = (path: string) => (out[path] as Read<{ scheduled_maintenances: Maintenance[] }>).body.scheduled_maintenances.map((m) => m.name);
    expect(out['/api/v2/scheduled-maintenances.json'].status).toBe(200);
    expect(names('/api/v2/scheduled-maintenances.json')).toEqual(['Network work', 'Database upgrade']);
    expect(names('/api/v2/scheduled-maintenances/upcoming.json')).toEqual(['Network work']);
    expect(names('/api/v2/scheduled-maintenances/active.json')).toEqual(['Database upgrade']);
    expect(out.admin).toBe('blocked');
    expect(errors).toEqual([]);
    await page.close();
  });
});
