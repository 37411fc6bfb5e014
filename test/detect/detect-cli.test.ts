import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli as stormwatch } from '../run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'stormwatch-detect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));



/** Ten days of per-minute report counts with a daily cycle and a two-hour outage on day 9. */
function series(): { csv: string; outageStart: number; rows: number } {
  let seed = 42;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const start = Date.UTC(2025, 2, 1);
  const lines = ['timestamp,value'];
  const outageStart = 8 * 1440 + 14 * 60;
  for (let i = 0; i < 10 * 1440; i++) {
    const t = start + i * 60_000;
    const hour = (i % 1440) / 60;
    let mean = 3 + 20 * Math.max(0, Math.sin(((hour - 6) / 24) * 2 * Math.PI));
    if (i >= outageStart && i < outageStart + 120) mean *= 15;
    const value = Math.max(0, Math.round(mean + Math.sqrt(mean) * (rand() + rand() + rand() - 1.5) * 2));
    const iso = new Date(t).toISOString();
    lines.push(`${iso.slice(0, 10)} ${iso.slice(11, 19)},${value}`);
  }
  return { csv: `${lines.join('\n')}\n`, outageStart, rows: 10 * 1440 };
}

describe('stormwatch detect', () => {
  const s = series();
  const file = join(dir, 'series.csv');
  writeFileSync(file, s.csv);

  it('writes timestamp,value,anomaly_score,label for every row and labels the outage once, at its onset', async () => {
    const run = await stormwatch(['detect', '--input', file]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('timestamp,value,anomaly_score,label');
    expect(lines).toHaveLength(s.rows + 1);
    const rows = lines.slice(1).map((l) => l.split(','));
    const input = s.csv.trimEnd().split('\n').slice(1).map((l) => l.split(','));
    rows.forEach((r, i) => {
      expect(r).toHaveLength(4);
      expect(r[0]).toBe(input[i][0]);
      expect(Number(r[1])).toBe(Number(input[i][1]));
      const score = Number(r[2]);
      expect(score >= 0 && score <= 1).toBe(true);
      expect(['0', '1']).toContain(r[3]);
    });
    const flagged = rows.flatMap((r, i) => (i >= s.outageStart && i < s.outageStart + 120 && r[3] === '1' ? [i] : []));
    expect(flagged).toHaveLength(1);
    expect(flagged[0] - s.outageStart).toBeGreaterThanOrEqual(0);
    expect(flagged[0] - s.outageStart).toBeLessThan(3);
    // Outside the outage (after the first day of learning) alarms are rare.
    const falseAlarms = rows.filter((r, i) => i > 1440 && (i < s.outageStart || i > s.outageStart + 240) && r[3] === '1').length;
    expect(falseAlarms).toBeLessThan(10);
  });

  it('reads stdin with - and writes NAB or ISO timestamps on request', async () => {
    const head = s.csv.split('\n').slice(0, 50).join('\n');
    const nab = await stormwatch(['detect', '-i', '-', '--format', 'iso'], head);
    expect(nab.code).toBe(0);
    const second = nab.stdout.split('\n')[2];
    expect(second.startsWith('2025-03-01T00:01:00.000Z,')).toBe(true);
  });

  it('takes epoch milliseconds and writes one JSON line per alarm with --alarm-only --json', async () => {
    const epoch = s.csv
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((l) => {
        const [ts, v] = l.split(',');
        return `${Date.parse(`${ts.replace(' ', 'T')}Z`)},${v}`;
      })
      .join('\n');
    const run = await stormwatch(['detect', '-i', '-', '--alarm-only', '--json', '--format', 'iso'], epoch);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const alarms = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { start: string; end: string; peak: string; points: number; open: boolean });
    const outage = alarms.find((a) => Date.parse(a.start) >= Date.UTC(2025, 2, 1) + s.outageStart * 60_000);
    expect(outage).toBeDefined();
    expect(Date.parse(outage?.start ?? '') - (Date.UTC(2025, 2, 1) + s.outageStart * 60_000)).toBeLessThan(3 * 60_000);
    expect(outage?.points).toBeGreaterThan(60);
    expect(outage?.points).toBeLessThanOrEqual(121);
  });

  it('scores a file whose clock repeats an hour, with one warning naming the lines', async () => {
    const lines = s.csv.trimEnd().split('\n');
    // Rows 300..359 written again after row 359, as a clock set back by an hour would.
    const repeated = [...lines.slice(0, 361), ...lines.slice(301, 361), ...lines.slice(361, 600)];
    const run = await stormwatch(['detect', '-i', '-'], `${repeated.join('\n')}\n`);
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split('\n')).toHaveLength(repeated.length);
    expect(run.stderr).toBe(
      'stormwatch: warning: lines 362–421: 60 rows step back in time (up to 59 min, 1 repeated); scored as arriving at 2025-03-01T05:59:00.000Z\n' +
        'stormwatch: warning: 60 rows out of time order, each scored at the latest time before it (docs/detection.md)\n',
    );
  });

  it('learns for --learn rows before resonance novelty scores, and refuses a count that is not one', async () => {
    // Sixteen days of an hourly daily cycle that goes flat for 12 hours on day 12: a shape the
    // onset score does not see, in a file shorter than the default learning period (750 rows).
    const lines = ['timestamp,value'];
    for (let i = 0; i < 16 * 24; i++) {
      const cycle = 100 + 40 * Math.sin((2 * Math.PI * i) / 24) + ((i * 37) % 11);
      const v = i >= 12 * 24 && i < 12 * 24 + 12 ? 100 : cycle;
      lines.push(`${new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString()},${v.toFixed(1)}`);
    }
    const csv = `${lines.join('\n')}\n`;
    const scored = async (args: string[]): Promise<number[]> => {
      const run = await stormwatch(['detect', '-i', '-', ...args], csv);
      expect(run.code).toBe(0);
      return run.stdout.trimEnd().split('\n').slice(1).map((l) => Number(l.split(',')[2]));
    };
    const flat = (scores: number[]): number => Math.max(...scores.slice(12 * 24, 12 * 24 + 18));
    expect(flat(await scored([]))).toBe(0);
    // Within the values of the last week, so at half weight (recent-range.ts): 0.70 × 0.5.
    expect(flat(await scored(['--learn', '72']))).toBeGreaterThan(0.3);
    for (const bad of ['0', '1.5', 'many']) {
      const run = await stormwatch(['detect', '-i', '-', '--learn', bad], csv);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/--learn.*expected a whole number of rows/);
    }
    // Five runs of the CLI: on a loaded 2-core machine that takes longer than one test's default.
  }, 120_000);

  it('fails with a message naming the bad line, not a stack trace', async () => {
    const bad = 'timestamp,value\n2025-01-01 00:00:00,1\n2025-01-01 00:01:00,lots\n';
    const run = await stormwatch(['detect', '-i', '-'], bad);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe('stormwatch: line 3: invalid value "lots" (expected a number)');
    const missing = await stormwatch(['detect', '-i', join(dir, 'missing.csv')]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/^stormwatch: cannot read .*missing\.csv/);
  });
});
