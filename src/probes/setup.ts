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
import { probeDurationObserver } from './probe-metrics.js';
import type { Registry } from 'prom-client';
import { componentGroup } from '../runtime/component.js';
import { SqlInstantCheckRepository } from '../store/instant-check-repository.js';
import { instantExpireMs, instantTimeoutMs, resolveInstantChecks, type InstantChecksSection } from './instant/config.js';
import { InstantCheckService } from './instant/instant-service.js';
import { LocalInstantRunner } from './instant/local-instant-runner.js';

/** A remote agent counts as connected for instant checks when it called within this long (its long-poll calls every 10 s). */
const CONNECTED_WITHIN_MS = 120_000;

export interface ProbesSetup {
  service: ProbeService;
  /** Instant checks from every location, with the resolved `instantChecks:` section. */
  instant: { service: InstantCheckService; config: InstantChecksSection };
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
  config: { checks?: readonly CheckDefinition[]; probes?: Partial<ProbesSection>; instantChecks?: Partial<InstantChecksSection> };
  log?: (line: string) => void;
  cluster?: Cluster;
  /** The server's Prometheus registry: probe durations are observed on it. */
  metrics?: Registry;
}): Promise<ProbesSetup> {
  const cluster = input.cluster ?? soloCluster(input.store);
  const registry = defaultRegistry();
  const names = checkNames(input.store);
  const observe = input.metrics ? probeDurationObserver(input.metrics, names.get) : undefined;
  const service = new ProbeService(input.store.probes, registry, input.bus, input.clock, observe);
  try {
    await service.syncConfigChecks(input.config.checks ?? []);
  } catch (err) {
    if (err instanceof CheckDefinitionError) throw new ConfigError(err.field, err.message);
    throw err;
  }
  await names.read();
  service.onChange(() => void names.read());
  const p = input.config.probes ?? {};
  const localLocation = p.localAgent === false ? undefined : (p.location ?? 'local');
  const instantConfig = resolveInstantChecks(input.config.instantChecks);
  const instant = new InstantCheckService(
    new SqlInstantCheckRepository(input.store.db),
    registry,
    input.bus,
    input.clock,
    {
      allowPrivateTargets: instantConfig.allowPrivateTargets,
      timeoutMs: instantTimeoutMs(instantConfig),
      expireMs: instantExpireMs(instantConfig),
      ...(instantConfig.resolver ? { resolver: instantConfig.resolver } : {}),
      ...(localLocation ? { localLocation } : {}),
    },
    async () => {
      const since = input.clock.now() - CONNECTED_WITHIN_MS;
      return (await input.store.probes.listAgents()).filter((a) => !a.revokedAt && a.location && (a.lastSeenAt ?? 0) >= since).map((a) => a.location);
    },
  );
  const instantSetup = { service: instant, config: instantConfig };
  const retention = cluster.runUnderLease('probe-retention', (s) => new ResultRetention(s.probes, input.clock, (p.retentionDays ?? 30) * 86_400_000, undefined, input.log));
  if (localLocation === undefined) return { service, instant: instantSetup, components: [retention] };
  // Its results go through a probe service over the leased store, so that they are fenced.
  // Its instant answers do not need fencing: the first answer per location stands.
  const localAgent = cluster.runUnderLease('local-agent', (s) =>
    componentGroup('local-agent', [
      new LocalAgent(s === input.store ? service : new ProbeService(s.probes, registry, input.bus, input.clock, observe), registry, input.clock, {
        location: localLocation,
        concurrency: p.concurrency ?? 32,
        log: input.log,
      }),
      new LocalInstantRunner(instant, registry, input.clock, localLocation, input.log),
    ]),
  );
  return { service, instant: instantSetup, components: [retention, localAgent] };
}

/**
 * Check names by id for metric labels, read again whenever an unknown id shows up (a check
 * made on another node, or renamed) and at most once a second.
 */
function checkNames(store: Store): { read(): Promise<void>; get(id: string): string | undefined } {
  const names = new Map<string, string>();
  let readAt = 0;
  const read = async (): Promise<void> => {
    readAt = Date.now();
    try {
      const checks = await store.probes.listChecks();
      names.clear();
      for (const c of checks) names.set(c.id, c.name);
    } catch {
      // the next unknown id asks again
    }
  };
  return {
    read,
    get: (id) => {
      const name = names.get(id);
      if (name === undefined && Date.now() - readAt > 1000) void read();
      return name;
    },
  };
}
