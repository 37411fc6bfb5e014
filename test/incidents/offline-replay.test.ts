import { describe, expect, it } from 'vitest';
import { createDetector } from '../../src/detect/detector.js';
import { initialEngineState } from '../../src/incidents/engine.js';
import { processMinutes } from '../../src/incidents/process-minutes.js';
import { denseMinutes } from '../../src/incidents/runner.js';
import type { Scenario } from '../../src/simulate/scenario.js';
import { spam, spamMultiAddress, spamRotatingUserAgent } from '../../src/simulate/spam.js';
import { xOutage } from '../../src/simulate/x-outage.js';
import { expectOutageDetected } from '../scenarios/expectations.js';

/** The scenario's minutes as the rollups would hold them, without ingest's dedupe. */
function replay(scenario: Scenario, scale: number, seed: number) {
  const cells = [...scenario.minutes({ scale, seed })].flat();
  const minutes = denseMinutes(cells, scenario.from, scenario.to);
  return processMinutes(scenario.service.slug, createDetector(), initialEngineState(), minutes);
}

describe('offline replay of the scenarios (detector + engine, no store)', () => {
  it('finds the X outage at full scale too', () => {
    const r = replay(xOutage, 1, 5);
    expectOutageDetected([...r.incidents.values()], xOutage);
    expect([...r.incidents.values()][0].peak).toBeGreaterThan(40_000);
  });

  it('without ingest dedupe the spam would open an incident: dedupe is what stops it', () => {
    const r = replay(spam, 0.1, 5);
    expect(r.incidents.size).toBe(1);
  });

  it('counting every report as its own source, the rotating-user-agent and multi-address spam would open an incident', () => {
    // Dedupe cannot stop them (every report is a new reporter); test/scenarios shows the
    // distinct-source evidence does.
    for (const variant of [spamRotatingUserAgent, spamMultiAddress]) expect(replay(variant, 0.1, 5).incidents.size, variant.name).toBe(1);
  });

  it('is deterministic for a seed', () => {
    const a = replay(xOutage, 0.02, 9);
    const b = replay(xOutage, 0.02, 9);
    expect([...a.incidents.values()]).toEqual([...b.incidents.values()]);
  });
});
