/**
 * An announced maintenance window. Whether it is scheduled, in progress or completed is not
 * stored: it follows from the time. Pure.
 */
export interface Maintenance {
  id: string;
  title: string;
  /** Markdown. */
  body: string;
  services: string[];
  startsAt: number;
  endsAt: number;
  /** When the server announced the start / the end (absent until it did). */
  startedAt?: number;
  endedAt?: number;
  createdAt: number;
  updatedAt: number;
}

export type MaintenancePhase = 'scheduled' | 'in_progress' | 'completed';

export function phaseAt(m: Pick<Maintenance, 'startsAt' | 'endsAt'>, now: number): MaintenancePhase {
  if (now < m.startsAt) return 'scheduled';
  return now < m.endsAt ? 'in_progress' : 'completed';
}

export function isActive(m: Pick<Maintenance, 'startsAt' | 'endsAt'>, at: number): boolean {
  return m.startsAt <= at && at < m.endsAt;
}

/** True when `service` is in a window active at `at`. */
export function underMaintenance(windows: readonly Pick<Maintenance, 'startsAt' | 'endsAt' | 'services'>[], service: string, at: number): boolean {
  return windows.some((m) => isActive(m, at) && m.services.includes(service));
}

/** The longest window accepted: a "maintenance" of months would hide real outages. */
export const MAX_WINDOW_MS = 14 * 86_400_000;

/** Why a window cannot be saved, or undefined when it can. */
export function windowProblem(m: Pick<Maintenance, 'startsAt' | 'endsAt'>): { field: string; message: string } | undefined {
  if (!(m.endsAt > m.startsAt)) return { field: 'endsAt', message: 'endsAt must be after startsAt' };
  if (m.endsAt - m.startsAt > MAX_WINDOW_MS) return { field: 'endsAt', message: 'a maintenance window lasts at most 14 days' };
  return undefined;
}

/** Start and end announcements that are due at `now` and not made yet. */
export function dueTransitions(windows: readonly Maintenance[], now: number): { maintenance: Maintenance; transition: 'started' | 'ended' }[] {
  const out: { maintenance: Maintenance; transition: 'started' | 'ended' }[] = [];
  for (const m of windows) {
    if (m.startedAt === undefined && now >= m.startsAt && now < m.endsAt) out.push({ maintenance: m, transition: 'started' });
    // A window that began and ended while the server was down ends without a start announcement.
    if (m.endedAt === undefined && now >= m.endsAt) out.push({ maintenance: m, transition: 'ended' });
  }
  return out.sort((a, b) => at(a) - at(b));
}

function at(t: { maintenance: Maintenance; transition: 'started' | 'ended' }): number {
  return t.transition === 'started' ? t.maintenance.startsAt : t.maintenance.endsAt;
}
