import type { Bus } from '../events/bus.js';
import type { Clock } from '../time/clock.js';
import type { ProbeService } from '../probes/service.js';
import type { Store } from '../store/store.js';

/**
 * What the HTTP layer may call. Routes only parse, call into these and map errors;
 * each domain adds the service it exposes here.
 */
export interface AppDeps {
  store: Store;
  bus: Bus;
  clock: Clock;
  /** Bearer token for admin writes. */
  adminToken: string;
  /** Checks, agents and the connectivity matrix; the probe routes are absent without it. */
  probes?: ProbeService;
}
