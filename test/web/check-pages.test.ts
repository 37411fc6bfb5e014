import fs from 'node:fs';
import https from 'node:https';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { spawnAgent, type AgentProcess } from '../probes/agent-process.js';
import { closedPort, selfSignedCert } from '../probes/targets.js';
import { launchBrowser, screenshot, watchErrors } from './browser.js';
import { ensureWebBuilt } from './build-web.js';

/**
 * The dashboard's check pages in Chromium, on real data: the server with its built-in agent
 * and two real `stormwatch agent` processes probe an HTTPS target on loopback that answers
 * each location with its own delay (and Tokyo with 503 for a few runs), and a closed port.
 * `STORMWATCH_SCREENSHOTS=docs` probes for two minutes and writes docs/img/checks.png and
 * docs/img/check-detail.png.
 */
const DOCS = process.env.STORMWATCH_SCREENSHOTS === 'docs';
const ADMIN = 'check-pages-admin-token-0123456789';
const DELAY_MS: Record<string, number> = { 'Frankfurt, DE': 60, 'Tokyo, JP': 180, local: 0 };
/** Seconds of probing before the pages are looked at; Tokyo answers 503 in the middle third. */
const PROBE_S = DOCS ? 120 : 9;
/** Pages load their chart code on first visit; on a busy 2-core machine that takes a moment. */
const POLL = { timeout: 15_000 };

interface Status { status: string; reason?: string; locations: { location: string; standing: string }[] }

