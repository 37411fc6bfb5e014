/** The closed vocabularies of a crowd report. */
export const PROBLEMS = ['app', 'website', 'login', 'feed', 'notifications', 'connection', 'other'] as const;
export type Problem = (typeof PROBLEMS)[number];

export const CLIENTS = ['mobile', 'web', 'desktop'] as const;
export type Client = (typeof CLIENTS)[number];

/** Stored when a report has no region and its address does not locate. */
export const UNKNOWN_REGION = 'unknown';

const problemSet: ReadonlySet<string> = new Set(PROBLEMS);
const clientSet: ReadonlySet<string> = new Set(CLIENTS);

export const isProblem = (v: string): v is Problem => problemSet.has(v);
export const isClient = (v: string): v is Client => clientSet.has(v);

/**
 * ISO 3166-1 alpha-2 codes, taken from the ICU data Node ships: a code is real when ICU has
 * a display name for it. Built once; `ZZ` is ICU's "unknown region" and excluded.
 */
const COUNTRIES: ReadonlySet<string> = (() => {
  const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
  const set = new Set<string>();
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      if (code !== 'ZZ' && names.of(code) !== undefined) set.add(code);
    }
  }
  return set;
})();

export const isCountry = (code: string): boolean => COUNTRIES.has(code);

/**
 * Normalises a region to upper case and checks it: a country code (`DE`) or an ISO 3166-2
 * subdivision (`US-CA`: a real country, then 1 to 3 letters or digits). Undefined when invalid.
 */
export function normaliseRegion(raw: string): string | undefined {
  if (raw.length !== 2 && (raw.length < 4 || raw.length > 6)) return undefined;
  const code = raw.toUpperCase();
  if (!COUNTRIES.has(code.slice(0, 2))) return undefined;
  if (code.length === 2) return code;
  return /^[A-Z]{2}-[A-Z0-9]{1,3}$/.test(code) ? code : undefined;
}
