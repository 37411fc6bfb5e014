import type { DetectorOutput } from '../detect/detector.js';
import { addCounts, problemShares, topRegions } from './breakdown.js';
import type { Incident, Phase, ServiceStatus } from './incident.js';
import { endSuspicion, evidenceSince, flagSuspicion, type SuspicionState } from './source-evidence.js';

/**
 * The incident engine for one service: pure, one call per completed minute in event time,
 * after the detector has seen that minute. The detector's alarm (with its own hysteresis)
 * decides whether something is wrong; this engine turns alarms into incidents and waves:
 *
 * - alarm up and reports above the threshold, no incident open
 *                → an incident opens, or, when the last one closed less than `mergeWindowMs`
 *                  ago, that one reopens with a new phase (the waves of one outage stay one).
 * - in a phase   → the phase ends once reports have stayed near baseline (within
 *                  `quietFraction` of the phase's excess) for `quietMinutes`.
 * - no phase     → while the alarm is still up, a new phase starts once reports exceed the
 *                  detector's threshold and `riseFraction` of the last phase's excess for
 *                  `riseMinutes` (a second wave before the alarm had time to drop).
 * - alarm down  → the incident closes.
 *
 * Opening, reopening and a new phase also need evidence from distinct sources
 * (source-evidence.ts): a spike from too few networks is kept as a spam suspicion instead.
 */
export interface EngineOptions {
  mergeWindowMs: number;
  quietFraction: number;
  quietMinutes: number;
  riseFraction: number;
  riseMinutes: number;
  /** Reports at least this many times the expected count make a phase a major outage. */
  majorRatio: number;
  regionLimit: number;
  /** Distinct fresh sources a spike needs before it opens an incident or a phase. */
  minSources: number;
}

export const DEFAULT_ENGINE_OPTIONS: Readonly<EngineOptions> = Object.freeze({
  mergeWindowMs: 4 * 3_600_000,
  quietFraction: 0.15,
  quietMinutes: 5,
  riseFraction: 0.25,
  riseMinutes: 2,
  majorRatio: 10,
  regionLimit: 10,
  minSources: 5,
});

const MINUTE_MS = 60_000;
/** Minutes kept so a phase that is recognised late still counts the reports of its start. */
const RECENT_MINUTES = 8;

export interface MinuteCounts {
  /** Minute start, ms since epoch. */
  minute: number;
  total: number;
  problems: Record<string, number>;
  regions: Record<string, number>;
  /**
   * Reports from sources (networks, or integrators' reporter ids) not seen in the window
   * before; absent when every report is its own source (trusted history).
   */
  sources?: number;
}

/** A recent minute with the detector's threshold for it (the evidence needs both). */
export interface RecentMinute extends MinuteCounts {
  upper?: number;
}

interface Tracked {
  id: string;
  openedAt: number;
  closedAt?: number;
  phases: Phase[];
  reports: number;
  problems: Record<string, number>;
  regions: Record<string, number>;
  worst: 'degraded' | 'major_outage';
  phaseMajor: boolean;
  updatedAt: number;
  /** Last minute counted into the incident: a minute never counts twice. */
  lastCounted?: number;
  /** An operator dismissed it as false: a later spike opens a new incident instead of reopening it. */
  dismissed?: boolean;
}

/** JSON-safe; persisted next to the detector's snapshot. */
export interface EngineState extends SuspicionState {
  version: 1;
  status: ServiceStatus;
  tracked?: Tracked;
  hotStart?: number;
  riseStreak: number;
  riseStart?: number;
  quietStreak: number;
  quietStart?: number;
  recent: RecentMinute[];
  /**
   * Dismissed incidents whose minutes the detector's state has been rebuilt without
   * (src/incidents/unlearn.ts); absent in states saved before dismissal existed.
   */
  unlearned?: string[];
}

export type ChangeKind = 'opened' | 'phase' | 'updated' | 'closed';

