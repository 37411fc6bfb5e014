import { MINUTE_MS, type ReportCell, type Scenario, type ScenarioOptions, type Wave } from './scenario.js';

/**
 * Where a replay lands in time: every report moves by `shiftMs`, and only the scenario's
 * reports before `until` (the scenario's own time) are sent.
 */
export interface Placement {
  shiftMs: number;
  until: number;
}

/** Shifts come in whole steps of this size, so runs within one step send identical reports. */
export const SHIFT_STEP_MS = 15 * MINUTE_MS;
/** The last replayed minute is complete at least this long before now. */
export const SHIFT_MARGIN_MS = MINUTE_MS;

/** The scenario as written: March 2025 for the X outage, everything sent. */
export function originalTime(scenario: Scenario): Placement {
  return { shiftMs: 0, until: scenario.to };
}

/**
 * Where a replay shifted to now stops, in the scenario's own time: at the end of the last
 * wave's plateau, so the replay ends while the outage is at its height (a scenario without
 * waves is sent whole).
 */
export function replayCut(scenario: Scenario): number {
  const last = scenario.waves.reduce<Wave | undefined>((a, w) => (a === undefined || w.start > a.start ? w : a), undefined);
  return last === undefined ? scenario.to : Math.min(scenario.to, last.start + (last.riseMinutes + last.holdMinutes) * MINUTE_MS);
}

/**
 * `--shift-to-now`: the whole scenario moves by the largest whole number of 15-minute steps
 * that puts its cut (`replayCut`) at least a minute before `now`, so the replay ends 1 to 16
 * minutes before now with the last wave still at its height: the service is in an open
 * incident when the import finishes, and the incident closes once the server has seen the
 * quiet minutes that follow. Whole steps keep the scenario's minutes (and 15-minute
 * buckets) aligned and make two runs within one step send the very same reports.
 */
export function shiftToNow(scenario: Scenario, now: number): Placement {
  const cut = replayCut(scenario);
  const shiftMs = Math.floor((now - SHIFT_MARGIN_MS - cut) / SHIFT_STEP_MS) * SHIFT_STEP_MS;
  return { shiftMs, until: cut };
}

/**
 * The scenario moved and cut as `p` says: the same reports (the generator runs in the
 * scenario's own time, so the random draws do not depend on the shift), later by
 * `shiftMs`, and none from `until` on.
 */
export function placeScenario(scenario: Scenario, p: Placement): Scenario {
  if (p.shiftMs === 0 && p.until >= scenario.to) return scenario;
  const until = Math.min(p.until, scenario.to);
  return {
    name: scenario.name,
    description: scenario.description,
    service: scenario.service,
    outageProblems: scenario.outageProblems,
    from: scenario.from + p.shiftMs,
    to: until + p.shiftMs,
    waves: scenario.waves.filter((w) => w.start < until).map((w) => ({ ...w, start: w.start + p.shiftMs })),
    *minutes(o: ScenarioOptions): Generator<ReportCell[]> {
      let t = scenario.from;
      for (const cells of scenario.minutes(o)) {
        if (t >= until) return;
        yield p.shiftMs === 0 ? cells : cells.map((c) => ({ ...c, minute: c.minute + p.shiftMs }));
        t += MINUTE_MS;
      }
    },
  };
}
