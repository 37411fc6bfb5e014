/** The dashboard's view of the API: plain data, already normalised by `client.ts`. */

/** Atlassian Statuspage's component statuses: what the server derives from every signal. */
export const SERVICE_STATUSES = ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

/** Why a service has its status, one signal each ("3 of 3 locations: connection refused on x-tcp"). */
export interface StatusReason {
  source: 'operator' | 'maintenance' | 'crowd' | 'probe';
  status: ServiceStatus;
  text: string;
  /** False when an operator or a maintenance window decided instead. */
  effective: boolean;
  incidentId?: string;
  checkId?: string;
  checkName?: string;
}

export interface Service {
  slug: string;
  name: string;
  url: string;
  logo?: string;
  category?: string;
  status: ServiceStatus;
  reasons: StatusReason[];
}


export interface SeriesPoint {
  /** Bucket start, ms since epoch. */
  t: number;
  total: number;
}

export interface Series {
  stepMs: number;
  points: SeriesPoint[];
}

export interface BaselinePoint {
  t: number;
  expected: number;
  upper: number;
}

export interface ProblemShare {
  problem: string;
  count: number;
  percent: number;
}

export interface RegionCount {
  /** ISO 3166-1 alpha-2 ("US") or ISO 3166-2 ("US-CA"). */
  region: string;
  count: number;
}

export interface Phase {
  start: number;
  end?: number;
  peak?: number;
}

export interface Incident {
  id: string;
  service: string;
  status: 'open' | 'closed';
  title: string;
  openedAt: number;
  closedAt?: number;
  peak?: number;
  /** How bad it is (or was at its worst). */
  severity?: 'degraded_performance' | 'major_outage';
  /** `probe`: opened by failing checks alone. */
  kind?: 'crowd' | 'probe';
  /** Probe incidents: the failing checks, in words. */
  cause?: string;
  /** Reports counted during the phases. */
  reports?: number;
  phases: Phase[];
  breakdown: ProblemShare[];
  regions: RegionCount[];
  /** `operator`: opened by an operator (no detection figures). */
  source?: 'automatic' | 'operator';
  /** Statuspage's lifecycle: investigating, identified, monitoring, resolved, postmortem. */
  lifecycle?: string;
  /** Newest first; `html` is the Markdown rendered safely by the server. */
  updates?: IncidentUpdate[];
  /** A false automatic incident, kept in the history. */
  dismissedAt?: number;
  dismissReason?: string;
  postmortemHtml?: string;
  /** What the probes say about it (confirmed, user-reported, ...), once correlated. */
  correlation?: Correlation;
}

export interface Correlation {
  confidence: string;
  cause: string;
  failingLocations: number;
  totalLocations: number;
}

export const PROBLEMS = ['app', 'website', 'login', 'feed', 'notifications', 'connection', 'other'] as const;
export type Problem = (typeof PROBLEMS)[number];

export interface IncidentUpdate {
  id: string;
  source: string;
  status: string;
  html: string;
  createdAt: number;
}
