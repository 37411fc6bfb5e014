import type { Detector } from '../detect/detector.js';
import type { Incident } from './incident.js';

/**
 * The minutes of an incident an operator dismissed as false: they must not teach the
 * detector's baseline (issue 12). `to` is absent while the incident is still open.
 */
export interface DismissedSpan {
  id: string;
  /** First minute of its first wave (the detector learnt from there on). */
  from: number;
  /** End of the minute it closed in; absent while open. */
  to?: number;
}

/** A dismissed crowd incident's span; probe incidents never taught the crowd detector. */
export function dismissedSpan(incident: Incident): DismissedSpan | undefined {
  if (incident.kind === 'probe') return undefined;
  const from = Math.min(incident.openedAt, ...incident.phases.map((p) => p.start));
  return incident.closedAt === undefined ? { id: incident.id, from } : { id: incident.id, from, to: incident.closedAt };
}

/**
 * Which spans a rebuilt detector leaves out: the closed ones. An open one is left to run its
 * course (rebuilding in the middle of it would drop the alarm that keeps it one incident) and
 * is left out once it closes. Sorted by id, so two sets compare as strings.
 */
export function spansToUnlearn(spans: readonly DismissedSpan[], lastMinute: number): { id: string; from: number; to: number }[] {
  const closed: { id: string; from: number; to: number }[] = [];
  for (const s of spans) if (s.to !== undefined && s.to <= lastMinute + 60_000) closed.push({ id: s.id, from: s.from, to: s.to });
  return closed.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** True when the state was already rebuilt without exactly these incidents. */
export function sameUnlearned(done: readonly string[] | undefined, spans: readonly { id: string }[]): boolean {
  const want = spans.map((s) => s.id);
  const have = [...(done ?? [])].sort();
  return have.length === want.length && have.every((id, i) => id === want[i]);
}

/**
 * Feeds one stretch of consecutive minutes to a detector being rebuilt: a minute inside a
 * dismissed span is replaced by what the baseline expected for it then, so the detector goes
 * on as if that minute had been ordinary (its clocks and seasonal slots move on; nothing of
 * the false spike is learnt). Counts stay whole numbers, so the detector still treats the
 * series as counts.
 */
export function feedWithout(detector: Detector, minutes: Iterable<{ minute: number; total: number }>, spans: readonly { from: number; to: number }[]): void {
  for (const m of minutes) {
    const masked = spans.some((s) => s.from <= m.minute && m.minute < s.to);
    detector.update({ t: m.minute, value: masked ? Math.round(detector.expect(m.minute)) : m.total });
  }
}