async function get<T>(server: RunningServer, url: string): Promise<T> {
  const res = await fetch(`${server.url}${url}`);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)?.slice(0, 2000)}`);
}

describe('check pages', () => {
  let server: RunningServer;
  let target: https.Server;
  let browser: Browser;
  let tokyoFails = false;
  const agents: AgentProcess[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-check-pages-'));

  beforeAll(async () => {
    ensureWebBuilt();
    const { key, cert } = selfSignedCert();
    const started = Date.now();
    target = https.createServer({ key, cert }, (req, res) => {
      const location = String(req.headers['x-stormwatch-location'] ?? 'local');
      // A slow swell over a minute, so the chart has a shape to show.
      const delay = (DELAY_MS[location] ?? 0) * (1 + 0.3 * Math.sin((Date.now() - started) / 10_000));
      setTimeout(() => {
        res.statusCode = tokyoFails && location === 'Tokyo, JP' ? 503 : 200;
        res.end('ok');
      }, delay);
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', () => r()));
    const port = (target.address() as net.AddressInfo).port;
    const refused = await closedPort();
    // The slowest answer takes under 0.3 s; a timeout of 5 s keeps a loaded test machine from
    // adding `timeout` failures to the 503s this test is about.
    const base = { interval: '1s', timeout: '5s' };
    server = await startServer(
      loadConfig({
        env: {},
        overrides: {
          'server.port': 0, 'server.host': '127.0.0.1', 'server.logLevel': 'silent', 'database.url': `sqlite:${path.join(dir, 'db.sqlite')}`, adminToken: ADMIN,
          services: [{ slug: 'x', name: 'X', url: 'https://x.example' }],
          probes: { localAgent: true, location: 'local', concurrency: 4, quorum: 2, failuresBefore: 2, recoveriesBefore: 1 },
          checks: [
            { ...base, name: 'x-web', service: 'x', type: 'http', target: `https://127.0.0.1:${port}/health`, http: { insecure: true } },
            { ...base, name: 'x-tcp', service: 'x', type: 'tcp', target: `127.0.0.1:${refused}` },
          ],
        },
      }),
    );
    for (const location of ['Frankfurt, DE', 'Tokyo, JP']) {
      const res = await fetch(`${server.url}/api/v1/agents`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: location }) });
      const { token } = (await res.json()) as { token: string };
      agents.push(spawnAgent(['--server', server.url, '--token', token, '--location', location, '--spool', fs.mkdtempSync(path.join(dir, 'spool-')), '--concurrency', '2']));
    }
    browser = await launchBrowser();
    // Real runs: all three locations in, then Tokyo failing for a third of the time, then fine again.
    await until('three locations on x-web', () => get<Status>(server, '/api/v1/checks/cfg-x-web/status'), (s) => s.locations.length === 3, 40_000);
    await new Promise((r) => setTimeout(r, (PROBE_S * 1000) / 3));
    tokyoFails = true;
    await new Promise((r) => setTimeout(r, (PROBE_S * 1000) / 3));
    tokyoFails = false;
    await new Promise((r) => setTimeout(r, (PROBE_S * 1000) / 3));
    await until('x-tcp down from 3 of 3', () => get<Status>(server, '/api/v1/checks/cfg-x-tcp/status'), (s) => s.reason === '3 of 3 locations: connection refused on x-tcp');
    await until('Tokyo up again on x-web', () => get<Status>(server, '/api/v1/checks/cfg-x-web/status'), (s) => s.locations.every((l) => l.standing === 'up'));
  }, 120_000 + PROBE_S * 1000);

  afterAll(async () => {
    for (const a of agents) await a.stop();
    await browser?.close();
    await server?.close();
    target?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function open(pathname: string, width = 1200): Promise<{ page: Page; errors: string[] }> {
    const ctx = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await page.goto(server.url + pathname);
    return { page, errors };
  }

  async function shot(page: Page, name: string): Promise<void> {
    const file = await screenshot(page, name);
    if (DOCS) fs.copyFileSync(file, path.resolve('docs/img', `${name}.png`));
  }

  const noHorizontalScroll = (page: Page) => page.evaluate('document.documentElement.scrollWidth <= window.innerWidth') as Promise<boolean>;

  it('/checks lists every check with its verdict, reason, last result and certificate expiry in days, failing first', async () => {
    const { page, errors } = await open('/checks');
    const rows = page.locator('[data-testid=check-list] li');
    await expect.poll(() => rows.count(), POLL).toBe(2);
    expect(await rows.evaluateAll((els) => els.map((e) => [e.getAttribute('data-check-id'), e.getAttribute('data-status')]))).toEqual([
      ['cfg-x-tcp', 'major_outage'],
      ['cfg-x-web', 'operational'],
    ]);
    const tcp = page.locator('li[data-check-id=cfg-x-tcp]');
    expect(await tcp.locator('[data-testid=check-locations]').innerText()).toBe('3 of 3 locations: connection refused on x-tcp');
    expect(await tcp.locator('[data-testid=last-result]').innerText()).toMatch(/^connection refused · (Frankfurt, DE|Tokyo, JP|local) · \d+ s ago$/);
    const web = page.locator('li[data-check-id=cfg-x-web]');
    expect(await web.locator('[data-testid=check-locations]').innerText()).toBe('3 locations up');
    // The test certificate is made to last two days.
    expect(await web.locator('[data-testid=cert-days]').innerText()).toContain('Certificate expires in 1 day');
    expect(await web.locator('[data-testid=cert-days]').getAttribute('class')).toBe('cert-warn');
    expect(await web.locator('[data-testid=last-result]').innerText()).toMatch(/^OK · \d+ ms · /);
    expect(await page.locator('header nav a[aria-current=page]').innerText()).toBe('Checks');
    await shot(page, 'checks');

    // To a check's page inside the dashboard (no page load), and from it to its service and back.
    await tcp.locator('a.check-link').click();
    await page.waitForURL('**/checks/cfg-x-tcp');
    await expect.poll(() => page.locator('[data-testid=matrix] li').count(), POLL).toBe(3);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('/checks/:id shows the matrix, the response time per location, uptime per location and overall, and failures with their class', async () => {
    const { page, errors } = await open('/checks/cfg-x-web');
    const matrix = page.locator('[data-testid=matrix] li');
    await expect.poll(() => matrix.count(), POLL).toBe(3);
    await expect.poll(() => page.locator('[data-testid=matrix] li[data-standing=up]').count(), POLL).toBe(3);
    expect((await matrix.evaluateAll((els) => els.map((e) => [e.getAttribute('data-location'), e.getAttribute('data-ok')]))).sort()).toEqual([
      ['Frankfurt, DE', 'true'],
      ['Tokyo, JP', 'true'],
      ['local', 'true'],
    ]);
    expect(await matrix.first().locator('[data-testid=matrix-result]').innerText()).toMatch(/^OK 200 · \d+ ms$/);
    // The last runs of each location as cells.
    expect(await page.locator('li[data-location="Tokyo, JP"] .cells span').count()).toBeGreaterThan(1);
    expect(await page.locator('[data-testid=cert-days]').innerText()).toBe('Certificate expires in 1 day');

    // One chart per location, drawn from the measured latencies: the slower location charts slower.
    const charts = page.locator('[data-testid=latency-chart]');
    await expect.poll(() => charts.count(), POLL).toBe(3);
    await page.waitForFunction("[...document.querySelectorAll('[data-testid=latency-chart]')].every((el) => el.uplot)");
    // The median of the charted means: a busy machine adds the odd slow run, not a slow half.
    const medians = (await page.evaluate(`Object.fromEntries([...document.querySelectorAll('[data-testid=latency-chart]')].map((el) => {
      const vals = el.uplot.data[1].filter((v) => v != null).sort((a, b) => a - b);
      return [el.dataset.location, vals[Math.floor(vals.length / 2)]];
    }))`)) as Record<string, number>;
    expect(medians['Tokyo, JP']).toBeGreaterThan(medians['Frankfurt, DE']);
    expect(medians['Frankfurt, DE']).toBeGreaterThan(medians.local);
    expect(Number(await page.locator('[data-location="Tokyo, JP"][data-testid=latency-chart]').getAttribute('data-failed'))).toBeGreaterThan(0);
    expect(Number(await page.locator('[data-location="local"][data-testid=latency-chart]').getAttribute('data-failed'))).toBe(0);

    // Uptime: Tokyo below 100 %, the others at 100 %, overall in between.
    const uptime = async (location: string): Promise<number> => parseFloat(await page.locator(`.uptime-locations li[data-location="${location}"] strong`).innerText());
    expect(await uptime('local')).toBe(100);
    expect(await uptime('Frankfurt, DE')).toBe(100);
    const tokyo = await uptime('Tokyo, JP');
    expect(tokyo).toBeLessThan(100);
    const overall = parseFloat(await page.locator('[data-testid=uptime-overall]').innerText());
    expect(overall).toBeGreaterThan(tokyo);
    expect(overall).toBeLessThan(100);

    // Failures, newest first, with their class and location.
    const failures = page.locator('[data-testid=failures] li');
    expect(await failures.count()).toBeGreaterThan(0);
    expect(await failures.evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-class')))])).toEqual(['http_5xx']);
    expect(await failures.first().innerText()).toMatch(/^HTTP 5xx 503\s+Tokyo, JP · /);
    await shot(page, 'check-detail');

    // The window: 7 days (the same runs, a wider axis), then back to the service.
    await page.getByRole('link', { name: '7 days' }).click();
    await page.waitForURL('**/checks/cfg-x-web?window=7d');
    await expect.poll(() => page.locator('#history-title').innerText(), POLL).toContain('last 7 days');
    expect(await page.getByRole('link', { name: '7 days' }).getAttribute('aria-current')).toBe('true');
    await page.locator('[data-testid=service-link]').click();
    await page.waitForURL('**/services/x');
    const fromService = page.locator('[data-testid=service-checks] li');
    await expect.poll(() => fromService.count(), POLL).toBe(2);
    expect(await page.locator('[data-testid=service-checks] li[data-check-id=cfg-x-tcp] [data-testid=status-badge]').getAttribute('data-status')).toBe('major_outage');
    expect(await page.locator('[data-testid=service-checks] a[href="/checks?service=x"]').innerText()).toBe('All checks of X');
    await page.locator('[data-testid=service-checks] a', { hasText: 'x-web' }).click();
    await page.waitForURL('**/checks/cfg-x-web');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a failing check: every location refused and down, the reason, only failures in its history', async () => {
    const { page, errors } = await open('/checks/cfg-x-tcp?window=1h');
    await expect.poll(() => page.locator('[data-testid=matrix] li[data-standing=down]').count(), POLL).toBe(3);
    expect(await page.locator('[data-testid=check-reason]').innerText()).toBe('3 of 3 locations: connection refused on x-tcp');
    expect(await page.locator('[data-testid=status-badge]').first().getAttribute('data-status')).toBe('major_outage');
    await expect.poll(() => page.locator('[data-testid=uptime-overall]').innerText(), POLL).toBe('0.00%');
    const classes = await page.locator('[data-testid=failures] li').evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-class')))]);
    expect(classes).toEqual(['connection_refused']);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('fits a 360 px phone without horizontal scroll', async () => {
    const { page, errors } = await open('/checks', 360);
    for (const [p, ready] of [['/checks', '[data-testid=check-list] li'], ['/services/x', '[data-testid=service-checks]'], ['/checks/cfg-x-web', '[data-testid=latency-chart] canvas']]) {
      if (p !== '/checks') await page.goto(server.url + p);
      await page.locator(ready).first().waitFor();
      expect(await noHorizontalScroll(page), p).toBe(true);
    }
    await screenshot(page, 'check-detail-phone');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('reads without JavaScript: the matrix is in the served page', async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto(`${server.url}/checks/cfg-x-tcp`);
    expect(await page.locator('table.matrix-plain tbody tr').count()).toBe(3);
    expect(await page.locator('table.matrix-plain').innerText()).toContain('connection refused');
    await ctx.close();
  });
});
