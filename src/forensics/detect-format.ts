import { ClfParser } from './clf-parser.js';
import { JsonParser, type JsonFieldNames } from './json-parser.js';
import { newRecord, type LineParser, type LogFormat } from './line-parser.js';

export function createParser(format: LogFormat, jsonFields?: JsonFieldNames): LineParser {
  if (format === 'json') return new JsonParser(jsonFields);
  return new ClfParser(format === 'combined');
}

/**
 * Picks the format that accepts most of the sample's lines (the first lines of the input);
 * combined wins ties over common because it carries the user agent.
 */
export function detectFormat(sample: Buffer, jsonFields?: JsonFieldNames): LogFormat {
  const rec = newRecord();
  const scores = new Map<LogFormat, number>();
  for (const format of ['combined', 'common', 'json'] as const) {
    const parser = createParser(format, jsonFields);
    let ok = 0;
    let start = 0;
    let lines = 0;
    while (start < sample.length && lines < 200) {
      let end = sample.indexOf(10, start);
      if (end < 0) break;
      const next = end + 1;
      if (end > start && sample[end - 1] === 13) end--;
      if (end > start) {
        lines++;
        if (parser.parse(sample, start, end, rec)) ok++;
      }
      start = next;
    }
    scores.set(format, ok);
  }
  const best = [...scores.entries()].sort((a, b) => b[1] - a[1])[0];
  return best[1] > 0 ? best[0] : 'combined';
}
