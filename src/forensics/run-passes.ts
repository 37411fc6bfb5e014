import { Worker } from 'node:worker_threads';
import { workerUrl } from '../runtime/worker-url.js';
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

function runWorker<T>(job: WorkerJob, onBytes?: (n: number) => void): Promise<T> {
  const worker = new Worker(workerUrl(import.meta.url, 'scan-worker'), { workerData: job });
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
