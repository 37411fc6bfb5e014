/**
 * One parsed access-log line. Parsers fill a single reused record (no allocation per
 * line); the text fields are read through the parser only for lines that need them.
 */
export interface LineRecord {
  /** Unix seconds. */
  t: number;
  /** 32-bit hash of the source address (see hash.ts). */
  ipHash: number;
  status: number;
  bytes: number;
}

export interface LineParser {
  /** Parses `buf[start, end)` (no newline) into `rec`; false when the line is malformed. */
  parse(buf: Buffer, start: number, end: number, rec: LineRecord): boolean;
  /** Text fields of the last line `parse` accepted. */
  ip(): string;
  method(): string;
  /** Request target including any query string. */
  target(): string;
  userAgent(): string;
}

export type LogFormat = 'combined' | 'common' | 'json';
export const LOG_FORMATS: readonly LogFormat[] = ['combined', 'common', 'json'];

export function newRecord(): LineRecord {
  return { t: 0, ipHash: 0, status: 0, bytes: 0 };
}
