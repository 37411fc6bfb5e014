/**
 * Daily uptime for a status page: the share of the time a service was not under an incident,
 * counted from the service's creation (days before it have no data, not 100%) up to now, so
 * an outage that is still open lowers today's bar and the percentage. Overlapping incidents
 * count once. Dismissed incidents and maintenance are not passed in: they are not downtime.
 * Pure.
 */
export const DAY_MS = 86_400_000;

export interface DowntimeSpan {
  start: number;
  /** Absent while the incident is open. */
  end?: number;
  level: 'degraded' | 'major';
}

export interface DayUptime {
  /** Start of the UTC day. */
  day: number;
  /** Milliseconds of the day that count (after creation, before now); 0: no data. */
  countedMs: number;
  downMs: number;
  worst?: 'degraded' | 'major';
}

export interface Uptime {
  days: DayUptime[];
  /** Over the counted time of all days; undefined when no time counts yet. */
  percent?: number;
}

export function dailyUptime(spans: readonly DowntimeSpan[], createdAt: number, now: number, days = 90): Uptime {
  const lastDay = Math.floor(now / DAY_MS) * DAY_MS;
  const merged = mergeSpans(spans, now);
  const out: DayUptime[] = [];
  let counted = 0;
  let down = 0;
  for (let i = days - 1; i >= 0; i--) {
    const day = lastDay - i * DAY_MS;
    const from = Math.max(day, createdAt);
    const to = Math.min(day + DAY_MS, now);
    const d: DayUptime = { day, countedMs: Math.max(0, to - from), downMs: 0 };
    if (d.countedMs > 0) {
      for (const s of merged) {
        const overlap = Math.min(to, s.end) - Math.max(from, s.start);
        if (overlap <= 0) continue;
        d.downMs += overlap;
      }
      for (const s of spans) {
        if (Math.min(to, s.end ?? now) > Math.max(from, s.start) && d.worst !== 'major') d.worst = s.level;
      }
    }
    counted += d.countedMs;
    down += d.downMs;
    out.push(d);
  }
  return counted > 0 ? { days: out, percent: (100 * (counted - down)) / counted } : { days: out };
}

/** The union of the spans (open ones end now), sorted. */
function mergeSpans(spans: readonly DowntimeSpan[], now: number): { start: number; end: number }[] {
  const sorted = spans.map((s) => ({ start: s.start, end: Math.min(s.end ?? now, now) })).filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const out: { start: number; end: number }[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}
