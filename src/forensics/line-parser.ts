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
  /**
   * Reads only the time and source hash, when the format allows it cheaply (else returns
   * false and the caller parses the whole line): most lines of the second pass need no more.
   */
  parseHead(buf: Buffer, start: number, end: number, rec: LineRecord): boolean;
  /** Text fields of the last line `parse` accepted. */
  ip(): string;
  method(): string;
  /** Request target including any query string. */
  target(): string;
  userAgent(): string;
  /** Request target without its query string. */
  path(): string;
  /**
   * 32-bit hash of a text field of the last line, computed without decoding it: the window
   * tallies count by hash and decode a value only the first time they meet it.
   */
  fieldHash(field: TextField): number;
  /** True when the request target carries a query string. */
  hasQuery(): boolean;
}

export type TextField = 'ip' | 'method' | 'path' | 'target' | 'userAgent';

export type LogFormat = 'combined' | 'common' | 'json';
export const LOG_FORMATS: readonly LogFormat[] = ['combined', 'common', 'json'];

export function newRecord(): LineRecord {
  return { t: 0, ipHash: 0, status: 0, bytes: 0 };
}
