import { classWords } from '../../../src/probes/error-class-words.js';
import type { CheckStatusView, LocationReport, ProbeResult, Standing, Uptime } from '../api/checks.js';

// The error classes read as the status reasons do: both take their words from one file of the server.
export { classWords };

/** "OK 200", "HTTP 5xx 503", "connection refused". */
export function resultWords(r: Pick<ProbeResult, 'ok' | 'errorClass' | 'status'>): string {
  const words = r.ok ? 'OK' : classWords(r.errorClass);
  return r.status !== undefined ? `${words} ${r.status}` : words;
}

export const STANDING_WORDS: Record<Standing, string> = { up: 'Up', down: 'Down', pending: 'Settling', stale: 'Silent' };

/** What a location's standing means, for its title text. */
export const STANDING_HINT: Record<Standing, string> = {
  up: 'counted as up',
  down: 'counted as down (failed several runs in a row)',
  pending: 'not counted yet: too few runs in a row to call it up or down',
  stale: 'not counted: no result for more than three intervals',
};

/** "Certificate expires in 12 days", "… expires today", "… expired 3 days ago". */
export function certText(daysLeft: number): string {
  if (daysLeft < 0) return `Certificate expired ${-daysLeft} day${daysLeft === -1 ? '' : 's'} ago`;
  if (daysLeft === 0) return 'Certificate expires today';
  return `Certificate expires in ${daysLeft} day${daysLeft === 1 ? '' : 's'}`;
}

/** "99.72%", or a dash before any run. */
export function uptimeText(u: Pick<Uptime, 'percent'>): string {
  return u.percent === null ? '—' : `${u.percent.toFixed(2)}%`;
}

/** "2 of 3 locations failing", "3 locations up", "waiting for results". */
export function locationsText(c: Pick<CheckStatusView, 'failing' | 'total' | 'locations'>): string {
  if (c.locations.length === 0) return 'waiting for the first results';
  if (c.failing > 0) return `${c.failing} of ${c.total} location${c.total === 1 ? '' : 's'} failing`;
  if (c.total === 0) return `${c.locations.length} location${c.locations.length === 1 ? '' : 's'}, none counted yet`;
  return `${c.total} location${c.total === 1 ? '' : 's'} up`;
}

/** The newest result among the locations, for the list's "last result" column. */
export function lastResult(locations: readonly LocationReport[]): LocationReport | undefined {
  return locations.reduce<LocationReport | undefined>((best, l) => (best === undefined || l.lastAt > best.lastAt ? l : best), undefined);
}

/** "4 s ago", "12 min ago", "3 h ago", "2 days ago". */
export function agoText(at: number, now: number): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return `${s} s ago`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min ago`;
  const h = Math.round(min / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} days ago`;
}

/** "500ms", "30s", "5m", "1h", "1d" in ms; undefined when it is none of these. */
export function durationMs(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
}

/** Failed runs of one location in a row with the same class and status: one line on the page. */
export interface FailureEpisode {
  key: string;
  location: string;
  errorClass: string;
  status?: number;
  /** The newest run's detail. */
  detail: string;
  runs: number;
  first: number;
  last: number;
}

/**
 * Folds failures (newest first) into episodes: a location's failures with the same class and
 * status, each within 1.5 intervals of the next, are one episode. Newest episode first. Pure.
 */
export function failureEpisodes(failures: readonly ProbeResult[], intervalMs: number): FailureEpisode[] {
  const out: FailureEpisode[] = [];
  const open = new Map<string, FailureEpisode>();
  for (const f of failures) {
    const kind = `${f.location}\u0000${f.errorClass}\u0000${f.status ?? ''}`;
    const current = open.get(f.location);
    if (current && current.key.startsWith(kind) && current.first - f.at <= 1.5 * intervalMs) {
      current.runs++;
      current.first = f.at;
      continue;
    }
    const episode: FailureEpisode = { key: `${kind}\u0000${f.at}`, location: f.location, errorClass: f.errorClass, ...(f.status !== undefined ? { status: f.status } : {}), detail: f.detail, runs: 1, first: f.at, last: f.at };
    open.set(f.location, episode);
    out.push(episode);
  }
  return out;
}
