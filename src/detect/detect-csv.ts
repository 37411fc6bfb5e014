import { createDetector } from './create-detector.js';
import type { DetectorOptions } from './detector-options.js';
import { SeriesCsvParser } from './series-csv.js';
import type { SeriesRow } from './series-csv.js';

/** How output timestamps are written: as given, NAB's `YYYY-MM-DD HH:MM:SS` (UTC), or ISO 8601. */
export type TimestampFormat = 'input' | 'nab' | 'iso';

export const TIMESTAMP_FORMATS: readonly TimestampFormat[] = ['input', 'nab', 'iso'];

/**
 * Streams `timestamp,value` CSV through one detector and yields
 * `timestamp,value,anomaly_score,label` CSV (label = the detector's alarm, 0/1), a chunk of
 * output per chunk of input, so memory stays flat whatever the input's size.
 */
export async function* detectCsv(
  input: AsyncIterable<string>,
  format: TimestampFormat = 'input',
  options: Partial<DetectorOptions> = {},
): AsyncGenerator<string> {
  const parser = new SeriesCsvParser();
  const detector = createDetector(options);
  const render = (rows: SeriesRow[]): string => {
    let out = '';
    for (const r of rows) {
      const o = detector.update({ t: r.t, value: r.value });
      out += `${formatTimestamp(r, format)},${r.value},${round(o.score)},${o.alarm ? 1 : 0}\n`;
    }
    return out;
  };
  // The header waits for the first input, so an unreadable file produces no output at all.
  let header = 'timestamp,value,anomaly_score,label\n';
  for await (const chunk of input) {
    const out = header + render(parser.push(chunk));
    header = '';
    if (out !== '') yield out;
  }
  const tail = header + render(parser.end());
  if (tail !== '') yield tail;
}

function formatTimestamp(row: SeriesRow, format: TimestampFormat): string {
  if (format === 'input') return row.text;
  const iso = new Date(row.t).toISOString();
  return format === 'iso' ? iso : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** Nine decimals keep distinct scores distinct for a threshold sweep without 17-digit noise. */
function round(score: number): string {
  return score === 0 ? '0' : score.toFixed(9);
}