export interface EngineStep {
  state: EngineState;
  /** What happened this minute that others should hear about (in order). */
  events: ChangeKind[];
  /** The tracked incident after this minute, when it changed at all (peak, counts, phases). */
  incident?: Incident;
  status: ServiceStatus;
}

export function initialEngineState(): EngineState {
  return { version: 1, status: 'operational', riseStreak: 0, quietStreak: 0, recent: [] };
}

export function stepEngine(
  service: string,
  prev: EngineState,
  m: MinuteCounts,
  out: DetectorOutput,
  o: EngineOptions = DEFAULT_ENGINE_OPTIONS,
): EngineStep {
  return advanceEngine(service, structuredClone(prev), m, out, o);
}

/**
 * `stepEngine` without the copy: changes `s` in place. For loops over many minutes that
 * own their state (process-minutes.ts), where a copy per minute would dominate the cost.
 */
export function advanceEngine(
  service: string,
  s: EngineState,
  m: MinuteCounts,
  out: DetectorOutput,
  o: EngineOptions = DEFAULT_ENGINE_OPTIONS,
  /** The minute is in an announced maintenance window: the reports are expected, nothing opens. */
  maintenance = false,
): EngineStep {
  const events: ChangeKind[] = [];
  const v = m.total;
  const e = out.expected;
  const hot = v > out.upper;
  s.hotStart = hot ? (s.hotStart ?? m.minute) : undefined;
  const minute: RecentMinute = { ...m, upper: out.upper };
  s.recent.push(minute);
  if (s.recent.length > RECENT_MINUTES) s.recent.shift();
  /** Set when this minute's spike was refused for want of distinct sources. */
  let refused = false;
  const enoughSources = (since: number): boolean => {
    const evidence = evidenceSince(s.recent, since, o.minSources);
    if (!evidence.ok) {
      refused = true;
      flagSuspicion(s, minute, since, evidence);
    }
    return evidence.ok;
  };

  let inc = s.tracked;
  let touched = false;
  const isOpen = inc !== undefined && inc.closedAt === undefined;
  // Only excess opens an incident: the detector also alarms when reports vanish (a drop
  // below baseline), which for crowd reports means quiet, not an outage.
  const rising = !maintenance && out.alarm && !isOpen && hot && enoughSources(s.hotStart ?? m.minute);
  const falling = !out.alarm && isOpen;

  if (rising) {
    const start = s.hotStart ?? m.minute;
    if (inc && inc.closedAt !== undefined && !inc.dismissed && m.minute - inc.closedAt <= o.mergeWindowMs) {
      delete inc.closedAt;
      events.push('phase');
    } else {
      inc = {
        id: incidentId(service, start),
        openedAt: start,
        phases: [],
        reports: 0,
        problems: {},
        regions: {},
        worst: 'degraded',
        phaseMajor: false,
        updatedAt: m.minute,
      };
      s.tracked = inc;
      events.push('opened');
    }
    startPhase(s, inc, start, m);
    touched = true;
  } else if (inc && inc.closedAt === undefined) {
    const active = activePhase(inc);
    if (active) {
      countMinute(inc, active, m);
      touched = true;
      const quiet = v <= e + o.quietFraction * Math.max(active.peak - e, 0);
      s.quietStreak = quiet ? s.quietStreak + 1 : 0;
      s.quietStart = quiet ? (s.quietStart ?? m.minute) : undefined;
      if (s.quietStreak >= o.quietMinutes) {
        active.end = s.quietStart;
        s.quietStreak = 0;
        s.quietStart = undefined;
        events.push('updated');
      }
    } else {
      const last = inc.phases[inc.phases.length - 1];
      const riseOk = hot && v > e + o.riseFraction * Math.max((last?.peak ?? 0) - e, 0);
      s.riseStreak = riseOk ? s.riseStreak + 1 : 0;
      s.riseStart = riseOk ? (s.riseStart ?? m.minute) : undefined;
      if (s.riseStreak >= o.riseMinutes && !falling && enoughSources(s.riseStart ?? m.minute)) {
        startPhase(s, inc, s.riseStart ?? m.minute, m);
        events.push('phase');
        touched = true;
      }
    }
    if (falling) {
      const open = activePhase(inc);
      if (open) open.end = s.quietStart ?? m.minute;
      inc.closedAt = m.minute + MINUTE_MS;
      events.push('closed');
      touched = true;
    }
  }

  if (inc && inc.closedAt === undefined) {
    const active = activePhase(inc);
    if (active && v >= o.majorRatio * Math.max(e, 1)) inc.phaseMajor = true;
    if (inc.phaseMajor && inc.worst !== 'major_outage') {
      inc.worst = 'major_outage';
      if (events.length === 0) events.push('updated');
    }
    s.status = active && inc.phaseMajor ? 'major_outage' : 'degraded';
  } else {
    s.status = 'operational';
  }
  if (touched && inc) inc.updatedAt = m.minute;
  // A suspicion lasts as long as consecutive minutes are refused; it ends, or became an incident.
  if (!refused && s.suspect) endSuspicion(s, m.minute, events.includes('opened') || events.includes('phase') ? inc?.id : undefined);
  return { state: s, events, status: s.status, ...(touched && inc ? { incident: toIncident(service, inc, o) } : {}) };
}

