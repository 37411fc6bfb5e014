import { DAY_MS, type Scenario, type ScenarioOptions } from './scenario.js';

/** One UTC day of a replay: its date and how many reports it holds. */
export interface DayTotal {
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  reports: number;
}

/** A day whose reports have all been sent, with the running totals at that point. */
export interface DayDone extends DayTotal {
  sent: number;
  total: number;
}

/**
 * Reports per UTC day of the scenario (every day from its first to its last minute, empty
 * days included): the denominator of the progress. Runs the generator once more, which
 * costs far less than expanding and posting the reports.
 */
export function reportsPerDay(scenario: Scenario, options: ScenarioOptions): DayTotal[] {
  const byDay = new Map<number, number>();
  for (let d = Math.floor(scenario.from / DAY_MS); d * DAY_MS < scenario.to; d++) byDay.set(d, 0);
  for (const cells of scenario.minutes(options)) {
    for (const c of cells) {
      const d = Math.floor(c.minute / DAY_MS);
      byDay.set(d, (byDay.get(d) ?? 0) + c.count);
    }
  }
  return [...byDay.entries()].sort((a, b) => a[0] - b[0]).map(([d, reports]) => ({ day: new Date(d * DAY_MS).toISOString().slice(0, 10), reports }));
}

/**
 * Counts sent reports per day and says which days are complete. Batches may span several
 * days (a quiet day at a small scale fits in one request) or hold part of one (an outage
 * day takes hundreds), so a day is done when all its reports are sent, not when a batch
 * starts it.
 */
export class DayProgress {
  readonly total: number;
  private readonly days: DayTotal[];
  private readonly index = new Map<string, number>();
  private readonly sentByDay: number[];
  private next = 0;
  private sentAll = 0;

  constructor(days: readonly DayTotal[]) {
    this.days = days.map((d) => ({ ...d }));
    this.days.forEach((d, i) => this.index.set(d.day, i));
    this.sentByDay = this.days.map(() => 0);
    this.total = this.days.reduce((a, d) => a + d.reports, 0);
  }

  get sent(): number {
    return this.sentAll;
  }

  /** The first day not yet complete (the one being sent), if any. */
  get current(): string | undefined {
    return this.days[this.next]?.day;
  }

  /** Counts a sent batch (event times as ISO 8601); answers the days it completed, in order. */
  add(batch: readonly { ts: string }[]): DayDone[] {
    for (const r of batch) {
      const i = this.index.get(r.ts.slice(0, 10));
      if (i === undefined) throw new Error(`report at ${r.ts} is outside the replay's days`);
      this.sentByDay[i]++;
    }
    this.sentAll += batch.length;
    const done: DayDone[] = [];
    let running = this.days.slice(0, this.next).reduce((a, d) => a + d.reports, 0);
    while (this.next < this.days.length && this.sentByDay[this.next] >= this.days[this.next].reports) {
      const d = this.days[this.next++];
      running += d.reports;
      done.push({ ...d, sent: running, total: this.total });
    }
    return done;
  }
}
