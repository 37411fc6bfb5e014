import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseSeriesCsv, parseTimestamp } from '../detect/series-csv.js';
import { locateWindows } from './labelled-file.js';
import type { Window } from './labelled-file.js';

/** One NAB data file with its ground-truth windows. */
export interface CorpusFile {
  /** Path relative to data/, e.g. `realTweets/Twitter_volume_AAPL.csv`. */
  name: string;
  category: string;
  times: Float64Array;
  values: Float64Array;
  windows: Window[];
}

/** Reads `<root>/data/<category>/*.csv` and `<root>/labels/combined_windows.json`. */
export function loadCorpus(root: string): CorpusFile[] {
  const labels = JSON.parse(readFileSync(join(root, 'labels', 'combined_windows.json'), 'utf8')) as Record<string, [string, string][]>;
  const files: CorpusFile[] = [];
  for (const category of readdirSync(join(root, 'data')).sort()) {
    for (const file of readdirSync(join(root, 'data', category)).sort()) {
      if (!file.endsWith('.csv')) continue;
      const name = `${category}/${file}`;
      const rows = parseSeriesCsv(readFileSync(join(root, 'data', name), 'utf8'));
      const times = Float64Array.from(rows, (r) => r.t);
      const edges = (labels[name] ?? []).map(([a, b]) => [toMs(name, a), toMs(name, b)] as const);
      files.push({ name, category, times, values: Float64Array.from(rows, (r) => r.value), windows: locateWindows(name, times, edges) });
    }
  }
  return files;
}

/**
 * Where the shared NAB data is for a checkout at `repo`: `$STORMWATCH_NAB_DIR`, else
 * `../shared/nab` beside it, else `../../shared/nab` (a worktree under /work/wt/<name>).
 * Undefined if none holds the corpus, so benchmarks can skip.
 */
export function findCorpus(repo: string): string | undefined {
  const candidates = process.env.STORMWATCH_NAB_DIR ? [process.env.STORMWATCH_NAB_DIR] : [resolve(repo, '..', 'shared', 'nab'), resolve(repo, '..', '..', 'shared', 'nab')];
  return candidates.find(corpusExists);
}

export function corpusExists(root: string): boolean {
  return existsSync(join(root, 'data')) && existsSync(join(root, 'labels', 'combined_windows.json'));
}

function toMs(name: string, text: string): number {
  const t = parseTimestamp(text);
  if (t === undefined) throw new Error(`${name}: bad window edge ${text}`);
  return t;
}
