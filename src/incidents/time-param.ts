/**
 * Reads a time given in a query string: ISO 8601 (`2025-03-10T13:30:00Z`) or milliseconds
 * since the epoch. Returns undefined for anything else, so the caller can name the field.
 */
export function parseTimeParam(raw: string): number | undefined {
  const s = raw.trim();
  if (/^-?\d{1,16}$/.test(s)) {
    const n = Number(s);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  // Date.parse accepts much that is not ISO ("March 10"); insist on a date first.
  if (!/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(s)) return undefined;
  const t = Date.parse(s);
  return Number.isFinite(t) ? t : undefined;
}
