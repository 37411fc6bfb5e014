import { reportBatches } from '../../src/simulate/expand-reports.js';
import { importScenario } from '../../src/simulate/import-reports.js';
import { xOutage } from '../../src/simulate/x-outage.js';
import { createService, importReports } from './seed.js';

/**
 * Seeds a running server the way `stormwatch simulate --scenario x-outage-2025-03-10
 * --target URL --token T` does: the simulator's X outage (a normal week, then the waves of
 * 10 March 2025) through the batch endpoint with event times, at 1% of the real volume so
 * the browser tests stay quick (the peak is still ~400 reports a minute). Two quiet services
 * keep the home page honest about ordering and status.
 */
export const X_SCALE = 0.01;

export async function seedXOutage(base: string, adminToken: string): Promise<{ accepted: number }> {
  const result = await importScenario(xOutage, { target: base, token: adminToken, scale: X_SCALE, seed: 42 });
  await createService(base, 'github', 'GitHub');
  await createService(base, 'slack', 'Slack');
  return { accepted: result.accepted };
}

/** End of the scenario: the server clock for the tests, so "the last 24 hours" is 10 March UTC. */
export const X_SCENARIO_END = xOutage.to;

/**
 * The same scenario cut off at `until` (event time), for a server whose clock stands in the
 * middle of the outage: nothing from its future is imported.
 */
export async function seedXOutageUntil(base: string, until: number): Promise<number> {
  await createService(base, xOutage.service.slug, xOutage.service.name, xOutage.service.url);
  let accepted = 0;
  for (const batch of reportBatches(xOutage, { scale: X_SCALE, seed: 42 }, 10_000)) {
    const part = batch.filter((r) => Date.parse(r.ts) < until);
    if (part.length > 0) accepted += await importReports(base, part);
    if (part.length < batch.length) break;
  }
  return accepted;
}
