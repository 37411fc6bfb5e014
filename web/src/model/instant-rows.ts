import type { InstantCheck, InstantRow } from '../api/instant.js';

/**
 * A row that arrived live, merged into the check: an answer replaces its location's pending
 * row (or joins as a new location); the first answer per location stands, as on the
 * server. Pure.
 */
export function mergeRow(check: InstantCheck, row: InstantRow): InstantCheck {
  const current = check.rows.find((r) => r.location === row.location);
  if (current && current.state !== 'pending') return check;
  const rows = current ? check.rows.map((r) => (r.location === row.location ? row : r)) : [...check.rows, row].sort((a, b) => a.location.localeCompare(b.location));
  return { ...check, rows, complete: check.complete || rows.every((r) => r.state !== 'pending') };
}

/** How many locations answered, and how many of them found the target working. */
export function tally(check: InstantCheck): { answered: number; ok: number; total: number } {
  const answered = check.rows.filter((r) => r.state === 'ok' || r.state === 'failed');
  return { answered: answered.length, ok: answered.filter((r) => r.state === 'ok').length, total: check.rows.length };
}

const CLASS_TEXT: Record<string, string> = {
  ok: 'OK',
  dns: 'DNS failure',
  connection_refused: 'Connection refused',
  timeout: 'Timed out',
  tls: 'TLS / certificate',
  http_5xx: 'Server error (5xx)',
  http_4xx: 'Client error (4xx)',
  content_mismatch: 'Unexpected content',
  slow: 'Too slow',
  unsupported: 'Not supported here',
  error: 'Error',
};

/** The failure class in words. */
export function classText(errorClass: string | undefined): string {
  return errorClass === undefined ? '' : (CLASS_TEXT[errorClass] ?? errorClass);
}

/** What the row found besides its class: the HTTP status, DNS answers or rcode. */
export function findings(row: InstantRow): string {
  if (row.httpStatus !== undefined) return `HTTP ${row.httpStatus}`;
  if (row.dnsAnswers && row.dnsAnswers.length > 0) return row.dnsAnswers.join(', ');
  if (row.dnsRcode) return row.dnsRcode;
  return '';
}
