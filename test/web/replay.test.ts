import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { runCli } from '../run-cli.js';
import { launchBrowser, screenshot, watchErrors } from './browser.js';
import { ensureWebBuilt } from './build-web.js';
import { ADMIN_TOKEN, startTestServer } from './server-harness.js';

/**
 * Issue 10's acceptance: what a newcomer sees after following the README. A real server
 * (real clock, temporary SQLite, loopback) gets the X outage from the real `stormwatch
 * simulate` CLI with its default options (shifted to now), at a reduced scale for time
 * (`STORMWATCH_REPLAY_SCALE=1` for the full one, which is how docs/img/dashboard.png is made).
 * Page-side expressions are strings: this file is type-checked with Node's types.
 */
const SCALE = process.env.STORMWATCH_REPLAY_SCALE ?? '0.05';
/** Pages wait on several API calls; other suites load the machine meanwhile. */
const WAIT = { timeout: 20_000 };

/** The drawn bars, read from the chart's uPlot instance: values whose bar lies inside the x scale, and where the tallest one tops out. */
const DRAWN_BARS = `(() => {
  const u = document.querySelector('[data-testid=report-chart]').uplot;
  const xs = u.data[0], ys = u.data[3];
  const step = xs.length > 1 ? xs[1] - xs[0] : 0;
  const min = u.scales.x.min, max = u.scales.x.max;
  const drawn = [];
  for (let i = 0; i < xs.length; i++) if (xs[i] >= min - 1e-6 && xs[i] + step <= max + 1e-6) drawn.push(ys[i] ?? 0);
  const tallest = Math.max(0, ...drawn);
  return { count: xs.length, drawn: drawn.length, tallest, tallestTop: u.valToPos(tallest, 'y'), plotHeight: u.bbox.height / devicePixelRatio, yTicks: u.axes[1]._splits ?? [], yMax: u.scales.y.max };
})()`;

interface Replayed {
  server: Awaited<ReturnType<typeof startTestServer>>;
  browser: Browser;
  /** What the CLI printed on stderr. */
  cli: string;
}

/** A fresh server with a real clock, the X outage imported by the real CLI with `extra` options, and a browser. */
async function replayInto(scale: string, extra: readonly string[] = []): Promise<Replayed> {
  ensureWebBuilt();
  const server = await startTestServer();
  const r = await runCli(['simulate', '--scenario', 'x-outage-2025-03-10', '--scale', scale, '--target', server.url, '--token', ADMIN_TOKEN, ...extra]);
  if (r.code !== 0) {
    await server.close();
    throw new Error(`simulate failed: ${r.stderr}`);
  }
  return { server, browser: await launchBrowser(), cli: r.stderr };
}

async function closeReplay(r: Replayed | undefined): Promise<void> {
  await r?.browser.close();
  await r?.server.close();
}

