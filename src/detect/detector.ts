/**
 * The streaming detector's contract, shared by the live incident engine, `stormwatch
 * detect`, the NAB benchmark and attack forensics. Pure: no clock, no I/O; time arrives
 * with each observation. The implementation behind `createDetector` is the detect
 * domain's to choose and tune (one configuration for every series).
 */
export interface Observation {
  /** Event time of the bucket, ms since epoch. */
  t: number;
  /** Count (or value) in the bucket. */
  value: number;
}

export interface DetectorOutput {
  /** Anomaly score in [0, 1]; 1 = certainly anomalous. */
  score: number;
  /** What the baseline expected for this bucket (never negative for a series that never was). */
  expected: number;
  /** The value above which the bucket counts as anomalous now (the drawn threshold). */
  upper: number;
  /**
   * The value below which the bucket counts as anomalously low now (the mirror of `upper`);
   * detectors without a lower band leave it out.
   */
  lower?: number;
  /** The hysteresis state after this observation: true while an anomaly is open. */
  alarm: boolean;
}

export interface Detector {
  update(obs: Observation): DetectorOutput;
  /**
   * What the baseline expects at `t` (in the input's units), learning nothing: a minute that
   * must not teach the baseline (a dismissed incident's) is replaced by it.
   */
  expect(t: number): number;
  /** JSON-safe state, to persist and resume a live detector. */
  snapshot(): unknown;
}

export { createDetector } from './create-detector.js';
export { DEFAULT_DETECTOR_OPTIONS } from './detector-options.js';
export type { DetectorOptions } from './detector-options.js';
export type { DetectorState } from './detector-state.js';
