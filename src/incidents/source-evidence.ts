/**
 * Evidence by distinct sources. A crowd outage is many people on many networks; a spike made
 * by a handful of networks (one person rotating user agents, a few machines, one /24) is not,
 * however many reports it holds. Each minute carries, besides its report count, the number of
 * sources that report in it and had not reported in the window before (a source is a network,
 * /24 or /64, or an integrator's reporter id; trusted history counts every report as its own
 * source). A spike opens an incident only when its fresh sources alone would be a spike too.
 * Otherwise it is kept as a spam suspicion for the operator, and nothing public happens.
 */

/** One minute as the evidence needs it: counts, fresh sources, and the detector's threshold. */
export interface EvidenceMinute {
  minute: number;
  total: number;
  /** Reports from sources new in the window; absent means every report is its own source. */
  sources?: number;
  /** The detector's threshold for this minute (absent in state saved before it was kept). */
  upper?: number;
}

export interface Evidence {
  ok: boolean;
  reports: number;
  /** Highest reports in one of the minutes. */
  peak: number;
  sources: number;
  /** The threshold summed over the same minutes. */
  threshold: number;
}

/**
 * The minutes since `since`: enough distinct sources when there are at least `minSources`
 * of them and they alone exceed the summed threshold (the spike would stand if each source
 * had reported once).
 */
export function evidenceSince(minutes: readonly EvidenceMinute[], since: number, minSources: number): Evidence {
  let reports = 0;
  let peak = 0;
  let sources = 0;
  let threshold = 0;
  for (const m of minutes) {
    if (m.minute < since) continue;
    reports += m.total;
    peak = Math.max(peak, m.total);
    sources += m.sources ?? m.total;
    threshold += m.upper ?? 0;
  }
  return { ok: sources >= minSources && sources > threshold, reports, peak, sources, threshold };
}

/** A spike that did not come from enough distinct sources: seen by the operator, not public. */
export interface SpamSuspicion {
  /** First minute of the spike (ms since epoch). */
  start: number;
  /** The first minute after it; absent while it lasts. */
  end?: number;
  /** End of the minute in which it was first flagged (event time). */
  flaggedAt: number;
  /** Highest reports per minute. */
  peak: number;
  reports: number;
  /** Fresh sources among those reports. */
  sources: number;
  /** The detector's threshold summed over the same minutes. */
  threshold: number;
  /** Set when the spike later found enough sources and became this incident. */
  incidentId?: string;
}

/** How many ended suspicions a service keeps (newest last). */
export const KEPT_SUSPICIONS = 20;

export interface SuspicionState {
  suspect?: SpamSuspicion;
  suspicions?: SpamSuspicion[];
}

/** A minute whose spike was refused for want of sources: starts or extends the suspicion. */
export function flagSuspicion(s: SuspicionState, m: EvidenceMinute, since: number, evidence: Evidence): void {
  const current = s.suspect;
  if (current === undefined) {
    s.suspect = { start: since, flaggedAt: m.minute + 60_000, peak: evidence.peak, reports: evidence.reports, sources: evidence.sources, threshold: Math.round(evidence.threshold) };
    return;
  }
  current.peak = Math.max(current.peak, m.total);
  current.reports += m.total;
  current.sources += m.sources ?? m.total;
  current.threshold = Math.round(current.threshold + (m.upper ?? 0));
}

/** Ends the running suspicion (the spike is over, or it became an incident) and keeps it. */
export function endSuspicion(s: SuspicionState, end: number, incidentId?: string): void {
  const current = s.suspect;
  if (current === undefined) return;
  current.end = end;
  if (incidentId !== undefined) current.incidentId = incidentId;
  const kept = s.suspicions ?? [];
  kept.push(current);
  if (kept.length > KEPT_SUSPICIONS) kept.splice(0, kept.length - KEPT_SUSPICIONS);
  s.suspicions = kept;
  s.suspect = undefined;
}
