import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Check, CheckDefinition } from '../../src/probes/check.js';
import { DueQueue } from '../../src/probes/due-queue.js';
import { ProberRegistry, type Prober } from '../../src/probes/prober.js';
import type { ProbeOutcome, ProbeResult } from '../../src/probes/result.js';
import { Scheduler } from '../../src/probes/scheduler.js';
import { Spool } from '../../src/probes/spool.js';
import { systemClock } from '../../src/time/clock.js';
import fc from 'fast-check';

/** A prober that takes a fixed time and counts how many run at once. */
class TimedProber implements Prober {
  readonly type = 'tcp' as const;
  readonly defaultConditions = ['connected == true'];
  inFlight = 0;
  maxInFlight = 0;
  runsById = new Map<string, number>();
  overlaps = 0;
  private running = new Set<string>();
  constructor(private readonly ms: number) {}
  validate(): void {}
  async probe(check: Check): Promise<ProbeOutcome> {
    if (this.running.has(check.id)) this.overlaps++;
    this.running.add(check.id);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.runsById.set(check.id, (this.runsById.get(check.id) ?? 0) + 1);
    await new Promise((r) => setTimeout(r, this.ms));
    this.inFlight--;
    this.running.delete(check.id);
    return { observation: { connected: true, responseTimeMs: this.ms } };
  }
}

const checks = (n: number, interval: string): Check[] =>
  Array.from({ length: n }, (_, i): Check => ({
    id: `c${i}`, name: `c${i}`, type: 'tcp', target: 'x:1', interval, timeout: '1s', conditions: [], locations: [], enabled: true,
  } satisfies CheckDefinition & { id: string }));

describe('scheduler', () => {
  it('bounds concurrency, never overlaps a check with itself, keeps every check running', async () => {
    const prober = new TimedProber(30);
    const results: ProbeResult[] = [];
    const s = new Scheduler({ registry: new ProberRegistry([prober]), clock: systemClock, location: 'x', concurrency: 5, onResult: (r) => results.push(r) });
    s.setChecks(checks(20, '50ms'));
    s.start();
    await new Promise((r) => setTimeout(r, 600));
    await s.stop();
    expect(prober.maxInFlight).toBeLessThanOrEqual(5);
    expect(prober.maxInFlight).toBe(5);
    expect(prober.overlaps).toBe(0);
    expect(prober.runsById.size).toBe(20);
    expect(results.every((r) => r.ok && r.location === 'x')).toBe(true);
    expect(s.completed).toBe(results.length);
  });

  it('spreads first runs over the interval instead of firing all at once', async () => {
    const prober = new TimedProber(1);
    const starts: number[] = [];
    const t0 = performance.now();
    const s = new Scheduler({ registry: new ProberRegistry([prober]), clock: systemClock, location: 'x', concurrency: 100, onResult: () => starts.push(performance.now() - t0) });
    s.setChecks(checks(50, '400ms'));
    s.start();
    await new Promise((r) => setTimeout(r, 390));
    await s.stop();
    const early = starts.filter((t) => t < 100).length;
    expect(starts.length).toBeGreaterThan(30);
    expect(early).toBeLessThan(30);
    expect(s.driftPercentiles().p99).toBeLessThan(100);
  });

  it('drops a removed check and reschedules a changed one', async () => {
    const prober = new TimedProber(1);
    const s = new Scheduler({ registry: new ProberRegistry([prober]), clock: systemClock, location: 'x', concurrency: 4, onResult: () => undefined });
    const [a, b] = checks(2, '50ms');
    s.setChecks([a, b]);
    s.start();
    await new Promise((r) => setTimeout(r, 150));
    s.setChecks([{ ...a, interval: '60s' }]);
    const before = { a: prober.runsById.get('c0') ?? 0, b: prober.runsById.get('c1') ?? 0 };
    await new Promise((r) => setTimeout(r, 300));
    await s.stop();
    expect(s.checkCount).toBe(1);
    expect(prober.runsById.get('c1')).toBe(before.b);
    expect(prober.runsById.get('c0')! - before.a).toBeLessThanOrEqual(1);
  });

  it('keeps running a check that was changed while its probe was in flight', async () => {
    const prober = new TimedProber(80);
    const s = new Scheduler({ registry: new ProberRegistry([prober]), clock: systemClock, location: 'x', concurrency: 4, onResult: () => undefined, random: () => 0 });
    const [a] = checks(1, '100ms');
    s.setChecks([a]);
    s.start();
    await new Promise((r) => setTimeout(r, 30)); // first run is in flight now
    s.setChecks([{ ...a, interval: '120ms' }]);
    const before = prober.runsById.get('c0') ?? 0;
    await new Promise((r) => setTimeout(r, 600));
    await s.stop();
    expect(prober.overlaps).toBe(0);
    expect(prober.runsById.get('c0')! - before).toBeGreaterThanOrEqual(3);
  });

  it('due queue pops in time order (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1e6 })), (dues) => {
        const q = new DueQueue<number>();
        dues.forEach((d, i) => q.push(d, i));
        const out: number[] = [];
        for (let x = q.pop(); x; x = q.pop()) out.push(x.due);
        expect(out).toEqual([...dues].sort((a, b) => a - b));
      }),
    );
  });
});

describe('spool', () => {
  const result = (id: string): ProbeResult => ({ id, checkId: 'c', location: 'l', at: 1, ok: true, errorClass: 'ok', latencyMs: 1, detail: 'ok' });

  it('keeps results until a drain succeeds, and skips a line cut short by a crash', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-spool-test-'));
    const spool = new Spool(dir);
    await spool.init();
    await spool.append([result('a'), result('b')]);
    fs.appendFileSync(path.join(dir, 'current.ndjson'), '{"id":"half'); // a crash mid-append
    const restarted = new Spool(dir);
    await restarted.init();
    await restarted.append([result('c')]);
    expect(await spool.pendingCount()).toBe(3);
    await expect(spool.drain(async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    await spool.append([result('d')]);
    const sent: string[] = [];
    expect(await spool.drain(async (batch) => void sent.push(...batch.map((r) => r.id)), 1)).toBe(4);
    expect(sent.sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(await spool.pendingCount()).toBe(0);
  });
});
