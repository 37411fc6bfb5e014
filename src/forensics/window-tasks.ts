import type { InputFile, ScanTask } from './input-files.js';
import type { FileIndex } from './timeline.js';

/** Lines may be this far out of time order (servers log at completion, proxies buffer). */
const DISORDER_S = 120;

/**
 * The byte ranges the second pass must read: from the first pass's sampled (time, offset)
 * index, every stretch between two samples whose times could reach into a window. Logs are
 * written in time order, so an attack of 30 minutes in a day-long log costs a re-read of
 * about that much. Gzip inputs have no offsets and are read whole.
 */
export function planWindowTasks(files: readonly InputFile[], index: readonly FileIndex[], windows: readonly { start: number; end: number }[], parts: number): ScanTask[] {
  const tasks: ScanTask[] = [];
  for (const file of files) {
    const samples = index.filter((x) => x.path === file.path).flatMap((x) => x.t.map((t, i) => ({ t, offset: x.offset[i] })));
    if (file.gzip || samples.length === 0) {
      tasks.push({ file, start: 0, end: Number.POSITIVE_INFINITY });
      continue;
    }
    samples.sort((a, b) => a.offset - b.offset);
    samples.push({ t: samples[samples.length - 1].t, offset: file.size });
    const ranges: [number, number][] = [];
    for (let i = 0; i + 1 < samples.length; i++) {
      const lo = Math.min(samples[i].t, samples[i + 1].t) - DISORDER_S;
      const hi = Math.max(samples[i].t, samples[i + 1].t) + DISORDER_S;
      if (!windows.some((w) => lo < w.end && hi >= w.start)) continue;
      const last = ranges[ranges.length - 1];
      if (last && last[1] >= samples[i].offset) last[1] = samples[i + 1].offset;
      else ranges.push([samples[i].offset, samples[i + 1].offset]);
    }
    // The final sample is the last line itself: make sure a range ending there includes it.
    for (const r of ranges) if (r[1] === file.size) r[1] = Number.POSITIVE_INFINITY;
    for (const [start, end] of ranges) {
      const size = Number.isFinite(end) ? end - start : file.size - start;
      const n = size < 4 * 1024 * 1024 ? 1 : parts;
      for (let i = 0; i < n; i++) {
        const s = start + Math.floor((size * i) / n);
        const e = i === n - 1 ? end : start + Math.floor((size * (i + 1)) / n);
        tasks.push({ file, start: s, end: e });
      }
    }
  }
  return tasks;
}
