import type { Cluster } from '../cluster/cluster.js';
import { soloCluster } from '../cluster/cluster.js';
import { ConfigError } from '../config/load.js';
import type { Component } from '../runtime/component.js';
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
  /**
   * Every long-running part (retention, then the built-in agent when enabled), in start
   * order. Each runs under a lease: once per cluster (docs/architecture.md).
   */
  components: Component[];
}

/** Builds the probe service, applies the `checks:` config and creates the local agent. */
export async function setupProbes(input: {
  store: Store;
  bus: Bus;
  clock: Clock;
  config: { checks?: readonly CheckDefinition[]; probes?: Partial<ProbesSection> };
  log?: (line: string) => void;
  cluster?: Cluster;
}): Promise<ProbesSetup> {
  const cluster = input.cluster ?? soloCluster(input.store);
  const registry = defaultRegistry();
  const service = new ProbeService(input.store.probes, registry, input.bus, input.clock);
  try {
    await service.syncConfigChecks(input.config.checks ?? []);
  } catch (err) {
    if (err instanceof CheckDefinitionError) throw new ConfigError(err.field, err.message);
    throw err;
  }
  const p = input.config.probes ?? {};
  const retention = cluster.runUnderLease('probe-retention', (s) => new ResultRetention(s.probes, input.clock, (p.retentionDays ?? 30) * 86_400_000, undefined, input.log));
  if (p.localAgent === false) return { service, components: [retention] };
  // Its results go through a probe service over the leased store, so that they are fenced.
  const localAgent = cluster.runUnderLease('local-agent', (s) =>
    new LocalAgent(s === input.store ? service : new ProbeService(s.probes, registry, input.bus, input.clock), registry, input.clock, {
      location: p.location ?? 'local',
      concurrency: p.concurrency ?? 32,
      log: input.log,
    }),
  );
  return { service, components: [retention, localAgent] };
}
