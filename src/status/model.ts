/**
 * One status per service, from every signal. These are the inputs and the answer of the
 * pure derivation (`derive.ts`); the `StatusService` gathers the inputs from the store.
 *
 * The values are Atlassian Statuspage's component statuses, so the same word goes to the
 * dashboard, `/api/v1/status`, `/api/v2/*.json`, SSE and alerts.
 */
export const COMPONENT_STATUSES = ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'] as const;
export type ComponentStatus = (typeof COMPONENT_STATUSES)[number];

/** How bad a status is; maintenance is announced work, not an outage, so it ranks with operational. */
export const STATUS_RANK: Record<ComponentStatus, number> = {
  operational: 0,
  under_maintenance: 0,
  degraded_performance: 1,
  partial_outage: 2,
  major_outage: 3,
};

export function worseStatus(a: ComponentStatus, b: ComponentStatus): ComponentStatus {
  return STATUS_RANK[b] > STATUS_RANK[a] ? b : a;
}

/** An open crowd incident: reports spiked (src/incidents). `level` is how bad it is now. */
export interface CrowdSignal {
  incidentId: string;
  title: string;
  /** The incident engine's current status of the service: a wave in progress or not. */
  level: 'degraded' | 'major_outage';
  openedAt: number;
}

/** Failing locations of one check that share one error class. */
export interface ClassCount {
  errorClass: string;
  locations: number;
}

/**
 * One check's quorum state (src/status/check-verdict.ts), from the persisted per-location
 * streaks. `status` is operational unless the check fails from at least `quorum` locations.
 */
export interface CheckSignal {
  checkId: string;
  checkName: string;
  status: Exclude<ComponentStatus, 'under_maintenance'>;
  /** Locations counted as down (failed `failuresBefore` times in a row, not yet recovered). */
  failing: number;
  /** Locations that reported recently. */
  total: number;
  /** Down locations needed to call the check failing. */
  quorum: number;
  /** The down locations by the class of their latest failure, most common first. */
  classes: ClassCount[];
  /** When the check reached its quorum (result time); absent while operational. */
  since?: number;
}

/**
 * An operator's word on the status page (issue 12 provides these). Active while
 * `since <= now < until`; the latest active one wins over every automatic signal.
 */
export interface OperatorOverride {
  id: string;
  status: ComponentStatus;
  message: string;
  since: number;
  until?: number;
}

/** Announced maintenance (issue 12 provides these); active while `startsAt <= now < endsAt`. */
export interface MaintenanceWindow {
  id: string;
  title: string;
  startsAt: number;
  endsAt: number;
}

/** Everything known about one service. Each source fills its own field. */
export interface StatusInputs {
  crowd: CrowdSignal[];
  checks: CheckSignal[];
  overrides: OperatorOverride[];
  maintenance: MaintenanceWindow[];
}

export const emptyInputs = (): StatusInputs => ({ crowd: [], checks: [], overrides: [], maintenance: [] });

export type ReasonSource = 'operator' | 'maintenance' | 'crowd' | 'probe';

/** Why a service has its status; one per signal, never mixing checks. */
export interface StatusReason {
  source: ReasonSource;
  /** What this signal alone says. */
  status: ComponentStatus;
  /** One sentence: "3 of 3 locations: connection refused on x-tcp". */
  text: string;
  /** False when a stronger signal (an operator, a maintenance window) decided instead. */
  effective: boolean;
  since?: number;
  incidentId?: string;
  checkId?: string;
  checkName?: string;
  failing?: number;
  total?: number;
  classes?: ClassCount[];
  overrideId?: string;
  maintenanceId?: string;
}

export interface DerivedStatus {
  status: ComponentStatus;
  /** The deciding reasons first, then by severity. Empty when all is well. */
  reasons: StatusReason[];
}