function activePhase(inc: Tracked): Phase | undefined {
  const last = inc.phases[inc.phases.length - 1];
  return last && last.end === undefined ? last : undefined;
}

function startPhase(s: EngineState, inc: Tracked, hotSince: number, m: MinuteCounts): void {
  // Reports may have stayed above the threshold since before the last phase ended; the new
  // wave still starts no earlier than that end, so phases never overlap.
  const previousEnd = inc.phases[inc.phases.length - 1]?.end;
  const start = previousEnd === undefined ? hotSince : Math.max(hotSince, previousEnd);
  const phase: Phase = { start, detectedAt: m.minute + MINUTE_MS, peak: 0 };
  inc.phases.push(phase);
  inc.phaseMajor = false;
  s.riseStreak = 0;
  s.riseStart = undefined;
  s.quietStreak = 0;
  s.quietStart = undefined;
  // The minutes between the wave's start and its recognition belong to it too.
  for (const r of s.recent) if (r.minute >= start) countMinute(inc, phase, r);
}

function countMinute(inc: Tracked, phase: Phase, m: MinuteCounts): void {
  phase.peak = Math.max(phase.peak, m.total);
  if (inc.lastCounted !== undefined && m.minute <= inc.lastCounted) return;
  inc.lastCounted = m.minute;
  inc.reports += m.total;
  addCounts(inc.problems, m.problems);
  addCounts(inc.regions, m.regions);
}

/** Stable across live and backfilled runs: the service and the first minute of the first wave. */
export function incidentId(service: string, start: number): string {
  const iso = new Date(start).toISOString(); // 2025-03-10T09:31:00.000Z
  return `${service}-${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
}

export function toIncident(service: string, t: Tracked, o: EngineOptions = DEFAULT_ENGINE_OPTIONS): Incident {
  return {
    id: t.id,
    service,
    status: t.closedAt === undefined ? 'open' : 'closed',
    severity: t.worst,
    title: `${service}: ${t.worst === 'major_outage' ? 'major outage' : 'problems'} reported`,
    openedAt: t.openedAt,
    ...(t.closedAt !== undefined ? { closedAt: t.closedAt } : {}),
    peak: t.phases.reduce((p, ph) => Math.max(p, ph.peak), 0),
    reports: t.reports,
    phases: t.phases.map((p) => ({ ...p })),
    breakdown: problemShares(t.problems),
    regions: topRegions(t.regions, o.regionLimit),
    updatedAt: t.updatedAt,
  };
}
