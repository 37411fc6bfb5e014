import type { Bus } from '../events/bus.js';
import { Correlator, type FailingCheck, type IncidentStart, type ProbeReader } from '../correlate/correlator.js';
import type { AlertRepository } from '../store/alert-repository.js';
import type { Clock } from '../time/clock.js';
import type { NotifierRegistry } from './channels/registry.js';
import { durationMs, type AlertsSection } from './config.js';
import type { Sleep } from './deliver.js';
import { AlertDispatcher, type DispatcherOptions, type IncidentLookup, type ServiceStatusLookup } from './dispatcher.js';

export interface AlertsSetup {
  dispatcher: AlertDispatcher;
  correlator: Correlator;
}

/**
 * Wires bus → correlator (saves each incident's correlation, probe-only events) →
 * dispatcher (rules, dedupe, deliveries). Both are server components.
 */
export function setupAlerts(input: {
  bus: Bus;
  clock: Clock;
  repo: AlertRepository;
  probes: ProbeReader;
  config: AlertsSection;
  lookupIncident?: IncidentLookup;
  /** The services' derived status (src/status): messages say it, crowd incidents are confirmed by it. */
  statusOf?: ServiceStatusLookup;
  onOutcome?: DispatcherOptions['onOutcome'];
  failingChecks?: (service: string) => Promise<FailingCheck[]>;
  registry?: NotifierRegistry;
  sleep?: Sleep;
  tickMs?: number;
  log?: (line: string) => void;
  /** Channels made from status-page subscribers. */
  resolveChannel?: DispatcherOptions['resolveChannel'];
  /** Holds alerts of services under maintenance. */
  heldAt?: DispatcherOptions['heldAt'];
}): AlertsSetup {
  const dispatcher = new AlertDispatcher({
    repo: input.repo, clock: input.clock, config: input.config, log: input.log,
    ...(input.lookupIncident ? { lookupIncident: input.lookupIncident } : {}),
    ...(input.statusOf ? { statusOf: input.statusOf } : {}),
    ...(input.onOutcome ? { onOutcome: input.onOutcome } : {}),
    ...(input.registry ? { registry: input.registry } : {}),
    ...(input.sleep ? { sleep: input.sleep } : {}),
    ...(input.tickMs !== undefined ? { tickMs: input.tickMs } : {}),
    ...(input.resolveChannel ? { resolveChannel: input.resolveChannel } : {}),
    ...(input.heldAt ? { heldAt: input.heldAt } : {}),
  });
  const c = input.config.correlation;
  const incidentStart: IncidentStart | undefined = input.lookupIncident;
  const correlator = new Correlator({
    bus: input.bus, clock: input.clock, repo: input.repo, probes: input.probes, log: input.log,
    ...(incidentStart ? { incidentStart } : {}),
    ...(input.failingChecks ? { failingChecks: input.failingChecks } : {}),
    settings: { minLocations: c.minLocations, lookbackMs: durationMs(c.lookback), freshnessMs: durationMs(c.freshness) },
    listener: {
      incident: (n) => void dispatcher.notifyIncident(n),
      probes: (n) => void dispatcher.notifyProbes(n),
      certificate: (n) => void dispatcher.notifyCertificate(n),
    },
  });
  return { dispatcher, correlator };
}
