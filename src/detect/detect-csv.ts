import { AlarmLabeller } from './alarm-labeller.js';
import type { Alarm, LabelledRow, LabellerStep } from './alarm-labeller.js';
import { createDetector } from './create-detector.js';
import type { DetectorOptions } from './detector-options.js';
import { SeriesCsvParser } from './series-csv.js';
import type { SeriesRow } from './series-csv.js';
import { describeRun, TimeOrder } from './time-order.js';

/** How output timestamps are written: as given, NAB's `YYYY-MM-DD HH:MM:SS` (UTC), or ISO 8601. */
export type TimestampFormat = 'input' | 'nab' | 'iso';

export const TIMESTAMP_FORMATS: readonly TimestampFormat[] = ['input', 'nab', 'iso'];

/**
 * The anomaly score at which `stormwatch detect` opens an alarm: resonance novelty's confidence
 * that the input resonated with nothing it learned, or an onset about 6 of the series' own
 * evidence deviations above its recent peak (docs/detection.md). NAB's standard profile, which
 * trades a missed window for about 9 false alarms, picks a lower one (about 0.3, printed by
 * `npm run bench:nab`); `--threshold` sets it.
 */
export const DEFAULT_ALARM_SCORE = 0.5;

export interface DetectCsvOptions {
  format?: TimestampFormat;
  /** Every row (default), or one line per alarm. */
  output?: 'rows' | 'alarms';
  /** JSON lines instead of CSV. */
  json?: boolean;
  /** Anomaly score that opens an alarm. */
  threshold?: number;
  detector?: Partial<DetectorOptions>;
  /** Receives one line of text per out-of-order run and a closing summary. */
  onWarning?: (message: string) => void;
}

/**
 * Streams `timestamp,value` CSV through one detector. With `output: 'rows'` it yields
 * `timestamp,value,anomaly_score,label` for every input row, in input order, where `label` is 1
 * at the highest-scoring point of each alarm (alarm-labeller.ts); with `output: 'alarms'` one
 * `start,end,peak,value,anomaly_score,points,open` line per alarm. Rows of an open alarm wait
 * until it ends; everything else goes out a chunk of output per chunk of input.
 */
export async function* detectCsv(input: AsyncIterable<string>, options: DetectCsvOptions = {}): AsyncGenerator<string> {
  const format = options.format ?? 'input';
  const alarmsOnly = options.output === 'alarms';
  const json = options.json ?? false;
  const warn = options.onWarning ?? (() => undefined);
  const parser = new SeriesCsvParser();
  const order = new TimeOrder();
  const detector = createDetector(options.detector);
  const labeller = new AlarmLabeller(options.threshold ?? DEFAULT_ALARM_SCORE);
  const stamp = (r: { text: string; t: number }): string => formatTimestamp(r, format);

  const write = (step: LabellerStep): string => {
    let out = '';
    if (alarmsOnly) for (const a of step.alarms) out += json ? `${JSON.stringify(alarmJson(a, stamp))}\n` : alarmCsv(a, stamp);
    else for (const r of step.rows) out += json ? `${JSON.stringify(rowJson(r, stamp))}\n` : `${stamp(r)},${r.value},${round(r.score)},${r.label}\n`;
    return out;
  };
  const render = (rows: SeriesRow[]): string => {
    let out = '';
    for (const r of rows) {
      const o = detector.update({ t: order.admit(r.line, r.t), value: r.value });
      out += write(labeller.push({ line: r.line, text: r.text, t: r.t, value: r.value, score: o.score, expected: o.expected, lower: o.lower ?? Number.NEGATIVE_INFINITY, upper: o.upper }));
    }
    for (const run of order.drain()) warn(describeRun(run));
    return out;
  };

  // The header waits for the first input, so an unreadable file produces no output at all.
  let header = json ? '' : alarmsOnly ? 'start,end,peak,value,anomaly_score,points,open\n' : 'timestamp,value,anomaly_score,label\n';
  for await (const chunk of input) {
    const out = header + render(parser.push(chunk));
    header = '';
    if (out !== '') yield out;
  }
  let tail = header + render(parser.end());
  order.end();
  for (const run of order.drain()) warn(describeRun(run));
  tail += write(labeller.end());
  if (order.outOfOrder > 0) {
    warn(`${order.outOfOrder} row${order.outOfOrder === 1 ? '' : 's'} out of time order, each scored at the latest time before it (docs/detection.md)`);
  }
  if (tail !== '') yield tail;
}

function alarmCsv(a: Alarm, stamp: (r: Alarm['peak']) => string): string {
  return `${stamp(a.start)},${stamp(a.end)},${stamp(a.peak)},${a.peak.value},${round(a.peak.score)},${a.points},${a.open ? 1 : 0}\n`;
}

function alarmJson(a: Alarm, stamp: (r: Alarm['peak']) => string): Record<string, unknown> {
  return { start: stamp(a.start), end: stamp(a.end), peak: stamp(a.peak), value: a.peak.value, anomaly_score: a.peak.score, points: a.points, open: a.open };
}

function rowJson(r: LabelledRow, stamp: (r: LabelledRow) => string): Record<string, unknown> {
  return { timestamp: stamp(r), value: r.value, anomaly_score: r.score, label: r.label, expected: finite(r.expected), lower: finite(r.lower), upper: finite(r.upper) };
}

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function formatTimestamp(row: { text: string; t: number }, format: TimestampFormat): string {
  if (format === 'input') return row.text;
  const iso = new Date(row.t).toISOString();
  return format === 'iso' ? iso : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** Nine decimals keep distinct scores distinct for a threshold sweep without 17-digit noise. */
function round(score: number): string {
  return score === 0 ? '0' : score.toFixed(9);
}
