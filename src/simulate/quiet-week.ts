import { seededRng } from './random.js';
import { DAY_MS, MINUTE_MS, type ReportCell, type Scenario, type ScenarioOptions } from './scenario.js';
import { backgroundMinute, NORMAL_PROBLEMS, WORLD_REGIONS, type DailyCycle } from './traffic.js';

const FROM = Date.UTC(2025, 2, 3);
const CYCLE: DailyCycle = { dayPerMinute: 30, nightPerMinute: 4, utcOffsetHours: -5 };

/** A week of ordinary traffic with a daily cycle and Poisson noise: must open nothing. */
export const quietWeek: Scenario = {
  name: 'quiet-week',
  description: 'a week of normal traffic (daily cycle, Poisson noise); opens no incident',
  service: { slug: 'quiet', name: 'Quiet Service', url: 'https://quiet.example.com' },
  from: FROM,
  to: FROM + 7 * DAY_MS,
  waves: [],
  outageProblems: {},
  *minutes(o: ScenarioOptions): Generator<ReportCell[]> {
    const rng = seededRng(o.seed);
    for (let t = this.from; t < this.to; t += MINUTE_MS) yield backgroundMinute(rng, CYCLE, o.scale, t, NORMAL_PROBLEMS, WORLD_REGIONS);
  },
};
