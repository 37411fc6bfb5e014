import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RUNS_KEPT, writeResults, type KeptRun } from '../../bench/results-file.js';

/** The bench results writer: the latest figures on top, as readers expect, and the last runs kept. */
describe('bench results file', () => {
  const dirs: string[] = [];
  const tmpFile = (): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-results-'));
    dirs.push(dir);
    return path.join(dir, 'x.json');
  };
  const read = (file: string): Record<string, unknown> & { lastRuns: KeptRun[] } => JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown> & { lastRuns: KeptRun[] };
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('keeps the latest figures at the top level and each run, without its raw samples, in lastRuns', () => {
    const file = tmpFile();
    writeResults(file, { runs: 40, p95: 261, raw: [1, 2, 3] }, { now: new Date('2026-12-02T10:00:00Z'), commit: 'aaaaaaa', loadAverage: [4.71, 5, 6] });
    writeResults(file, { runs: 40, p95: 505, raw: [4, 5, 6] }, { now: new Date('2026-12-02T11:00:00Z'), commit: 'bbbbbbb+dirty', loadAverage: [6.684, 6, 6] });
    const out = read(file);
    expect(out).toMatchObject({ runs: 40, p95: 505, raw: [4, 5, 6] });
    expect(out.lastRuns.map((r) => [r.at, r.commit, r.loadAverage[0], r.figures])).toEqual([
      ['2026-12-02T10:00:00.000Z', 'aaaaaaa', 4.71, { runs: 40, p95: 261 }],
      ['2026-12-02T11:00:00.000Z', 'bbbbbbb+dirty', 6.68, { runs: 40, p95: 505 }],
    ]);
    expect(out.lastRuns[1]).toMatchObject({ cores: os.cpus().length, node: process.version });
  });

  it('keeps only the last RUNS_KEPT runs, oldest first', () => {
    const file = tmpFile();
    for (let i = 0; i < RUNS_KEPT + 3; i++) writeResults(file, { i }, { now: new Date(Date.UTC(2026, 11, 2, 0, i)), commit: null, loadAverage: [1] });
    const out = read(file);
    expect(out.i).toBe(RUNS_KEPT + 2);
    expect(out.lastRuns.map((r) => r.figures.i)).toEqual(Array.from({ length: RUNS_KEPT }, (_, k) => k + 3));
  });

  it('keeps the run of a file written before lastRuns, dated by its own field, commit unknown', () => {
    const file = tmpFile();
    fs.writeFileSync(file, JSON.stringify({ at: '2026-12-02T10:07:40.660Z', loadAverage: 6.68, cores: 2, p95: 505, raw: [1] }));
    writeResults(file, { p95: 300 }, { now: new Date('2026-12-02T13:00:00Z'), commit: 'ccccccc', loadAverage: [3] });
    expect(read(file).lastRuns).toEqual([
      { at: '2026-12-02T10:07:40.660Z', commit: null, loadAverage: [6.68], cores: 2, node: '', figures: { at: '2026-12-02T10:07:40.660Z', loadAverage: 6.68, cores: 2, p95: 505 } },
      expect.objectContaining({ at: '2026-12-02T13:00:00.000Z', commit: 'ccccccc', figures: { p95: 300 } }),
    ]);
  });

  it('records the commit of the checkout it runs in, +dirty with changes other than the results, none outside a repository', () => {
    const outside = tmpFile();
    writeResults(outside, { a: 1 });
    expect(read(outside).lastRuns[0].commit).toBeNull();

    const repo = path.dirname(tmpFile());
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
    git('init', '-q');
    fs.writeFileSync(path.join(repo, 'code.ts'), 'one');
    git('add', '.');
    git('-c', 'user.email=b@example.test', '-c', 'user.name=bench', 'commit', '-qm', 'one');
    const head = git('rev-parse', '--short', 'HEAD');
    const file = path.join(repo, 'bench', 'results', 'x.json');
    writeResults(file, { a: 1 });
    // The first results file is itself a change, and does not count.
    writeResults(file, { a: 2 });
    fs.writeFileSync(path.join(repo, 'code.ts'), 'two');
    writeResults(file, { a: 3 });
    expect(read(file).lastRuns.map((r) => r.commit)).toEqual([head, head, `${head}+dirty`]);
  });
});
