import { parentPort, workerData } from 'node:worker_threads';
import type { ScanTask } from './input-files.js';
import { timelinePass, windowPass, type PassOptions } from './scan-pass.js';

/** Worker thread entry: runs one pass over its tasks and posts the partial result. */
export interface WorkerJob {
  pass: 'timeline' | 'windows';
  tasks: ScanTask[];
  options: PassOptions;
  windows: { start: number; end: number }[];
}

const job = workerData as WorkerJob;
const port = parentPort;
if (port) {
  const onBytes = (n: number): void => port.postMessage({ type: 'bytes', n });
  const result = job.pass === 'timeline' ? await timelinePass(job.tasks, job.options, onBytes) : await windowPass(job.tasks, job.options, job.windows, onBytes);
  port.postMessage({ type: 'done', result });
}
