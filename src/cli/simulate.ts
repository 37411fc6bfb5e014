import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { openCountryLookup } from '../geo/country.js';
import { writeAccessLog } from '../simulate/access-log-file.js';
import { importScenario, ReplayRefusedError, serverNow } from '../simulate/import-reports.js';
import { originalTime, placeScenario, shiftToNow, type Placement } from '../simulate/placement.js';
import { reportsPerDay } from '../simulate/progress.js';
import type { Scenario } from '../simulate/scenario.js';
import { accessLogOptionsFor } from '../simulate/scenario-access-log.js';
import { findScenario, scenarios } from '../simulate/scenarios.js';
import { writeScenarioNdjson } from '../simulate/write-ndjson.js';
import { replayProgress } from './replay-progress.js';

interface SimulateOptions {
  list?: boolean;
  scenario?: string;
  target?: string;
  token?: string;
  out?: string;
  scale: number;
  seed: number;
  accessLog?: string;
  shiftToNow?: boolean;
  atOriginalTime?: boolean;
  append?: boolean;
}

/**
 * When the replay happens: shifted to now by default when importing into a server (so the
 * dashboard shows the outage as current), at the scenario's own dates for files unless
 * asked otherwise. "Now" is the target server's clock.
 */
async function placementFor(scenario: Scenario, opts: SimulateOptions): Promise<Placement> {
  if (opts.shiftToNow && opts.atOriginalTime) throw new Error('give --shift-to-now or --at-original-time, not both');
  const shift = opts.shiftToNow === true || (opts.target !== undefined && opts.atOriginalTime !== true);
  if (!shift) return originalTime(scenario);
  return shiftToNow(scenario, opts.target ? await serverNow(opts.target) : Date.now());
}

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('generate the reports of a scenario: import them into a running server (--target) or write NDJSON (--out)')
    .option('--list', 'list the scenarios')
    .option('-s, --scenario <name>', 'scenario to generate (see --list)')
    .option('--target <url>', 'server to import into through POST /api/v1/reports:batch, e.g. http://127.0.0.1:8080')
    .option('--token <token>', 'admin token for --target (default: $STORMWATCH_ADMIN_TOKEN)')
    .option('-o, --out <file>', 'write the reports as NDJSON to this file (- for stdout)')
    .option('--scale <n>', 'multiply every rate (1 = the scenario as described; 0.05 for a quick run)', positiveNumber, 1)
    .option('--seed <n>', 'random seed (same seed, same reports)', integer, 1)
    .option('--access-log <file>', 'also write the matching web server access log (and <file>.truth.json)')
    .option('--shift-to-now', 'move the scenario so that it ends minutes before now, its last wave at its height (the default with --target)')
    .option('--at-original-time', "keep the scenario's own dates (March 2025 for the X outage)")
    .option('--append', 'replay even though the service already holds a replay of these minutes: its reports then count on top of the earlier ones')
    .action(async (opts: SimulateOptions) => {
      if (opts.list) {
        for (const s of scenarios) console.log(`${s.name.padEnd(22)} service "${s.service.slug}"  ${s.description}`);
        return;
      }
      if (!opts.scenario) throw new Error('give --scenario <name> (or --list)');
      const found = findScenario(opts.scenario);
      if (!found) throw new Error(`unknown scenario "${opts.scenario}"; known: ${scenarios.map((s) => s.name).join(', ')}`);
      if (!opts.target && !opts.out && !opts.accessLog) throw new Error('give --target <url> (with --token) or --out <file>');
      if (opts.target && !(opts.token ?? process.env.STORMWATCH_ADMIN_TOKEN)) throw new Error('--target needs --token (or STORMWATCH_ADMIN_TOKEN)');
      const placement = await placementFor(found, opts);
      const scenario = placeScenario(found, placement);
      if (placement.shiftMs !== 0) console.error(`${scenario.name}: replayed from ${isoMinute(scenario.from)} to ${isoMinute(scenario.to)} (shifted by ${formatShift(placement.shiftMs)}; --at-original-time keeps ${isoMinute(found.from).slice(0, 10)})`);
      const gen = { scale: opts.scale, seed: opts.seed };
      if (opts.out) {
        const n = await writeScenarioNdjson(scenario, gen, opts.out);
        if (opts.out !== '-') console.error(`wrote ${n} reports of ${scenario.name} to ${opts.out}`);
      }
      if (opts.target) {
        const token = opts.token ?? process.env.STORMWATCH_ADMIN_TOKEN;
        if (!token) throw new Error('--target needs --token (or STORMWATCH_ADMIN_TOKEN)');
        const view = replayProgress(reportsPerDay(scenario, gen));
        let r;
        try {
          r = await importScenario(scenario, { ...gen, target: opts.target, token, append: opts.append === true, onProgress: (_p, batch) => view.batch(batch) });
        } catch (err) {
          if (!(err instanceof ReplayRefusedError)) throw err;
          throw new Error(
            `not replayed: ${err.message}.\n` +
              `  Nothing was sent. The earlier replay is still there to see. To replay anyway, counting these minutes twice, add --append;\n` +
              `  to start clean, replay into a server with a new database (stormwatch serve --db sqlite:./data/replay.db).`,
            { cause: err },
          );
        } finally {
          view.stop();
        }
        const again = r.replayedBatches > 0 ? `; ${r.replayedBatches} of ${r.requests} batches were already imported (same scenario, seed, scale and placement) and added nothing` : '';
        console.error(`imported ${scenario.name}: ${r.accepted}/${r.sent} reports accepted in ${r.requests} requests${r.serviceCreated ? ` (service "${scenario.service.slug}" created)` : ''}${again}`);
        console.error(`see it: ${opts.target.replace(/\/+$/, '')}/services/${scenario.service.slug}`);
      }
      if (opts.accessLog) {
        const truth = writeAccessLog(opts.accessLog, { ...accessLogOptionsFor(scenario, opts.seed, opts.scale), countries: openCountryLookup() });
        console.error(`wrote ${truth.lines} access-log lines to ${opts.accessLog} (truth in ${opts.accessLog}.truth.json)`);
      }
    });
}

function isoMinute(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16)}Z`;
}

function formatShift(ms: number): string {
  const min = Math.round(ms / 60_000);
  const days = Math.floor(min / 1440);
  const h = Math.floor((min % 1440) / 60);
  return `${days} d ${h} h ${min % 60} min`;
}

function positiveNumber(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > 100) throw new InvalidArgumentError('must be a number above 0 and at most 100');
  return n;
}

function integer(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('must be an integer');
  return n;
}
