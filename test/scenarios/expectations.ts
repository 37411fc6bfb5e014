import { expect } from 'vitest';
import type { Incident } from '../../src/incidents/incident.js';
import type { Scenario } from '../../src/simulate/scenario.js';

const MIN = 60_000;

/**
 * What a replay of an outage scenario must show (issue #3): one incident (or incidents
 * linked as its phases) that opens within 3 minutes of each wave's start, the problem
 * breakdown within 2 points of the scenario's, and a close after recovery.
 */
export function expectOutageDetected(incidents: readonly Incident[], scenario: Scenario): void {
  expect(incidents).toHaveLength(1);
  const inc = incidents[0];
  expect(inc.service).toBe(scenario.service.slug);
  expect(inc.phases).toHaveLength(scenario.waves.length);
  scenario.waves.forEach((w, i) => {
    const p = inc.phases[i];
    expect(p.detectedAt - w.start, `${w.label} recognised ${(p.detectedAt - w.start) / MIN} min after its start`).toBeLessThanOrEqual(3 * MIN);
    expect(p.detectedAt).toBeGreaterThan(w.start);
    expect(p.end, `${w.label} ended`).toBeDefined();
  });
  for (const [problem, percent] of Object.entries(scenario.outageProblems)) {
    const got = inc.breakdown.find((b) => b.problem === problem)?.percent ?? 0;
    expect(Math.abs(got - percent), `${problem}: ${got}% vs ${percent}%`).toBeLessThanOrEqual(2);
  }
  expect(inc.status).toBe('closed');
  const lastWave = scenario.waves[scenario.waves.length - 1];
  expect(inc.closedAt).toBeGreaterThan(lastWave.start);
  expect(inc.closedAt).toBeLessThan(scenario.to);
  expect(inc.severity).toBe('major_outage');
  expect(inc.regions[0].region).toMatch(/^US-(CA|NY)$/);
}
