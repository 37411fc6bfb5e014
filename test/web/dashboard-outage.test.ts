import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ManualClock } from '../../src/time/clock.js';
import { launchBrowser, screenshot, watchErrors } from './browser.js';
import { ensureWebBuilt } from './build-web.js';
import { createService, setCategory } from './seed.js';
import { startTestServer } from './server-harness.js';
import { seedXOutageUntil } from './x-outage.js';

/**
 * The dashboard while the X outage is under way: the server clock stands at 17:00 UTC on
 * 10 March 2025 (13:00 ET, the major disruption) and only the reports up to then exist.
 */
const NOW = Date.parse('2025-03-10T17:00:00Z');

describe('dashboard during the X outage', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  beforeAll(async () => {
    ensureWebBuilt();
    server = await startTestServer(new ManualClock(NOW));
    await createService(server.url, 'github', 'GitHub');
    await seedXOutageUntil(server.url, NOW);
    await createService(server.url, 'slack', 'Slack');
    await setCategory(server.url, 'x', 'Social media');
    await createService(server.url, 'mastodon', 'Mastodon', 'https://mastodon.example', 'Social media');
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(path: string): Promise<{ page: Page; errors: string[] }> {
    const page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    const errors = watchErrors(page);
    await page.goto(server.url + path);
    return { page, errors };
  }

  it('the API sees an open incident and a non-operational status', async () => {
    const body = (await (await fetch(`${server.url}/api/v1/services/x/status`)).json()) as { status: string };
    expect(['degraded_performance', 'major_outage']).toContain(body.status);
  });

  it('home puts the service in trouble first, with its status in words', async () => {
    const { page, errors } = await open('/');
    const first = page.locator('[data-testid=service-list] li').first();
    await first.waitFor();
    await expect.poll(() => first.getAttribute('data-slug')).toBe('x');
    expect(['degraded_performance', 'major_outage']).toContain(await first.getAttribute('data-status'));
    expect(await first.innerText()).toMatch(/Incident ongoing/);
    expect(await first.innerText()).toMatch(/Major outage|Degraded/);
    await screenshot(page, 'home-outage');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('service page shades the ongoing phase up to now', async () => {
    const { page, errors } = await open('/services/x');
    const chart = page.locator('[data-testid=report-chart][data-render-ms]');
    await chart.waitFor();
    await expect.poll(async () => Number(await page.locator('[data-testid=report-chart]').getAttribute('data-phases'))).toBeGreaterThanOrEqual(3);
    await expect.poll(() => page.locator('[data-testid=incident-timeline] li[data-status=open]').count()).toBe(1);
    await expect.poll(() => page.locator('[data-testid=region-map] path.shaded').count()).toBeGreaterThan(3);
    const file = await screenshot(page, 'service-outage');
    expect(fs.statSync(file).size).toBeGreaterThan(10_000);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('status page shows the open incident under a non-operational banner', async () => {
    const { page, errors } = await open('/status/x');
    const banner = page.locator('[data-testid=status-banner]');
    await banner.waitFor();
    expect(['degraded_performance', 'major_outage']).toContain(await banner.getAttribute('data-status'));
    await expect.poll(() => page.locator('#open-title + [data-testid=incident-timeline] > li').count()).toBe(1);
    await screenshot(page, 'status-outage');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a group status page (/status/<category>) covers every service of the category', async () => {
    const { page, errors } = await open('/status/social-media');
    const banner = page.locator('[data-testid=status-banner]');
    await banner.waitFor();
    expect(await page.locator('h1').innerText()).toBe('Social media status');
    expect(['degraded_performance', 'major_outage']).toContain(await banner.getAttribute('data-status'));
    expect(await page.locator('[data-testid=components] li').count()).toBe(2);
    await expect.poll(() => page.locator('#open-title + [data-testid=incident-timeline] > li').count()).toBe(1);
    await screenshot(page, 'status-group');
    const missing = await open('/status/no-such-thing');
    // The heading shows the slug until the page's fetch answers 404: wait for the answer.
    await expect.poll(() => missing.page.locator('h1').innerText()).toBe('Status page not found');
    expect(errors).toEqual([]);
    await page.context().close();
    await missing.page.context().close();
  });
});
