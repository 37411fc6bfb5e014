import type { LocationState } from './correlation.js';

/** The fields of a probe result the correlation needs. */
export interface ProbeSample {
  checkId: string;
  location: string;
  at: number;
  ok: boolean;
  errorClass: string;
}

/**
 * Reduces raw results to one state per check and location: its latest result inside
 * [from, to]. Latest, not "ever", so that a location that recovered within the window counts
 * as fine. `names` turns check ids into the names a cause shows.
 */
export function locationStates(samples: readonly ProbeSample[], from: number, to: number, names: ReadonlyMap<string, string> = new Map()): LocationState[] {
  const latest = new Map<string, ProbeSample>();
  for (const s of samples) {
    if (s.at < from || s.at > to) continue;
    const key = `${s.checkId}\u0000${s.location}`;
    const prev = latest.get(key);
    if (!prev || s.at > prev.at) latest.set(key, s);
  }
  return [...latest.values()]
    .map((s): LocationState => {
      const check = names.get(s.checkId) ?? s.checkId;
      return s.ok ? { location: s.location, check, failing: false } : { location: s.location, check, failing: true, errorClass: s.errorClass };
    })
    .sort((a, b) => (a.check ?? '').localeCompare(b.check ?? '') || a.location.localeCompare(b.location));
}
