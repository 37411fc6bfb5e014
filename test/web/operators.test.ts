import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ManualClock } from '../../src/time/clock.js';
import { launchBrowser, screenshot, watchErrors } from './browser.js';
import { ensureWebBuilt } from './build-web.js';
import { ADMIN_TOKEN, startTestServer } from './server-harness.js';
import { startSmtpSink } from '../alerts/sinks.js';

// Page-side expressions are passed as strings: this file is type-checked with Node's types, not the DOM's.

/** `STORMWATCH_SCREENSHOTS=docs` also writes the README's pictures (status-page.png, admin.png) to docs/img. */
const DOCS = process.env.STORMWATCH_SCREENSHOTS === 'docs';
const WAIT = { timeout: 15_000 };
const DAY = 86_400_000;
/** The server's clock: history is written in the past, then the test runs at NOW. */
const NOW = Math.floor(Date.now() / 60_000) * 60_000;
/** Past incidents start at 09:00 UTC of their day, so each stays within one UTC day of the uptime bars whatever the hour of the run. */
const dayAt9 = (daysAgo: number) => Math.floor(NOW / DAY) * DAY - daysAgo * DAY + 9 * 3_600_000;

/**
 * The operator's side in Debian's Chromium against the real server: sign in to the admin
 * area, open an incident, post an update, schedule maintenance; a visitor's status page (a
 * second browser context) changes live, and nothing runs from an update's text; the phone
 * layout has no horizontal scroll.
 */
