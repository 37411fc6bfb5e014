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
 * Reduces raw results to one state per location: the location fails when the latest
 * result of any of its checks inside [from, to] failed. Latest, not "ever", so that a
 * location that recovered within the window counts as fine.
 */
export function locationStates(samples: readonly ProbeSample[], from: number, to: number): LocationState[] {
  const latest = new Map<string, ProbeSample>();
  for (const s of samples) {
    if (s.at < from || s.at > to) continue;
    const key = `${s.checkId}\u0000${s.location}`;
    const prev = latest.get(key);
    if (!prev || s.at > prev.at) latest.set(key, s);
  }
  const byLocation = new Map<string, LocationState>();
  for (const s of latest.values()) {
    const prev = byLocation.get(s.location);
    if (prev?.failing) continue;
    byLocation.set(s.location, s.ok ? { location: s.location, failing: false } : { location: s.location, failing: true, errorClass: s.errorClass });
  }
  return [...byLocation.values()].sort((a, b) => a.location.localeCompare(b.location));
}
