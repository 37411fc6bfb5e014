/**
 * `npm run bench:analyze`: `stormwatch analyze` (both passes, geo, JSON + HTML + blocklist
 * exports) on a generated 2,000,000-line combined log, beside GoAccess on the same file in
 * the same run, and a bare Node line counter for scale. Each contender runs in its own
 * process under /usr/bin/time (wall time, peak RSS); rounds alternate so that the noise of
 * this shared machine falls on everyone alike. Writes bench/results/analyze.json.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openCountryLookup } from '../src/geo/country.js';
import { writeAccessLog } from '../src/simulate/access-log-file.js';
import { resultsPath, writeResults } from './results-file.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LINES = 2_000_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const cacheDir = path.join(os.tmpdir(), 'stormwatch-bench-analyze');
const logFile = path.join(cacheDir, 'access-2m.log');
const outDir = path.join(cacheDir, 'out');
fs.mkdirSync(outDir, { recursive: true });

function ensureLog(): void {
  if (fs.existsSync(logFile) && fs.existsSync(`${logFile}.truth.json`)) return;
  console.log(`generating ${LINES.toLocaleString('en-US')} lines into ${logFile} ...`);
  writeAccessLog(logFile, {
    seed: 7,
    start: Date.UTC(2026, 2, 10) / 1000,
    durationSeconds: 86400,
    normalRps: 15.5,
    crawlers: 2,
    attack: { offsetSeconds: 14 * 3600, durationSeconds: 1800, rps: 400, bots: 5000 },
    format: 'combined',
    countries: openCountryLookup(),
  });
  // Cut to exactly LINES lines (the flood is mid-day, well inside).
  const buf = fs.readFileSync(logFile);
  let at = -1;
  for (let n = 0; n < LINES; n++) {
    at = buf.indexOf(10, at + 1);
    if (at < 0) throw new Error('generated log is shorter than expected');
  }
  fs.truncateSync(logFile, at + 1);
}

function ensureGoaccess(): boolean {
  if (spawnSync('which', ['goaccess']).status === 0) return true;
  console.log('installing goaccess (apt-get install -y goaccess) ...');
  return spawnSync('apt-get', ['install', '-y', 'goaccess'], { stdio: 'inherit' }).status === 0;
}

interface Run {
  wallS: number;
  rssMb: number;
  innerS?: number;
}

/** Runs a command under /usr/bin/time; returns wall seconds and peak RSS. */
function timed(cmd: string, args: string[]): Run & { stdout: string } {
  const res = spawnSync('/usr/bin/time', ['-f', '__TIME__ %e %M', cmd, ...args], { cwd: repo, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const m = /__TIME__ ([\d.]+) (\d+)/.exec(res.stderr);
  if (res.status !== 0 || !m) throw new Error(`${cmd} failed (${res.status}): ${res.stderr.slice(-2000)}`);
  return { wallS: Number(m[1]), rssMb: Number(m[2]) / 1024, stdout: res.stdout };
}

function ours(workers: number): Run {
  const r = timed(process.execPath, ['--import', 'tsx', 'bench/analyze-child.ts', logFile, outDir, String(workers)]);
  const inner = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { ms: number; lines: number };
  if (inner.lines !== LINES) throw new Error(`analysis read ${inner.lines} lines`);
  return { wallS: r.wallS, rssMb: r.rssMb, innerS: inner.ms / 1000 };
}

function goaccess(): Run {
  return timed('goaccess', [logFile, '--log-format=COMBINED', '-o', path.join(outDir, 'goaccess.json')]);
}

async function lineCounter(): Promise<Run> {
  const t0 = performance.now();
  let n = 0;
  for await (const _line of readline.createInterface({ input: fs.createReadStream(logFile), crlfDelay: Infinity })) n++;
  if (n !== LINES) throw new Error(`counted ${n} lines`);
  return { wallS: (performance.now() - t0) / 1000, rssMb: 0 };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

ensureLog();
const haveGoaccess = ensureGoaccess();
const runs: Record<string, Run[]> = { 'stormwatch (2 workers)': [], 'stormwatch (1 worker)': [], goaccess: [], 'node readline line count': [] };
for (let round = 0; round < ROUNDS; round++) {
  console.log(`round ${round + 1}/${ROUNDS}`);
  runs['stormwatch (2 workers)'].push(ours(2));
  if (haveGoaccess) runs.goaccess.push(goaccess());
  runs['stormwatch (1 worker)'].push(ours(1));
  runs['node readline line count'].push(await lineCounter());
}

const rows = Object.entries(runs)
  .filter(([, rs]) => rs.length > 0)
  .map(([name, rs]) => {
    const wall = median(rs.map((r) => r.wallS));
    const inner = rs[0].innerS !== undefined ? median(rs.map((r) => r.innerS ?? 0)) : undefined;
    return { name, wall_s: wall, lines_per_s: Math.round(LINES / wall), in_process_s: inner, in_process_lines_per_s: inner ? Math.round(LINES / inner) : undefined, peak_rss_mb: rs[0].rssMb ? Math.round(median(rs.map((r) => r.rssMb))) : undefined, runs: rs };
  });
const ga = rows.find((r) => r.name === 'goaccess');
const best = rows.filter((r) => r.name.startsWith('stormwatch')).sort((a, b) => a.wall_s - b.wall_s)[0];
const ratio = ga ? best.lines_per_s / ga.lines_per_s : null;

console.log('\n| contender | wall s | lines/s (wall) | lines/s (in process) | peak RSS MB |');
console.log('|---|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.name} | ${r.wall_s.toFixed(2)} | ${r.lines_per_s.toLocaleString('en-US')} | ${r.in_process_lines_per_s?.toLocaleString('en-US') ?? '-'} | ${r.peak_rss_mb ?? '-'} |`);
console.log(ratio === null ? '\ngoaccess unavailable: no ratio' : `\n${best.name} / goaccess lines/s (wall, median of ${ROUNDS}): ${ratio.toFixed(1)}× (target ≥ 10×)`);

const truth = JSON.parse(fs.readFileSync(`${logFile}.truth.json`, 'utf8')) as { attack: { start: number; end: number } };
const report = JSON.parse(fs.readFileSync(path.join(outDir, 'report.json'), 'utf8')) as { attacks: { start_unix: number; end_unix: number }[] };
const result = {
  generated_at: new Date().toISOString(),
  machine: { cpus: os.availableParallelism(), load_avg_at_end: os.loadavg(), node: process.version, goaccess: haveGoaccess ? execFileSync('goaccess', ['--version'], { encoding: 'utf8' }).split('\n')[0] : null },
  log: { file: logFile, lines: LINES, bytes: fs.statSync(logFile).size, format: 'combined' },
  rounds: ROUNDS,
  results: rows,
  ratio_vs_goaccess: ratio === null ? null : Math.round(ratio * 10) / 10,
  target_ratio: 10,
  attack_found: report.attacks.map((a) => ({ start_error_s: a.start_unix - truth.attack.start, end_error_s: a.end_unix - truth.attack.end })),
};
writeResults(resultsPath('analyze'), result);
console.log('wrote bench/results/analyze.json');
