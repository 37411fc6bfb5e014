/**
 * Reads a time given as input anywhere in the API: ISO 8601 (`2025-03-10T13:30:00Z`) or
 * milliseconds since the epoch, as a JSON number or a string of digits (query strings).
 * Returns undefined for anything else, so the caller can name the field.
 */
export function parseInstant(raw: string | number): number | undefined {
  if (typeof raw === 'number') return Number.isSafeInteger(raw) ? raw : undefined;
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
