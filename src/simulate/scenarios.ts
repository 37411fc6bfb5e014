import { quietWeek } from './quiet-week.js';
import type { Scenario } from './scenario.js';
import { spam, spamMultiAddress, spamRotatingUserAgent } from './spam.js';
import { xOutage } from './x-outage.js';

/** Every scenario `stormwatch simulate` knows, by name. */
export const scenarios: readonly Scenario[] = [quietWeek, spam, spamRotatingUserAgent, spamMultiAddress, xOutage];

export function findScenario(name: string): Scenario | undefined {
  return scenarios.find((s) => s.name === name);
}
