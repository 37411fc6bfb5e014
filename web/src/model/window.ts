import type { Incident } from '../api/types.js';

/** Chart windows and the incident spans drawn on them: pure, tested with plain data. */

export const STEP_MS = { '1m': 60_000, '5m': 300_000, '15m': 900_000, '1h': 3_600_000 } as const;
export type Step = keyof typeof STEP_MS;

export interface ShadedSpan {
  start: number;
  end: number;
  label: string;
}

const RANGES = { '24h': { ms: 86_400_000, step: '15m' }, '7d': { ms: 7 * 86_400_000, step: '1h' } } as const;
export type Range = keyof typeof RANGES;
export const STEP_LABEL: Record<Step, string> = { '1m': 'minute', '5m': '5 min', '15m': '15 min', '1h': 'hour' };

export interface Window {
  from: number;
  to: number;
  step: Step;
}

/** `?range=24h|7d`, `?step=1m|5m|15m|1h` and `?at=ISO` (window end, to look back at history). */
export function windowFrom(search: URLSearchParams, now: number): Window & { range: Range } {
  const range: Range = search.get('range') === '7d' ? '7d' : '24h';
  const stepParam = search.get('step');
  const step: Step = stepParam && Object.hasOwn(STEP_MS, stepParam) ? (stepParam as Step) : RANGES[range].step;
  const at = Date.parse(search.get('at') ?? '');
  const end = Number.isFinite(at) ? at : now;
  const to = Math.ceil((end + 1) / STEP_MS[step]) * STEP_MS[step];
  return { range, step, to, from: to - RANGES[range].ms };
}

export function phaseSpans(incidents: readonly Incident[], w: Window): ShadedSpan[] {
  const spans: ShadedSpan[] = [];
  for (const inc of incidents) {
    inc.phases.forEach((p, i) => {
      const end = p.end ?? inc.closedAt ?? w.to;
      if (end > w.from && p.start < w.to) spans.push({ start: p.start, end, label: inc.phases.length > 1 ? `Phase ${i + 1}` : 'Incident' });
    });
  }
  return spans;
}

/**
 * Where the service page opens when the last 24 hours hold no reports: on the latest
 * incident, an hour past its end (a replayed or old outage is then on screen at once).
 * Undefined when there is no incident, or the latest one already lies in the window.
 */
export function latestIncidentEnd(incidents: readonly Incident[], windowFrom: number, now: number): number | undefined {
  let latest: Incident | undefined;
  for (const i of incidents) if (latest === undefined || i.openedAt > latest.openedAt) latest = i;
  if (!latest) return undefined;
  const lastPhaseEnd = latest.phases.reduce((a, p) => Math.max(a, p.end ?? p.start), latest.openedAt);
  const end = latest.closedAt ?? lastPhaseEnd;
  if (end >= windowFrom) return undefined;
  return Math.min(now, end + 3_600_000);
}
