import { SingleBar } from 'cli-progress';
import type { BatchReport } from '../simulate/expand-reports.js';
import { DayProgress, type DayDone, type DayTotal } from '../simulate/progress.js';

/** Where `stormwatch simulate --target` shows its progress. */
export interface ReplayProgressView {
  batch(batch: readonly BatchReport[]): void;
  stop(): void;
}

/** `  2025-03-10    4,977,124 reports   100%`: one line per completed UTC day. */
export function dayLine(d: DayDone): string {
  const pct = d.total > 0 ? Math.floor((100 * d.sent) / d.total) : 100;
  return `  ${d.day}  ${d.reports.toLocaleString('en-US').padStart(11)} reports  ${String(pct).padStart(3)}%`;
}

/**
 * Per-day progress of an import: a bar on a terminal (current day, reports sent of the
 * total), and plain lines, one per completed day, when stderr is a file or a pipe.
 */
export function replayProgress(days: readonly DayTotal[], stream: NodeJS.WriteStream = process.stderr): ReplayProgressView {
  const counter = new DayProgress(days);
  if (!stream.isTTY) {
    return {
      batch: (b) => {
        for (const d of counter.add(b)) stream.write(`${dayLine(d)}\n`);
      },
      stop: () => undefined,
    };
  }
  const bar = new SingleBar({ format: '  {day} [{bar}] {percentage}% | {value}/{total} reports | ETA {eta_formatted}', stream, hideCursor: true, formatValue: (v, _o, type) => (type === 'value' || type === 'total' ? v.toLocaleString('en-US') : String(v)) });
  bar.start(counter.total, 0, { day: counter.current ?? '' });
  return {
    batch: (b) => {
      counter.add(b);
      bar.update(counter.sent, { day: counter.current ?? 'done' });
    },
    stop: () => bar.stop(),
  };
}
