import { seededRng } from './random.js';
import { DAY_MS, MINUTE_MS, type ReportCell, type Scenario, type ScenarioOptions } from './scenario.js';
import { backgroundMinute, NORMAL_PROBLEMS, spread, WORLD_REGIONS, type DailyCycle } from './traffic.js';

const FROM = Date.UTC(2025, 2, 3);
const CYCLE: DailyCycle = { dayPerMinute: 30, nightPerMinute: 4, utcOffsetHours: -5 };
const SPAM_START = FROM + 7 * DAY_MS + 15 * 3_600_000;
const SPAM_MINUTES = 45;
const REPORTERS = ['spammer-1', 'spammer-2', 'spammer-3', 'spammer-4', 'spammer-5'];
/** Each spammer's reports per minute at scale 1: together 10x the daytime traffic. */
const PER_REPORTER = 60;

/**
 * A week of normal traffic, then five reporters flooding reports for 45 minutes. Ingest's
 * per-reporter dedupe must keep them from opening an incident.
 */
export const spam: Scenario = {
  name: 'spam',
  description: 'a week of normal traffic, then 5 reporters flood 45 minutes of reports; opens no incident',
  service: { slug: 'spam', name: 'Spam Target', url: 'https://spam.example.com' },
  from: FROM,
  to: SPAM_START + 3 * 3_600_000,
  waves: [],
  outageProblems: {},
  *minutes(o: ScenarioOptions): Generator<ReportCell[]> {
    const rng = seededRng(o.seed);
    for (let t = this.from; t < this.to; t += MINUTE_MS) {
      const cells = backgroundMinute(rng, CYCLE, o.scale, t, NORMAL_PROBLEMS, WORLD_REGIONS);
      if (t >= SPAM_START && t < SPAM_START + SPAM_MINUTES * MINUTE_MS) {
        REPORTERS.forEach((reporter, i) => {
          // Each spammer sticks to one problem and one region, as scripted spam does.
          spread(rng, t, Math.max(1, Math.round(PER_REPORTER * o.scale)), [[NORMAL_PROBLEMS[i % NORMAL_PROBLEMS.length][0], 1]], [[WORLD_REGIONS[i][0], 1]], cells, reporter);
        });
      }
      yield cells;
    }
  },
};
