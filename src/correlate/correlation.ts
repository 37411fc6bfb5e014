/**
 * Correlation of the two signals: the crowd (an incident exists because reports spiked)
 * and the probes (checks of the same service, run from many locations). Pure: callers
 * pass in the per-location state they read from the store.
 */

/** The state of one location for one service during the window under study. */
export interface LocationState {
  location: string;
  /** True when the latest result from this location (any check of the service) failed. */
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

export function correlateIncident(input: CorrelationInput): Correlation {
  const byLocation = dedupeLocations(input.locations);
  const total = byLocation.length;
  const failing = byLocation.filter((l) => l.failing);
  const errorClasses = countClasses(failing);
  const threshold = Math.max(1, Math.floor(input.minFailingLocations));
  const enough = failing.length >= threshold;
  const base = { failingLocations: failing.length, totalLocations: total, errorClasses };
  const of = `${failing.length} of ${total} location${total === 1 ? '' : 's'}`;
  const what = errorClasses.length > 0 ? describeClasses(errorClasses) : 'failures';

  if (input.crowdSpike) {
    if (total === 0) return { ...base, confidence: 'unverified', cause: 'user-reported, no recent probe results for this service' };
    if (enough) return { ...base, confidence: 'confirmed', cause: `confirmed outage, cause: ${what} from ${of}` };
    if (failing.length > 0) return { ...base, confidence: 'partial', cause: `user-reported, probes partly failing: ${what} from ${of}` };
    return { ...base, confidence: 'user-reported', cause: `user-reported, not reproduced: probes fine from ${total} location${total === 1 ? '' : 's'}` };
  }
  if (enough) return { ...base, confidence: 'probe-only', cause: `probe-only: ${what} from ${of}, no crowd reports` };
  return { ...base, confidence: 'none', cause: failing.length > 0 ? `${what} from ${of}` : 'no failures' };
}

/** A location failing on any check counts once, as failing, with its first failure class. */
function dedupeLocations(states: readonly LocationState[]): LocationState[] {
  const out = new Map<string, LocationState>();
  for (const s of states) {
    const prev = out.get(s.location);
    if (!prev || (!prev.failing && s.failing)) out.set(s.location, s);
  }
  return [...out.values()];
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
