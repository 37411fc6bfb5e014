import type { Bus } from '../events/bus.js';
import type { Store } from '../store/store.js';
import type { Clock } from '../time/clock.js';
import { ProbeStateEvaluator } from './probe-state-evaluator.js';
import { quorumDefaults, type QuorumDefaults } from './quorum-settings.js';
import { crowdSource, probeSource } from './sources.js';
import { StatusService } from './status-service.js';
import { StatusWatcher } from './status-watcher.js';
import { IncidentViews } from '../incidents/incident-views.js';
import { operatorClosed, operatorSource, viewHistory } from '../operators/status-source.js';
import type { StatusReason } from './model.js';

export interface StatusSetup {
  service: StatusService;
  evaluator: ProbeStateEvaluator;
  watcher: StatusWatcher;
}

/**
 * The status domain: the read service every surface uses, the probe-state evaluator (results
 * → per-location streaks) and the watcher (announces changes, keeps probe incidents).
 */
export function setupStatus(input: {
  store: Store;
  bus: Bus;
  clock: Clock;
  config: { probes?: QuorumDefaults };
  tickMs?: number;
  log?: (line: string) => void;
}): StatusSetup {
  const { store, bus, clock } = input;
  const defaults = quorumDefaults(input.config.probes);
  const services = async (): Promise<string[]> => (await store.services.list()).map((s) => s.slug);
  const service = createStatusService(store, clock, defaults);
  const evaluator = new ProbeStateEvaluator({
    bus, clock, probes: store.probes, states: store.probeStates, defaults, log: input.log,
    ...(input.tickMs !== undefined ? { tickMs: input.tickMs } : {}),
  });
  const watcher = new StatusWatcher({
    bus, clock, status: service, published: store.status, incidents: store.incidents, services, log: input.log,
    ...(input.tickMs !== undefined ? { tickMs: input.tickMs } : {}),
  });
  return { service, evaluator, watcher };
}

/** The read side alone (API apps built without the runners, e.g. in tests). */
export function createStatusService(store: Store, clock: Clock, defaults = quorumDefaults(undefined)): StatusService {
  return new StatusService({
    clock,
    services: async () => (await store.services.list()).map((s) => s.slug),
    sources: [
      crowdSource(store.incidents, operatorClosed(store.operatorIncidents)),
      probeSource({ listChecks: () => store.probes.listChecks(), states: (ids) => store.probeStates.list(ids) }, defaults),
      operatorSource({ operatorIncidents: store.operatorIncidents, maintenances: store.maintenances }),
    ],
    published: store.status,
    // Incidents as everyone sees them: operators' own count, dismissed ones do not.
    history: viewHistory(new IncidentViews(store)),
    createdAt: async (slug) => (await store.services.get(slug))?.createdAt,
    checks: { states: (ids) => store.probeStates.list(ids), defaults },
  });
}

/** The probe reasons of a status, as the correlator confirms crowd incidents with them. */
export function failingChecks(view: { reasons: readonly StatusReason[] }): { checkName: string; status: string; failing: number; total: number; classes: { errorClass: string; locations: number }[] }[] {
  return view.reasons
    .filter((r) => r.source === 'probe' && r.checkName !== undefined)
    .map((r) => ({ checkName: r.checkName!, status: r.status, failing: r.failing ?? 0, total: r.total ?? 0, classes: r.classes ?? [] }));
}