describe('the X outage replayed with the default options, in Chromium', () => {
  let server: Replayed['server'];
  let browser: Browser;
  let cli = '';
  let replay: Replayed | undefined;
  beforeAll(async () => {
    replay = await replayInto(SCALE);
    ({ server, browser, cli } = replay);
  }, 600_000);
  afterAll(() => closeReplay(replay));

  async function open(path: string, width = 1200): Promise<{ page: Page; errors: string[] }> {
    const page = await (await browser.newContext({ viewport: { width, height: 900 } })).newPage();
    const errors = watchErrors(page);
    await page.goto(server.url + path);
    return { page, errors };
  }

  it('the CLI replays the outage ending minutes before now, and says so', () => {
    expect(cli).toMatch(/replayed from \S+ to \S+ \(shifted by/);
    expect(cli).toMatch(/imported x-outage-2025-03-10: (\d+)\/\1 reports accepted/);
    const end = Date.parse(/replayed from \S+ to (\S+)/.exec(cli)?.[1] ?? '');
    expect(Date.now() - end).toBeLessThan(20 * 60_000);
  });

  it('home: X is not operational, or shows its recent incident', async () => {
    const { page, errors } = await open('/');
    const x = page.locator('li[data-slug=x]');
    await x.waitFor();
    const status = await x.getAttribute('data-status');
    const text = await x.innerText();
    expect(status !== 'operational' || /Incident (ongoing|resolved)/.test(text), `${status}: ${text}`).toBe(true);
    expect(await page.locator('[data-testid=service-list] li').first().getAttribute('data-slug')).toBe('x');
    await screenshot(page, 'replay-home');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("service page: the tallest drawn bar is the peak the caption states, integer y ticks, the zone named", async () => {
    const { page, errors } = await open('/services/x');
    await page.locator('[data-testid=report-chart][data-render-ms]').waitFor(WAIT);
    await expect.poll(async () => Number(await page.locator('[data-testid=report-chart]').getAttribute('data-phases')), WAIT).toBeGreaterThanOrEqual(3);
    const caption = await page.locator('figure.chart figcaption').innerText();
    const peak = Number(/peak ([\d,]+) per 15 min/.exec(caption)?.[1].replace(/,/g, ''));
    expect(peak).toBeGreaterThan(0);
    const bars = (await page.evaluate(DRAWN_BARS)) as { count: number; drawn: number; tallest: number; tallestTop: number; plotHeight: number; yTicks: number[]; yMax: number };
    expect(bars.drawn).toBe(bars.count);
    expect(bars.tallest).toBe(peak);
    expect(bars.tallestTop).toBeGreaterThanOrEqual(0);
    expect(bars.yMax).toBeGreaterThanOrEqual(peak);
    expect(bars.yTicks.length).toBeGreaterThan(1);
    expect(bars.yTicks.every((t) => Number.isInteger(t))).toBe(true);
    expect(caption).toMatch(/Times in \S+/);
    // Names, not codes: the incident title and the top regions.
    await expect.poll(() => page.locator('[data-testid=incident-timeline]').innerText(), WAIT).toMatch(/X \(Twitter\): major outage reported/);
    await expect.poll(() => page.locator('ol.top-regions').innerText(), WAIT).toMatch(/California \(US-CA\)/);
    await expect.poll(() => page.locator('[data-testid=region-map] path.shaded').count(), WAIT).toBeGreaterThan(3);
    await page.screenshot({ path: 'test-results/dashboard.png', fullPage: false });
    await screenshot(page, 'replay-service');
    expect(fs.statSync('test-results/dashboard.png').size).toBeGreaterThan(10_000);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('7 days: every bar drawn and no two phase labels overlap', async () => {
    const { page, errors } = await open('/services/x?range=7d&step=1h');
    await page.locator('[data-testid=report-chart][data-render-ms]').waitFor(WAIT);
    await expect.poll(async () => (await page.locator('[data-testid=report-chart]').getAttribute('data-phase-labels')) ?? '', WAIT).not.toBe('');
    const placed = ((await page.locator('[data-testid=report-chart]').getAttribute('data-phase-labels')) ?? '').split(' ').map((s) => s.split(':').map(Number));
    for (const [row, x, w] of placed) for (const [row2, x2, w2] of placed) if ((row !== row2 || x !== x2) && row === row2) expect(x + w <= x2 || x2 + w2 <= x).toBe(true);
    const bars = (await page.evaluate(DRAWN_BARS)) as { count: number; drawn: number };
    expect(bars.drawn).toBe(bars.count);
    await screenshot(page, 'replay-service-7d');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('status page: the incident is there, open or just resolved', async () => {
    const { page, errors } = await open('/status/x');
    await page.locator('[data-testid=status-banner]').waitFor();
    await expect.poll(() => page.locator('[data-testid=incident-timeline] > li').count(), WAIT).toBeGreaterThanOrEqual(1);
    expect(await page.locator('[data-testid=incident-timeline]').first().innerText()).toMatch(/X \(Twitter\)/);
    await screenshot(page, 'replay-status');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('a replay at its original dates, in Chromium', () => {
  let server: Replayed['server'];
  let browser: Browser;
  let replay: Replayed | undefined;
  beforeAll(async () => {
    replay = await replayInto('0.01', ['--at-original-time']);
    ({ server, browser } = replay);
  }, 600_000);
  afterAll(() => closeReplay(replay));

  it('the service page opens on the latest incident (March 2025, with its year), and the day picker moves the window', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    const errors = watchErrors(page);
    await page.goto(`${server.url}/services/x`);
    await expect.poll(() => page.url(), WAIT).toMatch(/at=2025-03-1/);
    await page.locator('[data-testid=report-chart][data-render-ms]').waitFor(WAIT);
    await expect.poll(async () => Number(await page.locator('[data-testid=report-chart]').getAttribute('data-total')), WAIT).toBeGreaterThan(1000);
    expect(await page.locator('#chart-title').innerText()).toMatch(/2025/);
    await screenshot(page, 'replay-original-time');
    // "Back to now" shows the (empty) present and stays there.
    await page.getByRole('link', { name: 'Back to now' }).click();
    await expect.poll(() => page.url(), WAIT).toMatch(/live=1/);
    await expect.poll(async () => Number(await page.locator('[data-testid=report-chart]').getAttribute('data-total')), WAIT).toBe(0);
    expect(page.url()).not.toMatch(/at=/);
    await page.locator('[data-testid=day-picker]').fill('2025-03-07');
    await expect.poll(() => decodeURIComponent(page.url()), WAIT).toMatch(/at=2025-03-0[78]/);
    await expect.poll(async () => Number(await page.locator('[data-testid=report-chart]').getAttribute('data-phases')), WAIT).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
