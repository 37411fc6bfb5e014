import { seededRng } from './random.js';
import { DAY_MS, MINUTE_MS, waveShape, type ReportCell, type Scenario, type ScenarioOptions, type Wave } from './scenario.js';
import { backgroundMinute, NORMAL_PROBLEMS, spread, WORLD_REGIONS, type DailyCycle, type Mix } from './traffic.js';

/**
 * The X (Twitter) outage of Monday 10 March 2025 (../shared/scenarios/x-outage-2025-03-10.md):
 * a week of normal traffic, then waves at ~05:30, ~09:30 (41,000 reports a minute at the
 * peak), ~11:10 and the ~12:00 major disruption of over an hour (US Eastern, UTC-4), then
 * recovery in the afternoon. Outage reports: 56.5% app, 32.5% website, the rest other
 * problems; heaviest along the US east and west coasts.
 */
const DAY = Date.UTC(2025, 2, 10);
const ET = (h: number, m: number): number => DAY + (h + 4) * 3_600_000 + m * MINUTE_MS;

const WAVES: readonly Wave[] = [
  { label: 'first wave ~05:30 ET', start: ET(5, 30), peakPerMinute: 3_500, riseMinutes: 5, holdMinutes: 20, decayMinutes: 30 },
  { label: 'second wave ~09:30 ET', start: ET(9, 30), peakPerMinute: 41_000, riseMinutes: 6, holdMinutes: 25, decayMinutes: 30 },
  { label: 'third wave ~11:10 ET', start: ET(11, 10), peakPerMinute: 18_000, riseMinutes: 5, holdMinutes: 15, decayMinutes: 15 },
  { label: 'major disruption ~12:00 ET', start: ET(12, 0), peakPerMinute: 28_570, riseMinutes: 5, holdMinutes: 70, decayMinutes: 40 },
];

const OUTAGE_PROBLEMS: Mix = [['app', 56.5], ['website', 32.5], ['connection', 5], ['login', 3], ['feed', 3]];

/** US coasts first, then the rest of the world: the outage was global. */
const OUTAGE_REGIONS: Mix = [
  ['US-CA', 15], ['US-NY', 13], ['US-FL', 6], ['US-WA', 5], ['US-MA', 5], ['US-NJ', 4], ['US-TX', 5],
  ['US-IL', 3], ['US-GA', 2], ['US-PA', 2], ['US-VA', 2], ['US-OR', 2], ['GB', 8], ['JP', 5], ['CA', 4],
  ['IN', 4], ['BR', 3], ['DE', 3], ['FR', 3], ['AU', 2], ['ES', 2], ['MX', 2],
];

const CYCLE: DailyCycle = { dayPerMinute: 60, nightPerMinute: 8, utcOffsetHours: -4 };

export const xOutage: Scenario = {
  name: 'x-outage-2025-03-10',
  description: 'X (Twitter), 10 March 2025: a normal week, then waves at 05:30, 09:30 (41k/min), 11:10 and 12:00 ET',
  service: { slug: 'x', name: 'X (Twitter)', url: 'https://x.com' },
  from: DAY - 7 * DAY_MS,
  to: DAY + DAY_MS,
  waves: WAVES,
  outageProblems: Object.fromEntries(OUTAGE_PROBLEMS.map(([p, w]) => [p, w])),
  *minutes(o: ScenarioOptions): Generator<ReportCell[]> {
    const rng = seededRng(o.seed);
    for (let t = this.from; t < this.to; t += MINUTE_MS) {
      const cells = backgroundMinute(rng, CYCLE, o.scale, t, NORMAL_PROBLEMS, WORLD_REGIONS);
      let intensity = 0;
      for (const w of WAVES) intensity += w.peakPerMinute * waveShape(w, t);
      if (intensity > 0) {
        // Minute-to-minute jitter, as crowd reports are never a smooth curve.
        const n = Math.round(intensity * o.scale * (0.9 + 0.2 * rng()));
        spread(rng, t, n, OUTAGE_PROBLEMS, OUTAGE_REGIONS, cells);
      }
      yield cells;
    }
  },
};
