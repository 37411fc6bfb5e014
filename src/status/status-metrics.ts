import { Gauge, type Registry } from 'prom-client';
import type { Store } from '../store/store.js';
import type { Clock } from '../time/clock.js';
import type { LocationState } from './check-verdict.js';
import { COMPONENT_STATUSES } from './model.js';
import type { StatusService } from './status-service.js';

/**
 * Gauges read from the store at scrape time, so every node reports the same values:
 * each service's status (one series per status value, 1 for the current one), open
 * incidents by kind, and per check and location whether it is up and when its certificate
 * expires (from the persisted probe state).
 */
export function registerStatusMetrics(registry: Registry, d: { status: Pick<StatusService, 'all'>; store: Pick<Store, 'incidents' | 'probes' | 'probeStates'>; clock: Clock }): void {
  new Gauge({
    name: 'stormwatch_service_status',
    help: 'Service status from every signal: 1 for the current Statuspage value, 0 for the others',
    labelNames: ['service', 'status'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const [service, view] of await d.status.all()) {
        for (const s of COMPONENT_STATUSES) this.labels(service, s).set(view.status === s ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: 'stormwatch_open_incidents',
    help: 'Open incidents by kind (crowd: reports spiked; probe: checks failed with no crowd incident)',
    labelNames: ['kind'],
    registers: [registry],
    async collect() {
      const open = await d.store.incidents.list({ status: 'open', limit: 10_000 });
      this.reset();
      for (const kind of ['crowd', 'probe'] as const) this.labels(kind).set(open.filter((i) => (i.kind ?? 'crowd') === kind).length);
    },
  });
  const states = async (): Promise<{ name: string; state: LocationState }[]> => {
    const [checks, list] = await Promise.all([d.store.probes.listChecks(), d.store.probeStates.list()]);
    const names = new Map(checks.map((c) => [c.id, c.name]));
    return list.flatMap((state) => {
      const name = names.get(state.checkId);
      return name === undefined ? [] : [{ name, state }];
    });
  };
  new Gauge({
    name: 'stormwatch_check_up',
    help: "1 when a check's latest result from a location passed, 0 when it failed",
    labelNames: ['check', 'location'],
    registers: [registry],
    async collect() {
      const rows = await states();
      this.reset();
      for (const { name, state } of rows) this.labels(name, state.location).set(state.lastOk ? 1 : 0);
    },
  });
  new Gauge({
    name: 'stormwatch_check_cert_expiry_seconds',
    help: 'Seconds until the certificate a check last saw from a location expires (negative once expired)',
    labelNames: ['check', 'location'],
    registers: [registry],
    async collect() {
      const rows = await states();
      const now = d.clock.now();
      this.reset();
      for (const { name, state } of rows) if (state.certExpiresAt !== undefined) this.labels(name, state.location).set(Math.round((state.certExpiresAt - now) / 1000));
    },
  });
}
