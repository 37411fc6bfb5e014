/**
 * An incident as the API, the store and the status page see it: derived from the engine's
 * tracking state (engine.ts) every time that state changes.
 */
export type ServiceStatus = 'operational' | 'degraded' | 'major_outage';

export interface Phase {
  /** First minute of the wave above the threshold, ms since epoch. */
  start: number;
  /** First minute back near baseline; absent while the wave lasts. */
  end?: number;
  /** End of the minute in which the engine recognised the wave (event time). */
  detectedAt: number;
  /** Highest reports per minute in this wave. */
  peak: number;
}

export interface ProblemShare {
  problem: string;
  count: number;
  /** Share of the incident's reports, in percent, one decimal. */
  percent: number;
}

export interface RegionCount {
  /** ISO 3166-1 alpha-2 ("GB") or ISO 3166-2 ("US-CA"). */
  region: string;
  count: number;
}

/** What a probe-only incident records: the status its checks gave and why, per check. */
export interface ProbeIncidentFacts {
  status: 'degraded_performance' | 'partial_outage' | 'major_outage';
  /** One line per failing check ("3 of 3 locations: connection refused on x-tcp"). */
  reasons: string[];
  failingLocations: number;
  totalLocations: number;
  errorClasses: { errorClass: string; locations: number }[];
}

export interface Incident {
  id: string;
  service: string;
  /**
   * `crowd` (absent in older rows): opened by the incident engine because reports spiked.
   * `probe`: opened because the service's checks failed from their quorum of locations with
   * no crowd incident (src/status); folded into the crowd incident if one opens meanwhile.
   */
  kind?: 'crowd' | 'probe';
  /** A probe incident folded into this crowd incident; such incidents are not listed. */
  mergedInto?: string;
  /** Probe incidents: the failing checks, in words. */
  cause?: string;
  probe?: ProbeIncidentFacts;
  status: 'open' | 'closed';
  /** How bad it is now (or was at its worst, once closed). */
  severity: Exclude<ServiceStatus, 'operational'>;
  title: string;
  openedAt: number;
  closedAt?: number;
  /** Highest reports per minute over all phases. */
  peak: number;
  /** Reports counted during the phases. */
  reports: number;
  phases: Phase[];
  breakdown: ProblemShare[];
  regions: RegionCount[];
  /** Event time of the last minute that changed it. */
  updatedAt: number;
}
