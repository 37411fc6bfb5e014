/**
 * Timestamps as they appear in access logs, to Unix seconds. The CLF form
 * `10/Oct/2000:13:55:36 -0700` is parsed from bytes without building a string.
 */
const MONTHS: Record<string, number> = { Jan: 1, Feb: 2, Mar: 3, Apr: 4, May: 5, Jun: 6, Jul: 7, Aug: 8, Sep: 9, Oct: 10, Nov: 11, Dec: 12 };

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function digit(buf: Uint8Array, i: number): number {
  const c = buf[i] - 48;
  return c >= 0 && c <= 9 ? c : -1000;
}

function two(buf: Uint8Array, i: number): number {
  return digit(buf, i) * 10 + digit(buf, i + 1);
}

function monthAt(buf: Uint8Array, i: number): number {
  // Three ASCII letters packed into one number; avoids a string per line.
  const key = (buf[i] << 16) | (buf[i + 1] << 8) | buf[i + 2];
  return MONTH_BY_KEY.get(key) ?? 0;
}

const MONTH_BY_KEY = new Map<number, number>(
  Object.entries(MONTHS).map(([name, n]) => [(name.charCodeAt(0) << 16) | (name.charCodeAt(1) << 8) | name.charCodeAt(2), n]),
);

// Consecutive lines almost always share the date; remember the last one's day number.
let lastDayKey = -1;
let lastDays = 0;

/** Parses `dd/Mon/yyyy:HH:MM:SS +zzzz` at `i` (26 bytes); NaN when malformed. */
export function parseClfTime(buf: Uint8Array, i: number, end: number): number {
  if (end - i < 26 || buf[i + 2] !== 47 || buf[i + 6] !== 47 || buf[i + 11] !== 58 || buf[i + 14] !== 58 || buf[i + 17] !== 58 || buf[i + 20] !== 32) return NaN;
  const day = two(buf, i);
  const month = monthAt(buf, i + 3);
  const year = two(buf, i + 7) * 100 + two(buf, i + 9);
  const hh = two(buf, i + 12);
  const mm = two(buf, i + 15);
  const ss = two(buf, i + 18);
  const sign = buf[i + 21] === 45 ? -1 : buf[i + 21] === 43 ? 1 : 0;
  const tzh = two(buf, i + 22);
  const tzm = two(buf, i + 24);
  if (month === 0 || sign === 0 || day < 1 || day > 31 || year < 0 || hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60 || tzh < 0 || tzm < 0) return NaN;
  const dayKey = (year * 16 + month) * 32 + day;
  if (dayKey !== lastDayKey) {
    lastDayKey = dayKey;
    lastDays = daysFromCivil(year, month, day);
  }
  return lastDays * 86400 + hh * 3600 + mm * 60 + ss - sign * (tzh * 3600 + tzm * 60);
}

/** Formats Unix seconds the way nginx writes `$time_local` in UTC. */
export function formatClfTime(sec: number): string {
  const d = new Date(sec * 1000);
  const month = Object.keys(MONTHS)[d.getUTCMonth()];
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${month}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** JSON logs carry ISO 8601, CLF text, or epoch seconds/milliseconds. */
export function parseAnyTime(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.floor(value > 1e11 ? value / 1000 : value);
  if (typeof value !== 'string') return NaN;
  if (/^\d+(\.\d+)?$/.test(value)) return parseAnyTime(Number(value));
  if (/^\d\d\/[A-Z][a-z]{2}\/\d{4}:/.test(value)) return parseClfTime(Buffer.from(value, 'latin1'), 0, value.length);
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : NaN;
}
