import { seededRng } from './random.js';
import { DAY_MS, MINUTE_MS, type ReportCell, type Scenario, type ScenarioOptions } from './scenario.js';
import { backgroundMinute, NORMAL_PROBLEMS, spread, WORLD_REGIONS, type DailyCycle } from './traffic.js';

const FROM = Date.UTC(2025, 2, 3);
const CYCLE: DailyCycle = { dayPerMinute: 30, nightPerMinute: 4, utcOffsetHours: -5 };
const SPAM_START = FROM + 7 * DAY_MS + 15 * 3_600_000;
const SPAM_MINUTES = 45;

/** One flooding actor: its reporter id, the addresses it sends from, and its reports per minute at scale 1. */
interface Spammer {
  reporter: string;
  addresses?: readonly string[];
  perMinute: number;
}

/** A week of normal traffic, then spammers flooding one service for 45 minutes. */
function spamScenario(name: string, description: string, spammers: readonly Spammer[], rotateReporter: boolean): Scenario {
  return {
    name,
    description,
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
          spammers.forEach((s, i) => {
            // Each spammer sticks to one problem and one region, as scripted spam does.
            const before = cells.length;
            spread(rng, t, Math.max(1, Math.round(s.perMinute * o.scale)), [[NORMAL_PROBLEMS[i % NORMAL_PROBLEMS.length][0], 1]], [[WORLD_REGIONS[i % WORLD_REGIONS.length][0], 1]], cells, s.reporter);
            for (let c = before; c < cells.length; c++) cells[c] = { ...cells[c], ...(s.addresses ? { addresses: s.addresses } : {}), ...(rotateReporter ? { rotateReporter } : {}) };
          });
        }
        yield cells;
      }
    },
  };
}

/**
 * Five reporters flooding (together 10x the daytime traffic). Ingest's per-reporter dedupe
 * keeps them from opening an incident.
 */
export const spam: Scenario = spamScenario(
  'spam',
  'a week of normal traffic, then 5 reporters flood 45 minutes of reports; opens no incident',
  ['spammer-1', 'spammer-2', 'spammer-3', 'spammer-4', 'spammer-5'].map((reporter) => ({ reporter, perMinute: 60 })),
  false,
);

/**
 * Three addresses on three networks, each report with a new user agent (so each is a new
 * reporter to dedupe): distinct-source evidence keeps them from opening an incident.
 */
export const spamRotatingUserAgent: Scenario = spamScenario(
  'spam-rotating-ua',
  'a week of normal traffic, then 3 addresses rotating user agents flood 45 minutes; opens no incident',
  ['198.51.100.7', '203.0.113.9', '192.0.2.44'].map((address, i) => ({ reporter: `ua-rotator-${i + 1}`, addresses: [address], perMinute: 100 })),
  true,
);

/** 40 addresses in each of three /24 networks, rotating user agents: still a handful of sources. */
export const spamMultiAddress: Scenario = spamScenario(
  'spam-multi-address',
  'a week of normal traffic, then 120 addresses in three /24 networks rotating user agents flood 45 minutes; opens no incident',
  ['198.51.100', '203.0.113', '192.0.2'].map((net, i) => ({ reporter: `botnet-${i + 1}`, addresses: Array.from({ length: 40 }, (_, k) => `${net}.${10 + k}`), perMinute: 100 })),
  true,
);
