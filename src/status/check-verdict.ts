import type { CheckSignal, ClassCount } from './model.js';

/**
 * When a check counts as failing. A location goes down after `failuresBefore` failed runs in
 * a row and comes back after `recoveriesBefore` good runs in a row (hysteresis, so one lost
 * packet does not page anyone); the check fails when at least `quorum` of the locations that
 * report are down (all of them when fewer report), a major outage from `majorShare` of them.
 */
export interface QuorumSettings {
  quorum: number;
  failuresBefore: number;
  recoveriesBefore: number;
  majorShare: number;
}

export const DEFAULT_QUORUM: QuorumSettings = { quorum: 2, failuresBefore: 3, recoveriesBefore: 2, majorShare: 0.75 };

/** One check in one location, as persisted in `probe_location_states`. */
export interface LocationState {
  checkId: string;
  location: string;
  /**
   * False until the location has shown `failuresBefore` failures or `recoveriesBefore`
   * successes in a row: a location that just joined counts neither way, so an agent coming
   * up does not water down (or tip) the quorum while its first runs come in.
   */
  settled: boolean;
  down: boolean;
  failStreak: number;
  okStreak: number;
  /** The last result folded in (its probe time and id: results are read after this pair). */
  lastAt: number;
  lastId: string;
  lastOk: boolean;
  lastErrorClass: string;
  lastLatencyMs: number;
  /** Class and detail of the latest failure (kept while the location recovers). */
  failClass?: string;
  failDetail?: string;
  certExpiresAt?: number;
  /** Result time when `down` last changed (or of the first result). */
  changedAt: number;
}

/** The fields of a probe result the streaks need. */
export interface ResultSample {
  id: string;
  at: number;
  ok: boolean;
  errorClass: string;
  latencyMs: number;
  detail: string;
  certExpiresAt?: number;
}

/** Folds results (oldest first, all newer than `prev.lastAt/lastId`) into a location's state. */
export function advanceLocation(
  prev: LocationState | undefined,
  key: { checkId: string; location: string },
  results: readonly ResultSample[],
  s: Pick<QuorumSettings, 'failuresBefore' | 'recoveriesBefore'>,
): LocationState | undefined {
  let st = prev ? { ...prev } : undefined;
  for (const r of results) {
    st ??= { ...key, settled: false, down: false, failStreak: 0, okStreak: 0, lastAt: r.at, lastId: r.id, lastOk: r.ok, lastErrorClass: r.errorClass, lastLatencyMs: r.latencyMs, changedAt: r.at };
    if (r.ok) {
      st.okStreak++;
      st.failStreak = 0;
      if (st.okStreak >= Math.max(1, s.recoveriesBefore)) {
        if (st.down) st.changedAt = r.at;
        st.down = false;
        st.settled = true;
      }
    } else {
      st.failStreak++;
      st.okStreak = 0;
      st.failClass = r.errorClass;
      st.failDetail = r.detail;
      if (!st.down && st.failStreak >= Math.max(1, s.failuresBefore)) {
        st.down = true;
        st.settled = true;
        st.changedAt = r.at;
      }
    }
    st.lastAt = r.at;
    st.lastId = r.id;
    st.lastOk = r.ok;
    st.lastErrorClass = r.errorClass;
    st.lastLatencyMs = r.latencyMs;
    if (r.certExpiresAt !== undefined) st.certExpiresAt = r.certExpiresAt;
  }
  return st;
}

/**
 * The check's verdict at `now` from its locations' states. Locations silent for longer than
 * `staleMs` (an agent that went away), and those not settled yet, count neither way.
 */
export function checkVerdict(
  check: { id: string; name: string },
  states: readonly LocationState[],
  s: Pick<QuorumSettings, 'quorum' | 'majorShare'>,
  now: number,
  staleMs: number,
): CheckSignal {
  const live = states.filter((l) => l.settled && l.lastAt >= now - staleMs);
  const down = live.filter((l) => l.down).sort((a, b) => a.changedAt - b.changedAt);
  const quorum = Math.max(1, Math.min(Math.floor(s.quorum), live.length));
  const base = { checkId: check.id, checkName: check.name, failing: down.length, total: live.length, quorum, classes: countClasses(down) };
  if (down.length === 0 || down.length < quorum) return { ...base, status: 'operational' };
  const since = down[quorum - 1].changedAt;
  if (down.every((l) => l.failClass === 'slow')) return { ...base, status: 'degraded_performance', since };
  const status = down.length / live.length >= s.majorShare ? 'major_outage' : 'partial_outage';
  return { ...base, status, since };
}

function countClasses(down: readonly LocationState[]): ClassCount[] {
  const counts = new Map<string, number>();
  for (const l of down) {
    const c = l.failClass ?? 'error';
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([errorClass, locations]) => ({ errorClass, locations }))
    .sort((a, b) => b.locations - a.locations || a.errorClass.localeCompare(b.errorClass));
}

/** A location that has not reported for three intervals and a timeout has gone away. */
export function staleAfterMs(intervalMs: number, timeoutMs: number): number {
  return 3 * intervalMs + timeoutMs;
}
