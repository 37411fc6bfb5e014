import type { Shard } from '../cluster/cluster.js';
import type { Bus } from '../events/bus.js';
import type { Store } from '../store/store.js';
import type { Clock } from '../time/clock.js';
import { engineOptions, incidentsDefaults, type IncidentsSection } from './config.js';
import { IncidentRunner } from './runner.js';
import { storeMinuteSource } from './store-minute-source.js';
import { dismissedSpan, type DismissedSpan } from './unlearn.js';

/** The live incident engine as a server component, reading the reports' minute rollups. */
export function setupIncidents(input: {
  store: Store;
  bus: Bus;
  clock: Clock;
  config: { incidents?: Partial<IncidentsSection> };
  log?: (line: string) => void;
  /** Cluster mode: the services whose lease this node holds (see src/cluster/cluster.ts). */
  shard?: Shard;
}): IncidentRunner {
  const shard = input.shard;
  const c = incidentsDefaults(input.config.incidents);
  return new IncidentRunner({
    bus: input.bus,
    clock: input.clock,
    repo: input.store.incidents,
    source: storeMinuteSource(input.store.services, input.store.reports),
    tickMs: c.tickSeconds * 1000,
    settleMs: c.settleSeconds * 1000,
    engine: engineOptions(c),
    dismissed: async (service) => {
      const dismissed = await input.store.operatorIncidents.list({ source: 'automatic', dismissed: true, service, limit: 10_000 });
      const incidents = await input.store.incidents.getMany(dismissed.map((d) => d.id));
      const spans: DismissedSpan[] = [];
      for (const d of dismissed) {
        const incident = incidents.get(d.id);
        const span = incident && incident.service === service ? dismissedSpan(incident) : undefined;
        if (span) spans.push(span);
      }
      return spans;
    },
    maintenance: (service, from, to) => input.store.maintenances.list({ endsAfter: from, startsBefore: to, service, limit: 1000 }),
    ...(shard ? { ownership: { owns: (s: string) => shard.owns(s), repo: (s: string) => shard.store(s)?.incidents, onChange: shard.onChange.bind(shard) } } : {}),
    onError: (err, service) => input.log?.(`incidents: processing ${service} failed: ${err instanceof Error ? err.message : String(err)}`),
  });
}
