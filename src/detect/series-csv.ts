/**
 * Reads `timestamp,value` CSV one chunk at a time, so `stormwatch detect` and the NAB benchmark
 * handle files of any size. A header line is optional; timestamps are ISO 8601 or NAB's
 * `YYYY-MM-DD HH:MM:SS` (no zone means UTC), or epoch seconds or milliseconds; extra columns
 * are ignored. A bad row is an error that names its line, never a silently skipped or
 * half-parsed record. Rows come out in input order: what to do with a timestamp that steps back
 * is the reader's rule (time-order.ts), not a syntax error.
 */
export interface SeriesRow {
  /** 1-based line number in the input. */
  line: number;
  /** The timestamp exactly as written. */
  text: string;
  t: number;
  value: number;
}

export class SeriesCsvError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'SeriesCsvError';
  }
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)? ?(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;
const EPOCH = /^\d+(?:\.\d*)?$/;
/**
 * Epoch numbers below 10^11 are seconds (up to the year 5138), from there up to 10^14
 * milliseconds (from 1973 on): the two ranges only meet at dates no real series has.
 */
const EPOCH_SECONDS_BELOW = 1e11;
const EPOCH_MS_BELOW = 1e14;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/** Parses a timestamp to ms since epoch, or returns undefined if it is not one. */
export function parseTimestamp(text: string): number | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const local = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 31 February over into March: reject instead.
  if (new Date(local).getUTCDate() !== day) return undefined;
  let offset = 0;
  if (zone && !['Z', 'UTC', 'GMT'].includes(zone.toUpperCase())) {
    const digits = zone.slice(1).replace(':', '');
    const zh = Number(digits.slice(0, 2));
    const zm = digits.length > 2 ? Number(digits.slice(2)) : 0;
    if (zh > 23 || zm > 59) return undefined;
    offset = (zone[0] === '-' ? -1 : 1) * (zh * 60 + zm) * 60_000;
  }
  const ms = frac ? Math.floor(Number(frac) * 1000) : 0;
  return local + ms - offset;
}

/**
 * Parses an epoch timestamp (seconds below 10^11, else milliseconds, fractions allowed) to ms,
 * or returns undefined if the text is not a plain non-negative number in those ranges.
 */
export function parseEpoch(text: string): number | undefined {
  if (!EPOCH.test(text)) return undefined;
  const x = Number(text);
  if (x < EPOCH_SECONDS_BELOW) return Math.round(x * 1000);
  return x < EPOCH_MS_BELOW ? Math.round(x) : undefined;
}

/** A row's timestamp: ISO 8601 / NAB style, or epoch seconds or milliseconds. */
export function parseRowTimestamp(text: string): number | undefined {
  return parseTimestamp(text) ?? parseEpoch(text);
}

export class SeriesCsvParser {
  private rest = '';
  private line = 0;

  /** Parses every complete line in `chunk`; an incomplete last line waits for the next chunk. */
  push(chunk: string): SeriesRow[] {
    const text = this.rest + chunk;
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    const rows: SeriesRow[] = [];
    for (const l of lines) this.parseLine(l, rows);
    return rows;
  }

  /** Parses what is left (a last line without a newline). */
  end(): SeriesRow[] {
    const rows: SeriesRow[] = [];
    if (this.rest !== '') this.parseLine(this.rest, rows);
    this.rest = '';
    return rows;
  }

  private parseLine(raw: string, out: SeriesRow[]): void {
    this.line++;
    let l = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    // A byte-order mark from spreadsheet exports.
    if (this.line === 1 && l.charCodeAt(0) === 0xfeff) l = l.slice(1);
    if (l.trim() === '') return;
    const fields = l.split(',');
    const tsText = unquote(fields[0]);
    if (fields.length < 2) {
      if (this.line === 1 && parseRowTimestamp(tsText) === undefined) return; // a one-column header
      throw new SeriesCsvError(this.line, `expected "timestamp,value", got ${JSON.stringify(truncate(l))}`);
    }
    const valueText = unquote(fields[1]);
    const t = parseRowTimestamp(tsText);
    if (t === undefined) {
      if (this.line === 1 && !NUMBER.test(valueText)) return; // the header
      throw new SeriesCsvError(this.line, `invalid timestamp ${JSON.stringify(truncate(tsText))} (use ISO 8601, YYYY-MM-DD HH:MM:SS, or epoch seconds or milliseconds)`);
    }
    if (!NUMBER.test(valueText)) throw new SeriesCsvError(this.line, `invalid value ${JSON.stringify(truncate(valueText))} (expected a number)`);
    const value = Number(valueText);
    if (!Number.isFinite(value)) throw new SeriesCsvError(this.line, `value ${JSON.stringify(truncate(valueText))} is out of range`);
    out.push({ line: this.line, text: tsText, t, value });
  }
}

/** Parses a whole document at once (files that fit in memory, such as the NAB corpus). */
export function parseSeriesCsv(text: string): SeriesRow[] {
  const p = new SeriesCsvParser();
  const rows = p.push(text);
  for (const r of p.end()) rows.push(r);
  return rows;
}

function unquote(field: string): string {
  const f = field.trim();
  return f.length >= 2 && f.startsWith('"') && f.endsWith('"') ? f.slice(1, -1).trim() : f;
}

function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
