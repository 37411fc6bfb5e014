// Writes a bench's results JSON: the latest run's figures at the top level, as before, and
// `lastRuns`, the last RUNS_KEPT runs (this one included, oldest first), each with when, on
// which commit and under what load it ran. The docs quote ranges over several runs on a
// noisy shared machine; this way each of those runs is in the file the figures come from.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const RUNS_KEPT = 10;

/** One run as `lastRuns` keeps it. */
export interface KeptRun {
  at: string;
  /** Short commit of the checkout that ran, `+dirty` when it had uncommitted changes; null when unknown. */
  commit: string | null;
  /** 1, 5 and 15 minute load averages at the end of the run. */
  loadAverage: number[];
  cores: number;
  node: string;
  /** The run's figures (the top level of the file when it was the latest), without `raw` samples. */
  figures: Record<string, unknown>;
}

/** Where the bench's results JSON lives: bench/results/<name>.json. */
export function resultsPath(name: string): string {
  return path.join(import.meta.dirname, 'results', `${name}.json`);
}

function currentCommit(cwd: string): string | null {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    // The results files themselves change with every run; other changes make the run "dirty".
    const changes = execFileSync('git', ['status', '--porcelain', '--', ':(top)', ':(top,exclude)bench/results'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return changes.trim() ? `${head}+dirty` : head;
  } catch {
    return null;
  }
}

/** The figures worth keeping per run: everything but the raw samples, the history itself and `leaveOut`. */
function keptFigures(figures: Record<string, unknown>, leaveOut: readonly string[] = []): Record<string, unknown> {
  const { raw: _raw, lastRuns: _lastRuns, ...rest } = figures;
  for (const key of leaveOut) delete rest[key];
  return rest;
}

/** The runs a file written before `lastRuns` existed holds: its one run, with what it says of itself. */
function runsOf(previous: Record<string, unknown>, leaveOut: readonly string[] = []): KeptRun[] {
  if (Array.isArray(previous.lastRuns)) return previous.lastRuns as KeptRun[];
  const at = [previous.at, previous.date, previous.generated_at].find((v) => typeof v === 'string') as string | undefined;
  if (!at) return [];
  return [{ at, commit: null, loadAverage: typeof previous.loadAverage === 'number' ? [previous.loadAverage] : [], cores: typeof previous.cores === 'number' ? previous.cores : 0, node: typeof previous.node === 'string' ? previous.node : '', figures: keptFigures(previous, leaveOut) }];
}

function readPrevious(file: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export interface WriteOptions {
  /** The time of the run (default now). */
  now?: Date;
  /** The commit to record (default: asked of git in the file's repository). */
  commit?: string | null;
  loadAverage?: number[];
  /** Top-level keys too large to keep for every run (per-file tables): only the latest run has them. */
  leaveOut?: readonly string[];
}

/**
 * Writes `figures` to `file` with `lastRuns` appended: the runs already in the file plus this
 * one, the last RUNS_KEPT. Returns what was written.
 */
export function writeResults(file: string, figures: Record<string, unknown>, options: WriteOptions = {}): Record<string, unknown> {
  const previous = readPrevious(file);
  // Made first: git is asked from the file's directory.
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const run: KeptRun = {
    at: (options.now ?? new Date()).toISOString(),
    commit: options.commit !== undefined ? options.commit : currentCommit(path.dirname(file)),
    loadAverage: (options.loadAverage ?? os.loadavg()).map((l) => Math.round(l * 100) / 100),
    cores: os.cpus().length,
    node: process.version,
    figures: keptFigures(figures, options.leaveOut),
  };
  const lastRuns = [...(previous ? runsOf(previous, options.leaveOut) : []), run].slice(-RUNS_KEPT);
  const out = { ...figures, lastRuns };
  fs.writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  return out;
}
