import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli as stormwatch } from '../run-cli.js';
import type { BatchReport } from '../../src/simulate/expand-reports.js';
import { spam } from '../../src/simulate/spam.js';
import { writeScenarioNdjson } from '../../src/simulate/write-ndjson.js';

const dir = mkdtempSync(join(tmpdir(), 'stormwatch-simulate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));


// Each case spawns the CLI, which takes seconds on a busy two-core machine.
describe('stormwatch simulate', { timeout: 90_000 }, () => {
  it('--list names every scenario with its service', async () => {
    const r = await stormwatch(['simulate', '--list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^x-outage-2025-03-10\s+service "x"/m);
    expect(r.stdout).toMatch(/^quiet-week\s/m);
    expect(r.stdout).toMatch(/^spam\s/m);
  });

  it('--out writes the batch endpoint NDJSON in event-time order, reproducibly', async () => {
    const a = join(dir, 'a.ndjson');
    const b = join(dir, 'b.ndjson');
    expect((await stormwatch(['simulate', '--scenario', 'spam', '--scale', '0.02', '--seed', '5', '--out', a])).code).toBe(0);
    await writeScenarioNdjson(spam, { scale: 0.02, seed: 5 }, b);
    const text = readFileSync(a, 'utf8');
    expect(readFileSync(b, 'utf8')).toBe(text);
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as BatchReport);
    expect(lines.length).toBeGreaterThan(1000);
    expect(lines.every((l, i) => i === 0 || l.ts >= lines[i - 1].ts)).toBe(true);
    expect(lines.every((l) => l.service === 'spam' && /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/.test(l.region))).toBe(true);
    expect(new Set(lines.filter((l) => l.reporter).map((l) => l.reporter)).size).toBe(5);
  });

  it.each([
    [['simulate', '--scenario', 'nope', '--out', '-'], /unknown scenario "nope"/],
    [['simulate', '--scenario', 'spam', '--target', 'http://127.0.0.1:9'], /--token/],
  ])('%j fails with a clear message', async (args, message) => {
    const r = await stormwatch(args);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(message);
  });
});
