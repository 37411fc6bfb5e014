import type { Detector } from '../detect/detector.js';

/** NAB's null detector: a constant 0.5, whose best threshold detects nothing (score 0 by definition). */
export function createNullDetector(): Detector {
  return {
    update: (obs) => ({ score: 0.5, expected: obs.value, upper: obs.value, alarm: false }),
    // It predicts nothing; 0 keeps the contract's "never negative for a series that never was".
    expect: () => 0,
    snapshot: () => ({}),
  };
}
