import { ConfigError } from '../config/load.js';
import type { Bus } from '../events/bus.js';
import type { Store } from '../store/store.js';
import type { Clock } from '../time/clock.js';
import { CheckDefinitionError, type CheckDefinition } from './check.js';
import type { ProbesSection } from './config.js';
import { defaultRegistry } from './default-registry.js';
import { LocalAgent } from './local-agent.js';
import { ResultRetention } from './retention.js';
import { ProbeService } from './service.js';

export interface ProbesSetup {
  service: ProbeService;
  /** The built-in agent, when enabled; the server starts and stops it as a component. */
  localAgent?: LocalAgent;
  /** Every long-running part (retention, then the local agent), in start order. */
  components: (ResultRetention | LocalAgent)[];
}

/** Builds the probe service, applies the `checks:` config and creates the local agent. */
export async function setupProbes(input: {
  store: Store;
  bus: Bus;
  clock: Clock;
  config: { checks?: readonly CheckDefinition[]; probes?: Partial<ProbesSection> };
  log?: (line: string) => void;
}): Promise<ProbesSetup> {
  const registry = defaultRegistry();
  const service = new ProbeService(input.store.probes, registry, input.bus, input.clock);
  try {
    await service.syncConfigChecks(input.config.checks ?? []);
  } catch (err) {
    if (err instanceof CheckDefinitionError) throw new ConfigError(err.field, err.message);
    throw err;
  }
  const p = input.config.probes ?? {};
  const retention = new ResultRetention(input.store.probes, input.clock, (p.retentionDays ?? 30) * 86_400_000, undefined, input.log);
  if (p.localAgent === false) return { service, components: [retention] };
  const localAgent = new LocalAgent(service, registry, input.clock, {
    location: p.location ?? 'local',
    concurrency: p.concurrency ?? 32,
    log: input.log,
  });
  return { service, localAgent, components: [retention, localAgent] };
}
