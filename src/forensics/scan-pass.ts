import { createParser } from './detect-format.js';
import type { ScanTask } from './input-files.js';
import type { JsonFieldNames } from './json-parser.js';
import { newRecord, type LogFormat } from './line-parser.js';
import { readLines } from './line-reader.js';
import { TimelineBuilder, type FileIndex, type TimelineData } from './timeline.js';

/** One (time, offset) sample per this many lines (a power of two). */
const INDEX_EVERY = 1024;
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
    const index: FileIndex = { path: task.file.path, t: [], offset: [] };
    let n = 0;
    let lastT = 0;
    let lastOffset = -1;
    await readLines(
      task,
      (buf, start, end, offset) => {
        if (!parser.parse(buf, start, end, rec) || !timeline.add(rec)) return timeline.bad(() => buf.toString('utf8', start, end));
        if (offset < 0) return;
        if ((n++ & (INDEX_EVERY - 1)) === 0) {
          index.t.push(rec.t);
          index.offset.push(offset);
        }
        lastT = rec.t;
        lastOffset = offset;
      },
      onBytes,
    );
    if (lastOffset >= 0) {
      index.t.push(lastT);
      index.offset.push(lastOffset);
      timeline.index.push(index);
    }
  }
  return timeline.data();
}

/** Second pass: tallies inside the given windows (the tasks cover little more than them). */
export async function windowPass(tasks: readonly ScanTask[], options: PassOptions, windows: readonly { start: number; end: number }[], onBytes?: (n: number) => void): Promise<WindowPassData> {
  const parser = createParser(options.format, options.jsonFields);
  const rec = newRecord();
  const collector = new WindowCollector(windows);
  for (const task of tasks) {
    await readLines(
      task,
      (buf, start, end) => {
        if (parser.parseHead(buf, start, end, rec) && collector.classify(rec.t) < 0) return;
        if (parser.parse(buf, start, end, rec)) collector.add(rec, parser);
      },
      onBytes,
    );
  }
  return collector.data();
}
