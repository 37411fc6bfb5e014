/**
 * A simulated scenario: a service, a time span, and reports minute by minute. Reports come
 * aggregated in cells (same minute, problem, region and reporter) so that a week of
 * traffic stays cheap to generate and to post; `expand-reports.ts` turns cells into
 * individual reports for the batch endpoint.
 */
export interface ReportCell {
  /** Minute start, ms since epoch. */
  minute: number;
  problem: string;
  region: string;
  count: number;
  /** Set when the reports come from one identifiable reporter (spam). */
  reporter?: string;
  /** Each report looks like a new reporter (a rotated user agent): ids `reporter/minute/k`. */
  rotateReporter?: boolean;
  /** The addresses the reports come from, one per report in turn; absent for the crowd. */
  addresses?: readonly string[];
}

export interface SimService {
  slug: string;
  name: string;
  url: string;
}

/** A burst of outage reports, as the scenario describes it (used by tests to check detection). */
export interface Wave {
  label: string;
  start: number;
  peakPerMinute: number;
  riseMinutes: number;
  holdMinutes: number;
  decayMinutes: number;
}

export interface ScenarioOptions {
  /** Multiplies every rate (1 = the figures of the scenario). */
  scale: number;
  seed: number;
}

export interface Scenario {
  name: string;
  description: string;
  service: SimService;
  from: number;
  to: number;
  waves: readonly Wave[];
  /** What the outage reports are about, in percent (for tests: the breakdown to expect). */
  outageProblems: Readonly<Record<string, number>>;
  /** Cells for each minute in [from, to), in event-time order. */
  minutes(options: ScenarioOptions): Generator<ReportCell[]>;
}

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** The wave's intensity (0..1) at `t`: a quick rise, a plateau, a linear decay. */
export function waveShape(w: Wave, t: number): number {
  const m = (t - w.start) / MINUTE_MS;
  if (m < 0) return 0;
  if (m < w.riseMinutes) return 0.2 + (0.8 * (m + 1)) / w.riseMinutes;
  const afterRise = m - w.riseMinutes;
  if (afterRise < w.holdMinutes) return 1;
  const d = afterRise - w.holdMinutes;
  return d < w.decayMinutes ? 1 - d / w.decayMinutes : 0;
}

/** End of a wave's decay. */
export function waveEnd(w: Wave): number {
  return w.start + (w.riseMinutes + w.holdMinutes + w.decayMinutes) * MINUTE_MS;
}
