import type { AlertEventKind } from './config.js';

/** What status-page subscribers hear (src/subscriptions), carried by the same channels. */
export const ANNOUNCEMENT_KINDS = ['incident_opened', 'incident_updated', 'incident_resolved', 'maintenance_started', 'maintenance_ended', 'subscription_confirm'] as const;
export type AnnouncementKind = (typeof ANNOUNCEMENT_KINDS)[number];

/** The words of an announcement; `text` is plain text (Markdown as the operator wrote it). */
export interface AnnouncementText {
  page: string;
  title: string;
  text: string;
  services: string[];
  /** The incident's lifecycle status or the maintenance phase. */
  state?: string;
  confirmUrl?: string;
  unsubscribeUrl?: string;
}

/** What an alert says, independent of the channel that carries it. */
export interface AlertMessage {
  kind: AlertEventKind | AnnouncementKind;
  /** True for a reminder sent after the repeat interval while still firing. */
  repeat: boolean;
  service: string;
  /** `open`/`closed` for incidents, `failing` for probe failures. */
  status: 'open' | 'closed' | 'failing';
  incidentId?: string;
  probeEventId?: string;
  /** `{publicUrl}/incidents/:id`, or the service page for probe-only events. */
  url: string;
  /** 1-based number of the current wave. */
  phase?: number;
  severity?: string;
  /** Highest reports per minute. */
  peak?: number;
  reports?: number;
  breakdown: { problem: string; percent: number }[];
  confidence?: string;
  cause?: string;
  /** The service's status when the message was made (src/status; Statuspage component values). */
  serviceStatus?: string;
  /** Why it has that status, one line per signal ("3 of 3 locations: connection refused on x-tcp"). */
  statusReasons?: string[];
  /** When the event happened (ms since the epoch). */
  at: number;
  /**
   * The delivery's idempotency key (event, channel, reminder number): the same notice sent
   * again (a retry after a crash) carries the same key, so a receiver can drop the repeat.
   */
  idempotencyKey?: string;
  /** Set on announcements to status-page subscribers: they read as a status page speaks. */
  announcement?: AnnouncementText;
}

const VERB: Record<AlertEventKind, string> = {
  open: 'incident opened',
  phase: 'new wave',
  update: 'incident updated',
  close: 'incident resolved',
  probe_failure: 'probes failing',
  cert_expiry: 'certificate expiring',
};

/** "[Stormwatch] example: incident opened (reminder)". */
export function subjectLine(m: AlertMessage): string {
  if (m.announcement) return `[${m.announcement.page}] ${m.announcement.title}`;
  return `[Stormwatch] ${m.service}: ${VERB[m.kind as AlertEventKind]}${m.repeat ? ' (still firing)' : ''}`;
}

/** The plain-text body every channel starts from; one fact per line. */
export function bodyLines(m: AlertMessage): string[] {
  if (m.announcement) return announcementLines(m.announcement, m.url);
  const lines = [`Service: ${m.service}`, `Status: ${m.status}`];
  if (m.phase !== undefined) lines.push(`Phase: ${m.phase}`);
  if (m.severity) lines.push(`Severity: ${m.severity}`);
  if (m.peak !== undefined) lines.push(`Peak: ${m.peak} reports/min${m.reports !== undefined ? ` (${m.reports} reports)` : ''}`);
  if (m.breakdown.length > 0) lines.push(`Breakdown: ${m.breakdown.map((b) => `${b.problem} ${b.percent}%`).join(', ')}`);
  if (m.cause) lines.push(`Cause: ${m.cause}`);
  if (m.serviceStatus) lines.push(`Service status: ${m.serviceStatus.replace(/_/g, ' ')}${m.statusReasons?.length ? ` (${m.statusReasons.join('; ')})` : ''}`);
  lines.push(`At: ${new Date(m.at).toISOString()}`);
  lines.push(`Link: ${m.url}`);
  return lines;
}

/** The parts of an incident a message shows; `Store.incidents.get` returns a superset. */
export interface IncidentFacts {
  status: 'open' | 'closed';
  severity?: string;
  openedAt: number;
  closedAt?: number;
  peak?: number;
  reports?: number;
  phases: readonly unknown[];
  breakdown: readonly { problem: string; percent: number }[];
}

export interface MessageInput {
  kind: AlertEventKind;
  service: string;
  at: number;
  repeat: boolean;
  publicUrl: string;
  incidentId?: string;
  incident?: IncidentFacts;
  probeEventId?: string;
  confidence?: string;
  cause?: string;
  serviceStatus?: string;
  statusReasons?: string[];
}

const BREAKDOWN_LIMIT = 5;

export function buildAlertMessage(i: MessageInput): AlertMessage {
  const base = i.publicUrl.replace(/\/+$/, '');
  const url = i.incidentId ? `${base}/incidents/${encodeURIComponent(i.incidentId)}` : `${base}/services/${encodeURIComponent(i.service)}`;
  const status: AlertMessage['status'] =
    i.kind === 'probe_failure' || i.kind === 'cert_expiry' ? 'failing' : i.kind === 'close' ? 'closed' : (i.incident?.status ?? 'open');
  const inc = i.incident;
  return {
    kind: i.kind,
    repeat: i.repeat,
    service: i.service,
    status,
    ...(i.incidentId ? { incidentId: i.incidentId } : {}),
    ...(i.probeEventId ? { probeEventId: i.probeEventId } : {}),
    url,
    ...(inc && inc.phases.length > 0 ? { phase: inc.phases.length } : {}),
    ...(inc?.severity ? { severity: inc.severity } : {}),
    ...(inc?.peak !== undefined ? { peak: inc.peak } : {}),
    ...(inc?.reports !== undefined ? { reports: inc.reports } : {}),
    breakdown: (inc?.breakdown ?? []).slice(0, BREAKDOWN_LIMIT).map((b) => ({ problem: b.problem, percent: b.percent })),
    ...(i.confidence ? { confidence: i.confidence } : {}),
    ...(i.cause ? { cause: i.cause } : {}),
    ...(i.serviceStatus ? { serviceStatus: i.serviceStatus, statusReasons: i.statusReasons ?? [] } : {}),
    at: i.at,
  };
}

function announcementLines(a: AnnouncementText, url: string): string[] {
  const lines = [a.title, ''];
  if (a.text) lines.push(a.text, '');
  if (a.state) lines.push(`Status: ${a.state}`);
  if (a.services.length > 0) lines.push(`Affected: ${a.services.join(', ')}`);
  lines.push(`Details: ${url}`);
  if (a.confirmUrl) lines.push('', `Confirm your subscription: ${a.confirmUrl}`, 'If you did not ask for this, ignore this mail: nothing more will be sent.');
  if (a.unsubscribeUrl) lines.push('', `Unsubscribe: ${a.unsubscribeUrl}`);
  return lines;
}
