import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { openCountryLookup } from '../geo/country.js';
import { writeAccessLog } from '../simulate/access-log-file.js';
import { importScenario } from '../simulate/import-reports.js';
import { accessLogOptionsFor } from '../simulate/scenario-access-log.js';
import { findScenario, scenarios } from '../simulate/scenarios.js';
import { writeScenarioNdjson } from '../simulate/write-ndjson.js';

interface SimulateOptions {
  list?: boolean;
  scenario?: string;
  target?: string;
  token?: string;
  out?: string;
  scale: number;
  seed: number;
  accessLog?: string;
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
    .action(async (opts: SimulateOptions) => {
      if (opts.list) {
        for (const s of scenarios) console.log(`${s.name.padEnd(22)} service "${s.service.slug}"  ${s.description}`);
        return;
      }
      if (!opts.scenario) throw new Error('give --scenario <name> (or --list)');
      const scenario = findScenario(opts.scenario);
      if (!scenario) throw new Error(`unknown scenario "${opts.scenario}"; known: ${scenarios.map((s) => s.name).join(', ')}`);
      if (!opts.target && !opts.out && !opts.accessLog) throw new Error('give --target <url> (with --token) or --out <file>');
      const gen = { scale: opts.scale, seed: opts.seed };
      if (opts.out) {
        const n = await writeScenarioNdjson(scenario, gen, opts.out);
        if (opts.out !== '-') console.error(`wrote ${n} reports of ${scenario.name} to ${opts.out}`);
      }
      if (opts.target) {
        const token = opts.token ?? process.env.STORMWATCH_ADMIN_TOKEN;
        if (!token) throw new Error('--target needs --token (or STORMWATCH_ADMIN_TOKEN)');
        let lastDay = '';
        const r = await importScenario(scenario, {
          ...gen,
          target: opts.target,
          token,
          onProgress: (p) => {
            const day = new Date(p.at).toISOString().slice(0, 10);
            if (day !== lastDay) console.error(`  ${day}: ${p.sent} reports sent in ${p.requests} requests`);
            lastDay = day;
          },
        });
        console.error(`imported ${scenario.name}: ${r.accepted}/${r.sent} reports accepted in ${r.requests} requests${r.serviceCreated ? ` (service "${scenario.service.slug}" created)` : ''}`);
        console.error(`incidents: ${opts.target.replace(/\/+$/, '')}/api/v1/services/${scenario.service.slug}/incidents`);
      }
      if (opts.accessLog) {
        const truth = writeAccessLog(opts.accessLog, { ...accessLogOptionsFor(scenario, opts.seed, opts.scale), countries: openCountryLookup() });
        console.error(`wrote ${truth.lines} access-log lines to ${opts.accessLog} (truth in ${opts.accessLog}.truth.json)`);
      }
    });
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
