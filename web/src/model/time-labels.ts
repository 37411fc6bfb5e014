/**
 * Times as the viewer reads them: in the browser's time zone (or one given, for tests),
 * with the zone named, and with the year whenever it is not the current one.
 */

export interface ZoneOptions {
  /** IANA zone; the browser's own when absent. */
  timeZone?: string;
  locale?: string;
}

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const partsFmt = new Map<string, Intl.DateTimeFormat>();

function parts(ms: number, o: ZoneOptions): Parts {
  const key = o.timeZone ?? '';
  let f = partsFmt.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: o.timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
    partsFmt.set(key, f);
  }
  const p: Record<string, number> = {};
  for (const x of f.formatToParts(ms)) if (x.type !== 'literal') p[x.type] = Number(x.value);
  return { year: p.year, month: p.month, day: p.day, hour: p.hour % 24, minute: p.minute };
}

/** The zone's short name at `at` ("EST", "GMT+1", "UTC"). */
export function zoneAbbreviation(at: number, o: ZoneOptions = {}): string {
  const f = new Intl.DateTimeFormat(o.locale ?? 'en-US', { timeZone: o.timeZone, timeZoneName: 'short' });
  return f.formatToParts(at).find((x) => x.type === 'timeZoneName')?.value ?? 'UTC';
}

/** "America/New_York (EST)": shown beside every chart so nobody has to guess. */
export function zoneLabel(at: number, o: ZoneOptions = {}): string {
  const zone = o.timeZone ?? new Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
  const abbr = zoneAbbreviation(at, o);
  return abbr === zone ? zone : `${zone} (${abbr})`;
}

const dateFmts = new Map<string, Intl.DateTimeFormat>();

function dateFmt(o: ZoneOptions, withYear: boolean, withTime: boolean, withZone: boolean): Intl.DateTimeFormat {
  const key = `${o.locale ?? ''}|${o.timeZone ?? ''}|${withYear}|${withTime}|${withZone}`;
  let f = dateFmts.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(o.locale, {
      timeZone: o.timeZone,
      month: 'short',
      day: 'numeric',
      ...(withYear ? { year: 'numeric' } : {}),
      ...(withTime ? { hour: '2-digit', minute: '2-digit' } : {}),
      ...(withZone ? { timeZoneName: 'short' } : {}),
    });
    dateFmts.set(key, f);
  }
  return f;
}

/** A date and time with the zone, and the year when it is not `now`'s: "Mar 10, 2025, 09:30 EDT". */
export function formatDateTime(ms: number, now: number, o: ZoneOptions = {}): string {
  return dateFmt(o, parts(ms, o).year !== parts(now, o).year, true, true).format(ms);
}

/** A date alone, with the year when it is not `now`'s: "Mar 10" or "Mar 10, 2025". */
export function formatDate(ms: number, now: number, o: ZoneOptions = {}): string {
  return dateFmt(o, parts(ms, o).year !== parts(now, o).year, false, false).format(ms);
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * Labels for the time axis ticks: "HH:MM", with the date on a second line at the first tick
 * and wherever the day changes; dates alone when every tick is a midnight (the 7-day view).
 * Years appear on dates that are not in `now`'s year.
 */
export function timeAxisLabels(ticksMs: readonly number[], now: number, o: ZoneOptions = {}): string[] {
  const ps = ticksMs.map((t) => parts(t, o));
  const allMidnight = ps.length > 0 && ps.every((p) => p.hour === 0 && p.minute === 0);
  return ps.map((p, i) => {
    const date = formatDate(ticksMs[i], now, o);
    if (allMidnight) return date;
    const time = `${pad2(p.hour)}:${pad2(p.minute)}`;
    const prev = ps[i - 1];
    const newDay = i === 0 || prev.day !== p.day || prev.month !== p.month || prev.year !== p.year;
    return newDay ? `${time}\n${date}` : time;
  });
}

/** The viewer's calendar date of `ms` as an `<input type=date>` value (YYYY-MM-DD, local time). */
export function localDateValue(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

/** The end of a local calendar day given as YYYY-MM-DD (the next local midnight); undefined when malformed. */
export function endOfLocalDay(value: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return undefined;
  const t = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1).getTime();
  return Number.isFinite(t) ? t : undefined;
}
