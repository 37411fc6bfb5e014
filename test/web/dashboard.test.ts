import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ManualClock } from '../../src/time/clock.js';
import { launchBrowser, screenshot, watchErrors } from './browser.js';
import { ensureWebBuilt } from './build-web.js';
import { seedXOutage, X_SCENARIO_END } from './x-outage.js';
import { ADMIN_TOKEN, startTestServer } from './server-harness.js';

// Page-side expressions are passed as strings: this file is type-checked with Node's types, not the DOM's.

/**
 * The dashboard in Debian's Chromium against the real server (temporary SQLite, loopback),
 * seeded by the simulator with the X outage of 10 March 2025. The server clock stands at the
 * end of that day (UTC), so "the last 24 hours" holds the whole outage.
 */
const NOW = X_SCENARIO_END;

describe('dashboard in a real browser', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  beforeAll(async () => {
    ensureWebBuilt();
    server = await startTestServer(new ManualClock(NOW));
    await seedXOutage(server.url, ADMIN_TOKEN);
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(path: string, opts: { width?: number; height?: number; dark?: boolean } = {}): Promise<{ page: Page; errors: string[] }> {
    const ctx = await browser.newContext({ viewport: { width: opts.width ?? 1200, height: opts.height ?? 900 }, colorScheme: opts.dark ? 'dark' : 'light' });
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await page.goto(server.url + path);
    return { page, errors };
  }

  it('home lists every service with the status the API gives', async () => {
    const api = (await (await fetch(`${server.url}/api/v1/services`)).json()) as unknown;
    const list = (Array.isArray(api) ? api : (api as { services: unknown[] }).services) as { slug: string; status?: unknown }[];
    const { page, errors } = await open('/');
    const rows = page.locator('[data-testid=service-list] li');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(list.length);
    const x = page.locator('li[data-slug=x]');
    await x.waitFor();
    const shown = await x.getAttribute('data-status');
    const apiX = (await (await fetch(`${server.url}/api/v1/services/x`)).json()) as { status?: unknown; service?: { status?: unknown } };
    expect(shown).toBe(apiX.status ?? apiX.service?.status ?? 'operational');
    await expect.poll(() => page.locator('svg.sparkline polyline').count()).toBeGreaterThan(0);
    await page.fill('[data-testid=search]', 'zzz-no-match');
    expect(await rows.count()).toBe(0);
    await page.fill('[data-testid=search]', '');
    await screenshot(page, 'home');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('service page: chart with data and incident shading, breakdown with the scenario percentages, shaded map', async () => {
    const { page, errors } = await open('/services/x');
    const chart = page.locator('[data-testid=report-chart][data-render-ms]');
    await chart.waitFor();
    expect(Number(await chart.getAttribute('data-total'))).toBeGreaterThan(1000);
    await expect.poll(async () => Number(await page.locator('[data-testid=report-chart]').getAttribute('data-phases'))).toBeGreaterThanOrEqual(1);

    const app = page.locator('[data-testid=breakdown] li[data-problem=app]');
    await app.waitFor();
    expect(Number(await app.getAttribute('data-percent'))).toBeGreaterThanOrEqual(54);
    expect(Number(await app.getAttribute('data-percent'))).toBeLessThanOrEqual(59);
    const website = Number(await page.locator('[data-testid=breakdown] li[data-problem=website]').getAttribute('data-percent'));
    expect(website).toBeGreaterThanOrEqual(31);
    expect(website).toBeLessThanOrEqual(35);
    await expect.poll(() => page.locator('[data-testid=breakdown]').innerText()).toMatch(/5[4-9]%\s*app/);

    await expect.poll(() => page.locator('[data-testid=region-map] path.shaded').count()).toBeGreaterThan(3);
    await screenshot(page, 'service');
    await page.getByRole('button', { name: 'US states' }).click();
    await expect.poll(() => page.locator('[data-testid=region-map][data-view=us] path.shaded').count()).toBeGreaterThan(3);
    // The coasts carry the outage: California and New York are in the darkest classes.
    const ca = await page.locator('[data-testid=region-map] path[data-count]').evaluateAll((ps) =>
      ps.map((p) => ({ name: p.querySelector('title')?.textContent ?? '', cls: p.getAttribute('class') ?? '' })).filter((p) => /^(California|New York):/.test(p.name)),
    );
    expect(ca.length).toBe(2);
    for (const s of ca) expect(s.cls).toMatch(/level-[45]/);
    await screenshot(page, 'service-us-states');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('"I have a problem" is counted live on another open page, and a repeat is told its first report counts', async () => {
    const watcher = await open('/services/x');
    const chart = watcher.page.locator('[data-testid=report-chart][data-render-ms]');
    await chart.waitFor();
    const before = Number(await chart.getAttribute('data-total'));

    const { page, errors } = await open('/services/x');
    await page.locator('[data-testid=report-chart][data-render-ms]').waitFor();
    await page.getByRole('button', { name: /I have a problem/ }).click();
    await page.getByLabel('Website').check();
    const sent = Date.now();
    await page.getByRole('button', { name: 'Send report' }).click();
    await expect.poll(() => page.locator('[data-testid=report-outcome]').getAttribute('data-kind')).toBe('accepted');
    await expect(page.locator('[data-testid=report-outcome]').innerText()).resolves.toMatch(/counted/);
    // The other page never reloads: the new report reaches it over SSE.
    await expect.poll(async () => Number(await watcher.page.locator('[data-testid=report-chart]').getAttribute('data-total')), { timeout: 5_000, interval: 50 }).toBe(before + 1);
    const latency = Date.now() - sent;
    expect(latency).toBeLessThan(1_500);

    await page.getByRole('button', { name: /I have a problem/ }).click();
    await page.getByRole('button', { name: 'Send report' }).click();
    await expect.poll(() => page.locator('[data-testid=report-outcome]').getAttribute('data-kind')).toBe('duplicate');
    await expect(page.locator('[data-testid=report-outcome]').innerText()).resolves.toMatch(/already reported .*first report counts/);
    await screenshot(page, 'service-duplicate-report');
    expect(errors).toEqual([]);
    await page.context().close();
    await watcher.page.context().close();
  });

  it('status page shows the incident, the uptime bars and the current status', async () => {
    const { page, errors } = await open('/status/x');
    await page.locator('[data-testid=status-banner]').waitFor();
    await expect.poll(() => page.locator('[data-testid=incident-timeline] > li').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('.uptime-day').count()).toBe(90);
    await expect.poll(() => page.locator('.uptime-day.major, .uptime-day.partial, .uptime-day.minor').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('[data-testid=uptime-percent]').innerText()).toMatch(/^\d+\.\d\d% uptime$/);
    await screenshot(page, 'status');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('incidents list and detail show phases, peak, breakdown and regions', async () => {
    const { page, errors } = await open('/incidents');
    const link = page.locator('[data-testid=incident-timeline] a').first();
    await link.waitFor();
    await screenshot(page, 'incidents');
    await link.click();
    await page.locator('table.phase-table tbody tr').first().waitFor();
    expect(await page.locator('table.phase-table tbody tr').count()).toBeGreaterThanOrEqual(1);
    await expect.poll(() => page.locator('[data-testid=breakdown] li').count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-testid=region-map] path.shaded').count()).toBeGreaterThan(0);
    await screenshot(page, 'incident');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('works on a phone in the dark theme, and the toggle and keyboard work', async () => {
    const { page, errors } = await open('/services/x', { width: 390, height: 844, dark: true });
    await page.locator('[data-testid=report-chart][data-render-ms]').waitFor();
    const bg = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    expect(bg).not.toBe('rgb(246, 247, 249)');
    // Nothing wider than the screen.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await screenshot(page, 'service-phone-dark');
    // Keyboard: the first Tab lands on the skip link; the theme toggle and report form work from the keyboard.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to content');
    await page.getByRole('button', { name: /Switch to light theme/ }).focus();
    await page.keyboard.press('Enter');
    expect(await page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(246, 247, 249)');
    await page.getByRole('button', { name: /I have a problem/ }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate('document.activeElement?.name')).toBe('problem');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
