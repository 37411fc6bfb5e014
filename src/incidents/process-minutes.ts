import type { Detector, DetectorOutput } from '../detect/detector.js';
import { advanceEngine, type ChangeKind, type EngineOptions, type EngineState, type MinuteCounts } from './engine.js';
import type { Incident, ServiceStatus } from './incident.js';

export interface MinuteResult {
  minute: number;
  total: number;
  out: DetectorOutput;
}

export interface ProcessResult {
  state: EngineState;
  /** Per minute: the detector's view (persisted for the baseline chart). */
  points: MinuteResult[];
  /** Events in order, with the event time of the minute that caused them. */
  events: { kind: ChangeKind; incidentId: string; at: number }[];
  /** The last version of every incident touched. */
  incidents: Map<string, Incident>;
  status: ServiceStatus;
}

/**
 * Feeds consecutive minutes of one service through its detector and incident engine. Pure
 * apart from the detector's own state: used by the live runner and by offline replays, so
 * backfilled history and live traffic produce the same incidents.
 */
export function processMinutes(
  service: string,
  detector: Detector,
  start: EngineState,
  minutes: Iterable<MinuteCounts>,
  options?: EngineOptions,
  /** Minutes in an announced maintenance window: the detector learns them, no incident opens. */
  underMaintenance: (minute: number) => boolean = () => false,
): ProcessResult {
  // One copy up front; each minute then advances it in place.
  let state = structuredClone(start);
  const points: MinuteResult[] = [];
  const events: ProcessResult['events'] = [];
  const incidents = new Map<string, Incident>();
  for (const m of minutes) {
    const out = detector.update({ t: m.minute, value: m.total });
    points.push({ minute: m.minute, total: m.total, out });
    const step = advanceEngine(service, state, m, out, options, underMaintenance(m.minute));
    state = step.state;
    if (step.incident) {
      incidents.set(step.incident.id, step.incident);
      for (const kind of step.events) events.push({ kind, incidentId: step.incident.id, at: m.minute + 60_000 });
    }
  }
  return { state, points, events, incidents, status: state.status };
}
