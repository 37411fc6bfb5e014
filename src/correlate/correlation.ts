/**
 * Correlation of the two signals: the crowd (an incident exists because reports spiked)
 * and the probes (checks of the same service, run from many locations). Pure: callers
 * pass in the per-location state they read from the store.
 */

/** The state of one check in one location during the window under study. */
export interface LocationState {
  location: string;
  /** The check (its name, as a cause names it); states without one form a single group. */
  check?: string;
  /** True when the latest result of this check from this location failed. */
  failing: boolean;
  /** Error class of that failure (`timeout`, `connection_refused`, ...); absent when ok. */
  errorClass?: string;
}

export interface CorrelationInput {
  /** True when reports spiked: an open or closed crowd incident covers the window. */
  crowdSpike: boolean;
  locations: readonly LocationState[];
  /** Failing locations needed to call the probes' verdict a failure (at least 1). */
  minFailingLocations: number;
}

/**
 * - `confirmed`: crowd spike and probes fail from enough locations.
 * - `probe-only`: probes fail from enough locations, nobody reports it (yet).
 * - `user-reported`: crowd spike, probes ran and look fine (not reproduced).
 * - `partial`: crowd spike, some probe failures but fewer than the threshold.
 * - `unverified`: crowd spike, but no recent probe results for the service.
 * - `none`: no spike and no (sufficient) probe failure; nothing to say.
 */
export type Confidence = 'confirmed' | 'probe-only' | 'user-reported' | 'partial' | 'unverified' | 'none';

export interface ErrorClassCount {
  errorClass: string;
  locations: number;
}

export interface Correlation {
  confidence: Confidence;
  /** The check the cause is about: the one failing from the most locations. */
  check?: string;
  /** One human sentence, shown in the API, the incident page and alerts. */
  cause: string;
  failingLocations: number;
  totalLocations: number;
  /** Failure classes by number of locations, most common first. */
  errorClasses: ErrorClassCount[];
}

const PHRASES: Record<string, string> = {
  timeout: 'connection timeouts',
  connection_refused: 'connections refused',
  dns: 'DNS failures',
  tls: 'TLS errors',
  http_5xx: 'HTTP 5xx errors',
  http_4xx: 'HTTP 4xx errors',
  content_mismatch: 'unexpected content',
  slow: 'slow responses',
  unsupported: 'unsupported checks',
  error: 'network errors',
};

/** "connection timeouts", for an error class as stored with probe results. */
export function describeErrorClass(errorClass: string): string {
  return PHRASES[errorClass] ?? errorClass.replace(/_/g, ' ');
}

/**
 * The verdict is about one check at a time, never a mix: the check failing from the most
 * locations explains the incident ("connections refused from 3 of 3 locations on x-tcp"),
 * with that check's own error classes and location count.
 */
export function correlateIncident(input: CorrelationInput): Correlation {
  const allLocations = new Set(input.locations.map((l) => l.location)).size;
  const worst = worstCheck(input.locations);
  const failing = worst?.states.filter((l) => l.failing) ?? [];
  const total = worst && failing.length > 0 ? worst.states.length : allLocations;
  const errorClasses = countClasses(failing);
  const threshold = Math.max(1, Math.floor(input.minFailingLocations));
  const enough = failing.length >= threshold;
  const base = { failingLocations: failing.length, totalLocations: total, errorClasses, ...(failing.length > 0 && worst?.check ? { check: worst.check } : {}) };
  const on = failing.length > 0 && worst?.check ? ` on ${worst.check}` : '';
  const of = `${failing.length} of ${total} location${total === 1 ? '' : 's'}${on}`;
  const what = errorClasses.length > 0 ? describeClasses(errorClasses) : 'failures';

  if (input.crowdSpike) {
    if (allLocations === 0) return { ...base, confidence: 'unverified', cause: 'user-reported, no recent probe results for this service' };
    if (enough) return { ...base, confidence: 'confirmed', cause: `confirmed outage, cause: ${what} from ${of}` };
    if (failing.length > 0) return { ...base, confidence: 'partial', cause: `user-reported, probes partly failing: ${what} from ${of}` };
    return { ...base, confidence: 'user-reported', cause: `user-reported, not reproduced: probes fine from ${allLocations} location${allLocations === 1 ? '' : 's'}` };
  }
  if (enough) return { ...base, confidence: 'probe-only', cause: `probe-only: ${what} from ${of}, no crowd reports` };
  return { ...base, confidence: 'none', cause: failing.length > 0 ? `${what} from ${of}` : 'no failures' };
}

/** The check failing from the most locations (ties: more locations, then by name). */
function worstCheck(states: readonly LocationState[]): { check?: string; states: LocationState[] } | undefined {
  const byCheck = new Map<string, Map<string, LocationState>>();
  for (const s of states) {
    const key = s.check ?? '';
    const locations = byCheck.get(key) ?? new Map<string, LocationState>();
    const prev = locations.get(s.location);
    if (!prev || (!prev.failing && s.failing)) locations.set(s.location, s);
    byCheck.set(key, locations);
  }
  let best: { check?: string; states: LocationState[]; failing: number } | undefined;
  for (const [check, locations] of [...byCheck].sort((a, b) => a[0].localeCompare(b[0]))) {
    const list = [...locations.values()];
    const failing = list.filter((l) => l.failing).length;
    if (!best || failing > best.failing || (failing === best.failing && list.length > best.states.length)) best = { ...(check ? { check } : {}), states: list, failing };
  }
  return best;
}

function countClasses(failing: readonly LocationState[]): ErrorClassCount[] {
  const counts = new Map<string, number>();
  for (const f of failing) {
    const c = f.errorClass ?? 'error';
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([errorClass, locations]) => ({ errorClass, locations }))
    .sort((a, b) => b.locations - a.locations || a.errorClass.localeCompare(b.errorClass));
}

/** The dominant class alone, or the top two ("connection timeouts and DNS failures"). */
function describeClasses(classes: readonly ErrorClassCount[]): string {
  if (classes.length === 1) return describeErrorClass(classes[0].errorClass);
  return `${describeErrorClass(classes[0].errorClass)} and ${describeErrorClass(classes[1].errorClass)}`;
}

/**
 * A crowd incident whose service has a check failing from its quorum of locations (the same
 * rule that sets the service's status) is confirmed by that check.
 */
export function confirmedByCheck(c: { checkName: string; failing: number; total: number; classes: readonly ErrorClassCount[] }): Correlation {
  const of = `${c.failing} of ${c.total} location${c.total === 1 ? '' : 's'} on ${c.checkName}`;
  return {
    confidence: 'confirmed', check: c.checkName, failingLocations: c.failing, totalLocations: c.total, errorClasses: [...c.classes],
    cause: `confirmed outage, cause: ${c.classes.length > 0 ? describeClasses(c.classes) : 'failures'} from ${of}`,
  };
}

const RANK: Record<Confidence, number> = { none: 0, unverified: 1, 'user-reported': 2, partial: 3, 'probe-only': 3, confirmed: 4 };

/**
 * An incident keeps the strongest verdict it reached: probes that recover before the crowd
 * quiets down do not turn a confirmed outage back into "not reproduced". Within the same
 * level, the wider failure (more locations) is the better explanation.
 */
export function strongerCorrelation(prev: Correlation | undefined, next: Correlation): Correlation {
  if (!prev) return next;
  if (RANK[next.confidence] !== RANK[prev.confidence]) return RANK[next.confidence] > RANK[prev.confidence] ? next : prev;
  return next.failingLocations >= prev.failingLocations ? next : prev;
}
