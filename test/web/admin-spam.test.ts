import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { importScenario } from '../../src/simulate/import-reports.js';
import { spamRotatingUserAgent } from '../../src/simulate/spam.js';
import { ManualClock } from '../../src/time/clock.js';
import { launchBrowser, watchErrors } from './browser.js';
import { ensureWebBuilt } from './build-web.js';
import { ADMIN_TOKEN, startTestServer } from './server-harness.js';

const WAIT = { timeout: 15_000 };

/**
 * Issue 15: a spike from a handful of networks opens no public incident but is shown to the
 * operator. The spam scenario with rotating user agents (three addresses) through the real
 * server, then the admin area in Chromium.
 */
describe('suspected spam in the admin area (Chromium)', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;

  beforeAll(async () => {
    ensureWebBuilt();
    server = await startTestServer(new ManualClock(spamRotatingUserAgent.to + 10 * 60_000));
    await importScenario(spamRotatingUserAgent, { target: server.url, token: ADMIN_TOKEN, scale: 0.1, seed: 11 });
    // The server's own incident runner works through the import on its timer.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const body = (await (await fetch(`${server.url}/api/v1/suspected-spam`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as { suspicions: unknown[] };
      if (body.suspicions.length > 0) break;
      if (Date.now() > deadline) throw new Error('no suspicion after 60 s');
      await new Promise((r) => setTimeout(r, 500));
    }
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lists the spike with its reports, new networks and the threshold; no public incident', async () => {
    expect(((await (await fetch(`${server.url}/api/v1/incidents`)).json()) as { incidents: unknown[] }).incidents).toEqual([]);
    const page = await (await browser.newContext()).newPage();
    const errors = watchErrors(page);
    await page.goto(`${server.url}/admin/spam`);
    await page.locator('[data-testid=sign-in] input[name=token]').fill(ADMIN_TOKEN);
    await page.locator('[data-testid=sign-in] button[type=submit]').click();
    const item = page.locator('[data-testid=admin-spam] li').first();
    await item.waitFor(WAIT);
    const text = (await item.textContent()) ?? '';
    expect(text).toContain('spam');
    expect(text).toMatch(/[\d,]+ reports \(peak [\d,]+ a minute\) from \d+ new networks; a crowd needs more than [\d,]+\./);
    expect(await page.locator('nav[aria-label="Admin sections"] a[aria-current=true]').textContent()).toBe('Suspected spam');
    expect(errors).toEqual([]);
  });
});
