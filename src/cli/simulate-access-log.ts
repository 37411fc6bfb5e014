import { InvalidArgumentError, type Command } from 'commander';
import { openCountryLookup } from '../geo/country.js';
import { writeAccessLog } from '../simulate/access-log-file.js';

interface Flags {
  out: string;
  seed: number;
  start: string;
  hours: number;
  rps: number;
  crawlers: number;
  format: 'combined' | 'common' | 'json';
  attackAt: number;
  attackMinutes: number;
  attackRps: number;
  bots: number;
}

const num = (v: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a non-negative number');
  return n;
};

/** `stormwatch simulate-access-log`: a realistic log with an HTTP flood and its ground truth. */
export function registerSimulateAccessLog(program: Command): void {
  program
    .command('simulate-access-log')
    .description('write a generated web access log with a botnet flood (ground truth in <out>.truth.json)')
    .requiredOption('-o, --out <file>', 'output file (.gz to compress)')
    .option('--seed <n>', 'random seed', num, 1)
    .option('--start <iso>', 'time of the first line', '2026-03-10T00:00:00Z')
    .option('--hours <h>', 'length of the log', num, 6)
    .option('--rps <n>', 'mean requests/s of ordinary visitors', num, 5)
    .option('--crawlers <n>', 'steady crawlers', num, 2)
    .option('--format <f>', 'combined, common or json', 'combined')
    .option('--attack-at <h>', 'hours after the start when the flood begins (negative: none)', Number, 3)
    .option('--attack-minutes <m>', 'flood duration', num, 15)
    .option('--attack-rps <n>', 'flood requests/s', num, 300)
    .option('--bots <n>', 'bot addresses', num, 2000)
    .action((f: Flags) => {
      if (!['combined', 'common', 'json'].includes(f.format)) throw new InvalidArgumentError('--format must be combined, common or json');
      const start = Date.parse(f.start);
      if (!Number.isFinite(start)) throw new InvalidArgumentError('--start must be an ISO time');
      const truth = writeAccessLog(f.out, {
        seed: f.seed,
        start: Math.floor(start / 1000),
        durationSeconds: Math.round(f.hours * 3600),
        normalRps: f.rps,
        crawlers: f.crawlers,
        format: f.format,
        attack: f.attackAt >= 0 ? { offsetSeconds: Math.round(f.attackAt * 3600), durationSeconds: Math.round(f.attackMinutes * 60), rps: f.attackRps, bots: Math.round(f.bots) } : null,
        countries: openCountryLookup(),
      });
      console.log(`${truth.lines.toLocaleString('en-US')} lines → ${f.out}${truth.attack ? `; flood ${new Date(truth.attack.start * 1000).toISOString()} → ${new Date(truth.attack.end * 1000).toISOString()} from ${truth.bots.length} bots` : ''}`);
    });
}
