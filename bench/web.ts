// `npm run bench:web`: what the dashboard costs a visitor, measured in headless Chromium
// against the real server on loopback. Writes bench/results/web.json.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Browser } from 'playwright-core';
import { ManualClock } from '../src/time/clock.js';
import { launchBrowser } from '../test/web/browser.js';
import { ensureWebBuilt } from '../test/web/build-web.js';
import { createService, importReports, minuteHistory } from '../test/web/seed.js';
import { startTestServer } from '../test/web/server-harness.js';
import { resultsPath, writeResults } from './results-file.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const NOW = Date.parse('2025-03-17T00:00:00Z');
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** First contentful paint of `url` in a fresh page (cold cache each time), and when `mark` was set. */
async function fcp(browser: Browser, url: string, mark?: string): Promise<{ fcp: number; mark?: number }> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(url, { waitUntil: 'load' });
  // Evaluated as page code (DOM types), not Node's PerformanceObserver.
  const value = Number(
    await page.evaluate(`new Promise((resolve) => new PerformanceObserver((list) => {
      const e = list.getEntries().find((x) => x.name === 'first-contentful-paint');
      if (e) resolve(e.startTime);
    }).observe({ type: 'paint', buffered: true }))`),
  );
  let marked: number | undefined;
  if (mark) {
    await page.waitForFunction(`performance.getEntriesByName(${JSON.stringify(mark)}).length > 0`);
    marked = Number(await page.evaluate(`performance.getEntriesByName(${JSON.stringify(mark)})[0].startTime`));
  }
  await ctx.close();
  return marked === undefined ? { fcp: value } : { fcp: value, mark: marked };
}

/** Every script the home page loads, with its size on the wire and gzipped at level 9. */
async function homeScripts(browser: Browser, url: string): Promise<{ url: string; raw: number; gzip: number }[]> {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const bodies: Promise<{ url: string; raw: number; gzip: number }>[] = [];
  page.on('response', (res) => {
    if (res.request().resourceType() !== 'script') return;
    bodies.push(res.body().then((b) => ({ url: new URL(res.url()).pathname, raw: b.length, gzip: zlib.gzipSync(b, { level: 9 }).length })));
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  const out = await Promise.all(bodies);
  await ctx.close();
  return out;
}

async function chartRender(browser: Browser, url: string): Promise<{ ms: number; points: number }> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(url);
  const chart = page.locator('[data-testid=report-chart][data-render-ms]');
  await chart.waitFor({ timeout: 30_000 });
  const ms = Number(await chart.getAttribute('data-render-ms'));
  const points = Number(await chart.getAttribute('data-points'));
  await ctx.close();
  return { ms, points };
}

ensureWebBuilt();
const server = await startTestServer(new ManualClock(NOW));
const emptyPage = path.resolve('dist/web/assets/bench-empty.html');
const browser = await launchBrowser();
try {
  // The peer: an empty HTML page served by the same static handler, same server, same browser.
  fs.writeFileSync(emptyPage, '<!doctype html><html><head><meta charset="utf-8"><title>empty</title></head><body><p>empty</p></body></html>');
  await createService(server.url, 'bench', 'Bench');
  const seeded = await importReports(server.url, minuteHistory('bench', NOW, 7));

  const scripts = await homeScripts(browser, `${server.url}/`);
  const jsGzip = scripts.reduce((a, s) => a + s.gzip, 0);
  const fcpHome: number[] = [];
  const fcpEmpty: number[] = [];
  const homeReady: number[] = [];
  const render: number[] = [];
  let points = 0;
  for (let i = 0; i < RUNS; i++) {
    fcpEmpty.push((await fcp(browser, `${server.url}/assets/bench-empty.html`)).fcp);
    const home = await fcp(browser, `${server.url}/`, 'home-rendered');
    fcpHome.push(home.fcp);
    homeReady.push(home.mark ?? NaN);
    const r = await chartRender(browser, `${server.url}/services/bench?range=7d&step=1m`);
    render.push(r.ms);
    points = r.points;
  }
  const result = {
    js_gzip_kb: +(jsGzip / 1024).toFixed(1),
    js_raw_kb: +(scripts.reduce((a, s) => a + s.raw, 0) / 1024).toFixed(1),
    scripts,
    fcp_home_ms: +median(fcpHome).toFixed(1),
    fcp_empty_ms: +median(fcpEmpty).toFixed(1),
    fcp_ratio: +(median(fcpHome) / median(fcpEmpty)).toFixed(2),
    home_list_rendered_ms: +median(homeReady).toFixed(1),
    chart_points: points,
    chart_render_ms: +median(render).toFixed(1),
    chart_render_max_ms: +Math.max(...render).toFixed(1),
    seeded_reports: seeded,
    runs: RUNS,
    targets: { js_gzip_kb: 150, fcp_home_ms: 1000, chart_render_ms: 200, chart_points: 10_080 },
    pass: jsGzip / 1024 <= 150 && median(fcpHome) <= 1000 && median(render) <= 200 && points >= 10_080,
    at: new Date().toISOString(),
  };
  console.table([
    { metric: 'JS for the first page (gzip)', value: `${result.js_gzip_kb} KB`, target: '≤ 150 KB' },
    { metric: 'FCP home (median)', value: `${result.fcp_home_ms} ms`, target: '≤ 1000 ms' },
    { metric: 'FCP empty page, peer (median)', value: `${result.fcp_empty_ms} ms`, target: '' },
    { metric: 'FCP ratio home / empty', value: `${result.fcp_ratio}×`, target: '' },
    { metric: 'home service list rendered (median)', value: `${result.home_list_rendered_ms} ms`, target: '' },
    { metric: `chart render, ${points} points (median)`, value: `${result.chart_render_ms} ms`, target: '≤ 200 ms' },
  ]);
  writeResults(resultsPath('web'), result);
  console.log(`wrote bench/results/web.json (${result.pass ? 'all targets met' : 'TARGETS MISSED'})`);
} finally {
  fs.rmSync(emptyPage, { force: true });
  await browser.close();
  await server.close();
}
