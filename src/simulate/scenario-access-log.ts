import type { AccessLogOptions } from './access-log.js';
import { waveEnd, type Scenario } from './scenario.js';

/**
 * Access-log options matching a scenario: the server side of the same story. The flood
 * covers the scenario's waves (the X outage was judged a DDoS); a scenario without waves
 * gets a day of ordinary traffic.
 */
export function accessLogOptionsFor(scenario: Scenario, seed: number, scale: number): Omit<AccessLogOptions, 'countries'> {
  const waves = scenario.waves;
  if (waves.length === 0) {
    return { seed, start: Math.floor((scenario.to - 86_400_000) / 1000), durationSeconds: 86_400, normalRps: 5 * scale, crawlers: 3, attack: null, format: 'combined' };
  }
  const first = waves[0].start;
  const last = Math.max(...waves.map(waveEnd));
  const start = Math.floor(first / 1000) - 1800;
  const end = Math.floor(last / 1000) + 1800;
  return {
    seed,
    start,
    durationSeconds: end - start,
    normalRps: Math.max(1, 20 * scale),
    crawlers: 4,
    attack: { offsetSeconds: 1800, durationSeconds: Math.floor((last - first) / 1000), rps: Math.max(10, Math.round(200 * scale)), bots: Math.max(50, Math.round(5000 * scale)) },
    format: 'combined',
  };
}
