import { createParser } from './detect-format.js';
import type { ScanTask } from './input-files.js';
import type { JsonFieldNames } from './json-parser.js';
import { newRecord, type LogFormat } from './line-parser.js';
import { readLines } from './line-reader.js';
import { TimelineBuilder, type TimelineData } from './timeline.js';
import { WindowCollector, type WindowPassData } from './window-collector.js';

export interface PassOptions {
  format: LogFormat;
  jsonFields?: JsonFieldNames;
}

/** First pass over some tasks: the per-second timeline and the bad-line count. */
export async function timelinePass(tasks: readonly ScanTask[], options: PassOptions, onBytes?: (n: number) => void): Promise<TimelineData> {
  const parser = createParser(options.format, options.jsonFields);
  const rec = newRecord();
  const timeline = new TimelineBuilder();
  for (const task of tasks) {
    await readLines(
      task,
      (buf, start, end) => {
        if (!parser.parse(buf, start, end, rec) || !timeline.add(rec)) timeline.bad(() => buf.toString('utf8', start, end));
      },
      onBytes,
    );
  }
  return timeline.data();
}

/** Second pass: tallies inside the given windows, Bloom filters of the quiet periods. */
export async function windowPass(tasks: readonly ScanTask[], options: PassOptions, windows: readonly { start: number; end: number }[], onBytes?: (n: number) => void): Promise<WindowPassData> {
  const parser = createParser(options.format, options.jsonFields);
  const rec = newRecord();
  const collector = new WindowCollector(windows);
  const n = windows.length;
  for (const task of tasks) {
    await readLines(
      task,
      (buf, start, end) => {
        if (parser.parseHead(buf, start, end, rec)) {
          const c = collector.classify(rec.t);
          if (c < 0) return;
          if (c < n) return collector.addQuiet(c, rec.ipHash);
        }
        if (parser.parse(buf, start, end, rec)) collector.add(rec, parser);
      },
      onBytes,
    );
  }
  return collector.data();
}
