import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ScanTask } from './input-files.js';
import { timelinePass, windowPass, type PassOptions } from './scan-pass.js';
import type { WorkerJob } from './scan-worker.js';
import { mergeTimelines, type TimelineData } from './timeline.js';
import { mergeWindowPasses, type WindowPassData } from './window-collector.js';

/**
 * Runs a pass over the tasks on `workers` threads (tasks dealt round-robin; each thread
 * returns a partial aggregate that merges exactly), or inline when `workers` is 1.
 */
export async function runTimelinePass(tasks: readonly ScanTask[], options: PassOptions, workers: number, onBytes?: (n: number) => void): Promise<TimelineData> {
  if (workers <= 1 || tasks.length <= 1) return mergeTimelines([await timelinePass(tasks, options, onBytes)]);
  const parts = await Promise.all(deal(tasks, workers).map((t) => runWorker<TimelineData>({ pass: 'timeline', tasks: t, options, windows: [] }, onBytes)));
  return mergeTimelines(parts);
}

export async function runWindowPass(tasks: readonly ScanTask[], options: PassOptions, windows: { start: number; end: number }[], workers: number, onBytes?: (n: number) => void): Promise<WindowPassData> {
  if (workers <= 1 || tasks.length <= 1) return windowPass(tasks, options, windows, onBytes);
  const parts = await Promise.all(deal(tasks, workers).map((t) => runWorker<WindowPassData>({ pass: 'windows', tasks: t, options, windows }, onBytes)));
  return mergeWindowPasses(parts);
}

function deal(tasks: readonly ScanTask[], workers: number): ScanTask[][] {
  const out: ScanTask[][] = Array.from({ length: Math.min(workers, tasks.length) }, () => []);
  tasks.forEach((t, i) => out[i % out.length].push(t));
  return out;
}

/**
 * The compiled worker file, or, when this module runs as TypeScript (tsx, vitest), a tiny
 * ES module that registers tsx's loader inside the worker first: loader hooks registered
 * on the main thread do not reach worker threads on Node 20.
 */
function workerEntry(): URL {
  if (!import.meta.url.endsWith('.ts')) return new URL('./scan-worker.js', import.meta.url);
  // The package's ESM build (its CommonJS build resolves the loader path wrongly from a data: URL).
  const api = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const entry = new URL('./scan-worker.ts', import.meta.url).href;
  const boot = `const m = await import(${JSON.stringify(api)}); (m.register ?? m.default.register)(); await import(${JSON.stringify(entry)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(boot)}`);
}

function runWorker<T>(job: WorkerJob, onBytes?: (n: number) => void): Promise<T> {
  const worker = new Worker(workerEntry(), { workerData: job });
  return new Promise<T>((resolve, reject) => {
    let result: T | undefined;
    worker.on('message', (m: { type: 'bytes'; n: number } | { type: 'done'; result: T }) => {
      if (m.type === 'bytes') onBytes?.(m.n);
      else result = m.result;
    });
    worker.on('error', reject);
    worker.on('exit', (code) => (result !== undefined ? resolve(result) : reject(new Error(`analysis worker exited with code ${code}`))));
  });
}
