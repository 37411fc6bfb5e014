import { parseInstant } from '../time/instant.js';

/** Query ranges for the report read API: parsed and checked once, half-open `[from, to)`. */
export const STEPS = { '1m': 60_000, '5m': 300_000, '15m': 900_000, '1h': 3_600_000 } as const;
export type Step = keyof typeof STEPS;

export const MAX_SPAN_MS = 90 * 86_400_000;
/** A series answer has at most this many buckets (1m steps therefore cover up to ~13.9 days). */
export const MAX_POINTS = 20_000;
const DEFAULT_SPAN_MS = 86_400_000;

export interface TimeRange {
  from: number;
  to: number;
}

export type RangeResult<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

/** `from` defaults to 24 hours before `to`, `to` to now. */
export function parseRange(q: { from?: string; to?: string }, now: number): RangeResult<TimeRange> {
  const to = q.to === undefined ? now : parseInstant(q.to);
  if (to === undefined) return { ok: false, field: 'to', message: 'to must be an ISO 8601 time or epoch milliseconds' };
  const from = q.from === undefined ? to - DEFAULT_SPAN_MS : parseInstant(q.from);
  if (from === undefined) return { ok: false, field: 'from', message: 'from must be an ISO 8601 time or epoch milliseconds' };
  if (from >= to) return { ok: false, field: 'from', message: 'from must be before to' };
  if (to - from > MAX_SPAN_MS) return { ok: false, field: 'from', message: 'the range may span at most 90 days' };
  return { ok: true, value: { from, to } };
}

export interface SeriesRange extends TimeRange {
  step: Step;
  stepMs: number;
}

/** The range widened to whole buckets: the first bucket holds `from`, the last holds `to - 1`. */
export function parseSeriesRange(q: { from?: string; to?: string; step?: string }, now: number): RangeResult<SeriesRange> {
  const step = q.step ?? '1m';
  if (!Object.hasOwn(STEPS, step)) return { ok: false, field: 'step', message: 'step must be one of 1m, 5m, 15m, 1h' };
  const stepMs = STEPS[step as Step];
  const range = parseRange(q, now);
  if (!range.ok) return range;
  const from = Math.floor(range.value.from / stepMs) * stepMs;
  const to = Math.ceil(range.value.to / stepMs) * stepMs;
  if ((to - from) / stepMs > MAX_POINTS) return { ok: false, field: 'step', message: `at most ${MAX_POINTS} points per series: use a larger step or a shorter range` };
  return { ok: true, value: { from, to, step: step as Step, stepMs } };
}