describe('operators in a real browser', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let browser: Browser;
  const api = (method: string, url: string, body?: unknown) =>
    fetch(`${server.url}${url}`, { method, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });

  const clock = new ManualClock(NOW - 30 * DAY);

  beforeAll(async () => {
    ensureWebBuilt();
    // Subscription mails go to a real SMTP server on loopback, so the status page offers the Subscribe form.
    smtp = await startSmtpSink();
    server = await startTestServer(clock, { subscriptions: { smtp: { host: '127.0.0.1', port: smtp.port, from: 'Acme status <status@acme.example>' } } });
    for (const s of [
      { slug: 'shop', name: 'Acme Shop', url: 'https://shop.acme.example', category: 'Storefront', logo: `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#0b5cad"/></svg>')}` },
      { slug: 'checkout', name: 'Acme Checkout', url: 'https://pay.acme.example', category: 'Storefront' },
      { slug: 'blog', name: 'Acme Blog', url: 'https://blog.acme.example' },
    ]) {
      expect((await api('POST', '/api/v1/services', s)).status).toBe(201);
    }
    // Two incidents of the past weeks, for the uptime bars and the history.
    const past = async (at: number, minutes: number, body: Record<string, unknown>) => {
      clock.set(at);
      const res = (await (await api('POST', '/api/v1/incidents', body)).json()) as { incident: { id: string } };
      clock.set(at + minutes * 60_000);
      expect((await api('POST', `/api/v1/incidents/${res.incident.id}/updates`, { status: 'resolved', body: 'Resolved.' })).status).toBe(201);
    };
    await past(dayAt9(12), 180, { title: 'Payments failed', impact: 'critical', services: ['shop', 'checkout'], update: { status: 'investigating', body: 'Card payments fail.' } });
    await past(dayAt9(5), 40, { title: 'Slow search', impact: 'minor', services: ['shop'], update: { status: 'investigating', body: 'Search takes seconds.' } });
    clock.set(NOW);
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await smtp?.close();
  });

  async function open(pathname: string, width = 1200): Promise<{ page: Page; errors: string[] }> {
    const ctx = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await page.goto(server.url + pathname);
    return { page, errors };
  }

  async function shot(page: Page, name: string, readme = false): Promise<void> {
    const file = await screenshot(page, name);
    if (DOCS && readme) fs.copyFileSync(file, path.resolve('docs/img', `${name}.png`));
  }

  const noHorizontalScroll = (page: Page) => page.evaluate('document.documentElement.scrollWidth <= window.innerWidth') as Promise<boolean>;

  it('an operator signs in, opens an incident, posts an update, schedules maintenance; a visitor sees it live', async () => {
    const visitor = await open('/status/shop');
    const banner = visitor.page.locator('[data-testid=status-banner]');
    await banner.waitFor();
    expect(await banner.getAttribute('data-status')).toBe('operational');
    expect(await visitor.page.locator('img.service-logo').count()).toBe(1);
    await visitor.page.waitForFunction("document.documentElement.dataset.live === 'connected'", undefined, WAIT);

    const op = await open('/admin');
    await op.page.locator('[data-testid=sign-in] input[name=token]').fill('not-the-token-0123456789');
    await op.page.locator('[data-testid=sign-in] button[type=submit]').click();
    await op.page.locator('[data-testid=sign-in] [role=status].err').waitFor(WAIT);
    await op.page.locator('[data-testid=sign-in] input[name=token]').fill(ADMIN_TOKEN);
    await op.page.locator('[data-testid=sign-in] button[type=submit]').click();
    await op.page.locator('h1', { hasText: 'Admin' }).waitFor(WAIT);
    // The token is not kept by the page: only an httpOnly cookie.
    expect(await op.page.evaluate('document.cookie')).toBe('');
    const cookies = await op.page.context().cookies();
    expect(cookies.find((c) => c.name === 'sw_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });

    // Open an incident.
    await op.page.locator('details summary', { hasText: 'Open an incident' }).click();
    const form = op.page.locator('[data-testid=new-incident]');
    await form.locator('input[name=title]').fill('Checkout is slow');
    await form.locator('select[name=impact]').selectOption('minor');
    await form.locator('input[name=services][value=shop]').check();
    await form.locator('textarea[name=body]').fill('Pages load **slowly**; we are looking into it.');
    await form.locator('button[type=submit]').click();
    await form.locator('[role=status].ok').waitFor(WAIT);

    await expect.poll(() => visitor.page.locator('#open-title + [data-testid=incident-timeline] > li').count(), WAIT).toBe(1);
    expect(await visitor.page.locator('.uptime-day.major').count()).toBe(1);
    expect(await visitor.page.locator('.uptime-day.minor').count()).toBe(1);
    // Created 30 days ago: the 59 days before have no data.
    expect(await visitor.page.locator('.uptime-day.none').count()).toBe(59);
    await expect.poll(() => banner.getAttribute('data-status'), WAIT).toBe('degraded_performance');
    expect(await visitor.page.locator('[data-testid=latest-update] strong').first().innerText()).toBe('Investigating');
    expect(await visitor.page.locator('[data-testid=latest-update] .markdown strong').innerText()).toBe('slowly');
    await shot(visitor.page, 'status-page', true);

    // Post an update that names the service's new status, with a script in its text.
    const row = op.page.locator('[data-testid=admin-incidents] li', { hasText: 'Checkout is slow' });
    await row.locator('button', { hasText: 'Update' }).click();
    const update = row.locator('[data-testid=post-update]');
    await update.locator('select[name=status]').selectOption('identified');
    await update.locator('textarea[name=body]').fill('A database index was dropped. <img src=x onerror="window.__xss=1"><script>window.__xss=2</script> [details](javascript:window.__xss=3)');
    await update.locator('select[name="status:shop"]').selectOption('partial_outage');
    await update.locator('button[type=submit]').click();
    await update.locator('[role=status].ok').waitFor(WAIT);
    const id = (await row.getAttribute('data-incident')) ?? '';
    await shot(op.page, 'admin', true);

    await expect.poll(() => banner.getAttribute('data-status'), WAIT).toBe('partial_outage');
    await expect.poll(() => visitor.page.locator('[data-testid=latest-update] strong').first().innerText(), WAIT).toBe('Identified');
    expect(await visitor.page.locator('[data-testid=latest-update]').first().innerText()).toContain('A database index was dropped.');
    expect(await visitor.page.evaluate('window.__xss')).toBeUndefined();
    expect(await visitor.page.locator('.markdown img, .markdown script, .markdown a[href^="javascript"]').count()).toBe(0);

    // Schedule maintenance: it is in progress at once, and upcoming once more.
    await op.page.locator('nav[aria-label="Admin sections"] a', { hasText: 'Maintenance' }).click();
    const m = op.page.locator('[data-testid=new-maintenance]');
    await m.waitFor(WAIT);
    const local = (ms: number) => op.page.evaluate(`(() => { const d = new Date(${ms}); d.setMinutes(d.getMinutes() - d.getTimezoneOffset()); return d.toISOString().slice(0, 16); })()`) as Promise<string>;
    await m.locator('input[name=title]').fill('Database upgrade');
    await m.locator('input[name=services][value=shop]').check();
    await m.locator('input[name=startsAt]').fill(await local(NOW - 60_000));
    await m.locator('input[name=endsAt]').fill(await local(NOW + 3_600_000));
    await m.locator('textarea[name=body]').fill('The shop may be **read-only**.');
    await m.locator('button[type=submit]').click();
    await m.locator('[role=status].ok').waitFor(WAIT);
    await m.locator('input[name=title]').fill('Payment provider switch');
    await m.locator('input[name=services][value=shop]').check();
    await m.locator('input[name=startsAt]').fill(await local(NOW + DAY));
    await m.locator('input[name=endsAt]').fill(await local(NOW + DAY + 7_200_000));
    await m.locator('button[type=submit]').click();
    await expect.poll(() => op.page.locator('[data-testid=admin-maintenances] li').count(), WAIT).toBe(2);
    await shot(op.page, 'admin-maintenance');

    await visitor.page.locator('[data-testid=maintenance-active]').waitFor(WAIT);
    await visitor.page.locator('[data-testid=maintenance-upcoming]').waitFor(WAIT);
    // The operator's word still wins over the maintenance until the incident is resolved.
    expect(await banner.getAttribute('data-status')).toBe('partial_outage');
    expect((await api('POST', `/api/v1/incidents/${id}/updates`, { status: 'resolved', body: 'The index is back.' })).status).toBe(201);
    await expect.poll(() => banner.getAttribute('data-status'), WAIT).toBe('under_maintenance');
    await expect.poll(() => visitor.page.locator('#past-title + [data-testid=incident-timeline] > li').count(), WAIT).toBe(3);

    // Removing the upcoming window from the admin list takes it off the visitor's page too.
    await op.page.locator('[data-testid=admin-maintenances] li', { hasText: 'Payment provider switch' }).locator('button', { hasText: 'Remove' }).click();
    await op.page.locator('[data-testid=admin-maintenances] + [role=status].ok', { hasText: 'Removed “Payment provider switch”.' }).waitFor(WAIT);
    expect(await op.page.locator('[data-testid=admin-maintenances] li').allInnerTexts()).toEqual([expect.stringContaining('Database upgrade')]);
    await visitor.page.locator('[data-testid=maintenance-upcoming]').waitFor({ ...WAIT, state: 'detached' });
    await visitor.page.locator('[data-testid=maintenance-active]').waitFor(WAIT);

    await op.page.locator('nav[aria-label="Admin sections"] a', { hasText: 'Incidents' }).click();
    await op.page.locator('[data-testid=admin-incidents] li').first().waitFor(WAIT);
    await shot(op.page, 'admin-incidents');
    // Signing out ends the session: the admin API refuses the cookie.
    await op.page.locator('button', { hasText: 'Sign out' }).click();
    await op.page.locator('[data-testid=sign-in]').waitFor(WAIT);
    expect(await op.page.evaluate(`fetch('/api/v1/subscribers').then((r) => r.status)`)).toBe(401);

    expect(visitor.errors).toEqual([]);
    expect(op.errors).toEqual([]);
    await visitor.page.context().close();
    await op.page.context().close();
  }, 120_000);

  it('a category page is named after the category and makes no failing request', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    const failed: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
    });
    await page.goto(`${server.url}/status/storefront`);
    await page.locator('[data-testid=components] li').first().waitFor(WAIT);
    expect(await page.locator('h1').innerText()).toBe('Storefront status');
    expect(await page.title()).toBe('Storefront status · Stormwatch');
    expect(await page.locator('[data-testid=components] li').count()).toBe(2);
    expect(failed).toEqual([]);
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('at 360 px the status page, the admin area and the incident page fit without horizontal scroll', async () => {
    const status = await open('/status/shop', 360);
    await status.page.locator('[data-testid=status-banner]').waitFor(WAIT);
    await status.page.locator('.uptime-day').first().waitFor(WAIT);
    expect(await status.page.locator('.uptime-day').count()).toBe(90);
    expect(await noHorizontalScroll(status.page)).toBe(true);
    await shot(status.page, 'status-page-phone');
    const adminPage = await open('/admin', 360);
    await adminPage.page.locator('[data-testid=sign-in]').waitFor(WAIT);
    expect(await noHorizontalScroll(adminPage.page)).toBe(true);
    await adminPage.page.locator('input[name=token]').fill(ADMIN_TOKEN);
    await adminPage.page.locator('button[type=submit]').click();
    await adminPage.page.locator('[data-testid=admin-incidents]').waitFor(WAIT);
    await adminPage.page.locator('details summary').click();
    expect(await noHorizontalScroll(adminPage.page)).toBe(true);
    for (const p of [status, adminPage]) {
      expect(p.errors).toEqual([]);
      await p.page.context().close();
    }
  });

  it('a visitor subscribes with the form on the status page, and the link in the mail confirms it', async () => {
    const { page, errors } = await open('/status/shop');
    const form = page.locator('[data-testid=subscribe]');
    await form.waitFor(WAIT);
    await form.locator('input[name=email]').fill('ann@example.com');
    await form.locator('button[type=submit]').click();
    await form.locator('[role=status].ok').waitFor(WAIT);
    await expect.poll(() => smtp.mails.filter((m) => m.to.includes('ann@example.com')).length, WAIT).toBe(1);
    const mail = smtp.mails.find((m) => m.to.includes('ann@example.com'));
    const link = /Confirm your subscription: (\S+)/.exec(mail?.text ?? '')?.[1] ?? '';
    // The link is made from the configured public URL; this server listens elsewhere.
    const url = new URL(link);
    await page.goto(`${server.url}${url.pathname}${url.search}`);
    await page.locator('[data-testid=subscription-result]').waitFor(WAIT);
    expect(await page.locator('[data-testid=subscription-result]').innerText()).toBe('Subscription confirmed');
    const subscribers = (await (await api('GET', '/api/v1/subscribers')).json()) as { confirmed: number; subscribers: { address: string }[] };
    expect(subscribers.confirmed).toBe(1);
    expect(JSON.stringify(subscribers)).not.toContain('ann@example.com');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the subscription page says what a mail link did', async () => {
    const { page, errors } = await open('/subscription?result=confirmed&scope=shop');
    expect(await page.locator('[data-testid=subscription-result]').innerText()).toBe('Subscription confirmed');
    expect(await page.locator('a', { hasText: 'Back to the status page' }).getAttribute('href')).toBe('/status/shop');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
