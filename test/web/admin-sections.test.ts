import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, watchErrors } from './browser.js';
import { ensureWebBuilt } from './build-web.js';
import { ADMIN_TOKEN, startTestServer } from './server-harness.js';

const WAIT = { timeout: 15_000 };

/**
 * The rest of the admin area in Debian's Chromium against the real server: services, checks,
 * alert channels and rules, webhook subscribers, each added and removed from the browser,
 * and each change checked through the API.
 */
describe('the admin area manages services, checks, alerts and subscribers', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const dialogs: string[] = [];
  const get = async <T>(url: string): Promise<T> => (await (await fetch(`${server.url}${url}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as T;

  beforeAll(async () => {
    ensureWebBuilt();
    server = await startTestServer(undefined, { 'probes.localAgent': false });
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    errors = watchErrors(page);
    // Deleting asks for confirmation.
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.accept();
    });
    await page.goto(`${server.url}/admin`);
    await page.locator('[data-testid=sign-in] input[name=token]').fill(ADMIN_TOKEN);
    await page.locator('[data-testid=sign-in] button[type=submit]').click();
    await page.locator('h1', { hasText: 'Admin' }).waitFor(WAIT);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const section = async (label: string): Promise<void> => {
    await page.locator('nav[aria-label="Admin sections"] a', { hasText: label }).click();
  };
  const form = (button: string) => page.locator('form', { has: page.locator('button[type=submit]', { hasText: button }) });

  it('adds a service and removes it', async () => {
    await section('Services');
    const f = form('Add service');
    await f.locator('input[name=slug]').fill('shop');
    await f.locator('input[name=name]').fill('Acme Shop');
    await f.locator('input[name=url]').fill('https://shop.acme.example');
    await f.locator('input[name=category]').fill('Storefront');
    await f.locator('button[type=submit]').click();
    await f.locator('[role=status].ok').waitFor(WAIT);
    expect(await get<{ slug: string; name: string; category: string }>('/api/v1/services/shop')).toMatchObject({ slug: 'shop', name: 'Acme Shop', category: 'Storefront' });
    const item = page.locator('.admin-item', { hasText: 'Acme Shop' });
    await item.waitFor(WAIT);
    await f.locator('input[name=slug]').fill('blog');
    await f.locator('input[name=name]').fill('Acme Blog');
    await f.locator('input[name=url]').fill('https://blog.acme.example');
    await f.locator('button[type=submit]').click();
    await page.locator('.admin-item', { hasText: 'Acme Blog' }).waitFor(WAIT);
    await page.locator('.admin-item', { hasText: 'Acme Blog' }).locator('button', { hasText: 'Delete' }).click();
    await expect.poll(async () => (await get<{ services: { slug: string }[] }>('/api/v1/services')).services.map((s) => s.slug), WAIT).toEqual(['shop']);
    expect(dialogs).toEqual(['Delete Acme Blog and all its reports?']);
    await page.locator('[role=status].ok', { hasText: 'Deleted Acme Blog.' }).waitFor(WAIT);
  });

  it('adds a check for the service and removes it', async () => {
    await section('Checks');
    const f = form('Add check');
    await f.locator('input[name=name]').fill('shop-home');
    await f.locator('select[name=service]').selectOption('shop');
    await f.locator('select[name=type]').selectOption('tcp');
    await f.locator('input[name=interval]').fill('1h');
    await f.locator('input[name=target]').fill('127.0.0.1:9');
    await f.locator('button[type=submit]').click();
    await f.locator('[role=status].ok').waitFor(WAIT);
    const { checks } = await get<{ checks: { id: string; name: string; service?: string; type: string }[] }>('/api/v1/checks');
    expect(checks.find((c) => c.name === 'shop-home')).toMatchObject({ service: 'shop', type: 'tcp' });
    const item = page.locator('.admin-item', { hasText: 'shop-home' });
    await item.waitFor(WAIT);
    await item.locator('button').last().click();
    await expect.poll(async () => (await get<{ checks: { name: string }[] }>('/api/v1/checks')).checks.map((c) => c.name), WAIT).not.toContain('shop-home');
  });

  it('adds an alert channel and a rule, and removes them', async () => {
    await section('Alerts');
    const channel = form('Add channel');
    await channel.locator('input[name=name]').fill('ops-hook');
    await channel.locator('input[name=url]').fill('http://127.0.0.1:9/hook');
    await channel.locator('button[type=submit]').click();
    await channel.locator('[role=status].ok').waitFor(WAIT);
    expect((await get<{ channels: { name: string; type: string }[] }>('/api/v1/alerts/channels')).channels).toContainEqual(expect.objectContaining({ name: 'ops-hook', type: 'webhook' }));
    const rule = form('Add rule');
    await rule.locator('input[name=service]').fill('shop');
    await rule.locator('input[name=channels]').fill('ops-hook');
    await rule.locator('button[type=submit]').click();
    await rule.locator('[role=status].ok').waitFor(WAIT);
    const { rules } = await get<{ rules: { id: string; service: string; channels: string[]; on: string[] }[] }>('/api/v1/alerts/rules');
    expect(rules).toContainEqual(expect.objectContaining({ service: 'shop', channels: ['ops-hook'], on: ['open', 'close'] }));
    const rules$ = page.locator('section[aria-labelledby=rules-title] li', { hasText: 'ops-hook' });
    await rules$.first().waitFor(WAIT);
    await rules$.first().locator('button', { hasText: 'Remove' }).click();
    await expect.poll(async () => (await get<{ rules: unknown[] }>('/api/v1/alerts/rules')).rules, WAIT).toEqual([]);
    await page.locator('section[aria-labelledby=channels-title] li', { hasText: 'ops-hook' }).locator('button', { hasText: 'Remove' }).click();
    await expect.poll(async () => (await get<{ channels: { name: string }[] }>('/api/v1/alerts/channels')).channels.map((c) => c.name), WAIT).not.toContain('ops-hook');
  });

  it('adds a webhook subscriber, shown masked, and removes it', async () => {
    await section('Subscribers');
    const f = form('Add webhook');
    await f.locator('input[name=url]').fill('https://hooks.acme.example/status/secret-path');
    await f.locator('input[name=scope]').fill('shop');
    await f.locator('button[type=submit]').click();
    await f.locator('[role=status].ok').waitFor(WAIT);
    const item = page.locator('section[aria-labelledby=subscribers-title] li').first();
    await item.waitFor(WAIT);
    expect(await page.locator('section[aria-labelledby=subscribers-title]').innerText()).not.toContain('secret-path');
    expect((await get<{ confirmed: number }>('/api/v1/subscribers')).confirmed).toBe(1);
    await item.locator('button').last().click();
    await expect.poll(async () => (await get<{ subscribers: unknown[] }>('/api/v1/subscribers')).subscribers, WAIT).toEqual([]);
    // Only the service's delete asks first.
    expect(dialogs).toHaveLength(1);
    expect(errors).toEqual([]);
  });
});
