import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ProbeAgent } from '../../src/probes/agent.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { startTargets, type Targets } from '../probes/targets.js';
import { launchBrowser, screenshot, watchErrors } from './browser.js';
import { ensureWebBuilt } from './build-web.js';

// Page-side expressions are passed as strings: this file is type-checked with Node's types, not the DOM's.

/** `STORMWATCH_SCREENSHOTS=docs` also writes docs/img/check.png. */
const DOCS = process.env.STORMWATCH_SCREENSHOTS === 'docs';
const ADMIN = 'check-page-admin-token-0123456789';
const WAIT = { timeout: 15_000 };

/**
 * The /check page in Debian's Chromium against the real server, its built-in agent and two
 * remote agents: opening `/check?type=http&target=...` starts the check, shows one pending
 * row per location, and fills them as the answers arrive over the live stream (the check
 * itself is read once); the address then carries the check's id, so the link shows the same
 * rows; the phone layout has no horizontal scroll.
 */
describe('the /check page', () => {
  let targets: Targets;
  let server: RunningServer;
  let browser: Browser;
  const agents: ProbeAgent[] = [];

  beforeAll(async () => {
    ensureWebBuilt();
    targets = await startTargets({ slowMs: 1500 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-check-page-'));
    server = await startServer(
      loadConfig({
        env: {},
        overrides: {
          'server.port': 0, 'server.host': '127.0.0.1', 'server.logLevel': 'silent', 'database.url': `sqlite:${path.join(dir, 'db.sqlite')}`, adminToken: ADMIN,
          probes: { localAgent: true, location: 'Amsterdam, NL' },
          instantChecks: { public: true, allowPrivateTargets: true, resolver: targets.dnsResolver },
        },
      }),
    );
    for (const location of ['Frankfurt, DE', 'Tokyo, JP']) {
      const res = await fetch(`${server.url}/api/v1/agents`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: location, location }) });
      const { token } = (await res.json()) as { token: string };
      const agent = new ProbeAgent({ server: server.url, token, spoolDir: fs.mkdtempSync(path.join(dir, 'spool-')), concurrency: 4 });
      await agent.start();
      agents.push(agent);
    }
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    for (const a of agents) await a.stop();
    await server?.close();
    await targets?.close();
  });

  it('fills one row per location live, and the address becomes the share link', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    const reads: string[] = [];
    page.on('request', (r) => {
      if (/\/api\/v1\/instant-checks\/[0-9a-f-]{36}$/.test(new URL(r.url()).pathname)) reads.push(r.url());
    });
    // The slow target answers after 1.5 s: the rows are seen pending first, then filled.
    await page.goto(`${server.url}/check?${new URLSearchParams({ type: 'http', target: targets.slow })}`);
    await page.waitForSelector('tr[data-state="pending"]', WAIT);
    const pending = (await page.evaluate(`[...document.querySelectorAll('tbody tr')].map((tr) => tr.dataset.location + ':' + tr.dataset.state)`)) as string[];
    expect(pending).toEqual(['Amsterdam, NL:pending', 'Frankfurt, DE:pending', 'Tokyo, JP:pending']);
    await page.waitForFunction(`document.querySelectorAll('tbody tr[data-state="ok"]').length === 3`, undefined, WAIT);
    const rows = (await page.evaluate(`[...document.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent.trim()))`)) as string[][];
    expect(rows.map((r) => r[0])).toEqual(['Amsterdam, NL', 'Frankfurt, DE', 'Tokyo, JP']);
    for (const r of rows) {
      expect(r[1]).toBe('OK');
      expect(Number.parseInt(r[2], 10)).toBeGreaterThanOrEqual(1400);
      expect(r[3]).toBe('127.0.0.1');
      expect(r[4]).toBe('HTTP 200');
    }
    expect(await page.textContent('[data-testid="check-summary"]')).toContain('3 of 3 locations answered, 3 OK');
    // Filled by the live stream: the check was read once, when the stream opened.
    expect(reads.length).toBe(1);
    // The header names the instant check apart from the checks list.
    expect(await page.locator('header nav a[aria-current=page]').innerText()).toBe('Check now');
    expect(await page.locator('header nav a').allInnerTexts()).toEqual(['Services', 'Incidents', 'Checks', 'Check now', 'Admin']);
    const shared = new URL(page.url());
    expect(shared.searchParams.get('id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(shared.searchParams.get('target')).toBe(targets.slow);
    await page.screenshot({ path: await screenshot(page, 'check') });
    if (DOCS) fs.copyFileSync(path.resolve('test-results/check.png'), path.resolve('docs/img/check.png'));

    // The share link, opened elsewhere (a phone): the same rows, no new check, no sideways scroll.
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const other = await phone.newPage();
    const posts: string[] = [];
    other.on('request', (r) => r.method() === 'POST' && posts.push(r.url()));
    await other.goto(shared.toString());
    await other.waitForFunction(`document.querySelectorAll('tbody tr[data-state="ok"]').length === 3`, undefined, WAIT);
    expect(posts).toEqual([]);
    expect(await other.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    expect(await other.isVisible('header.top nav')).toBe(true);
    expect(errors).toEqual([]);
  });

  it('a refused target fills with its class, from the form', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await page.goto(`${server.url}/check`);
    await page.selectOption('select[name="type"]', 'tcp');
    await page.fill('input[name="target"]', `127.0.0.1:${new URL(targets.refused).port}`);
    await page.click('button[type="submit"]');
    await page.waitForFunction(`document.querySelectorAll('tbody tr[data-state="failed"]').length === 3`, undefined, WAIT);
    const results = (await page.evaluate(`[...document.querySelectorAll('tbody tr td:nth-child(2)')].map((td) => td.textContent)`)) as string[];
    for (const r of results) expect(r).toContain('Failed · Connection refused');
    expect(new URL(page.url()).searchParams.get('type')).toBe('tcp');
    expect(errors).toEqual([]);
  });
});
