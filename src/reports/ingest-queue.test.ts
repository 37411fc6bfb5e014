import { describe, expect, it } from 'vitest';
import { MemoryBus } from '../events/bus.js';
import { IngestQueue, type QueuedReport } from './ingest-queue.js';

const report = (i: number): QueuedReport => ({ service: 'x', serviceId: 1, ts: 1_700_000_000_000 + i, problem: 'app', region: 'DE', client: null, fingerprint: `f${i}`, newSource: true });

/** A queue whose commits take `commitMs` and are recorded by size and start time. */
function queue(flushDelayMs: number, commitMs: number): { q: IngestQueue; commits: { size: number; at: number }[] } {
  const commits: { size: number; at: number }[] = [];
  const q = new IngestQueue({
    bus: new MemoryBus(),
    flushDelayMs,
    maxBatchSize: 1_000,
    commit: async (reports) => {
      commits.push({ size: reports.length, at: performance.now() });
      await new Promise((resolve) => setTimeout(resolve, commitMs));
    },
  });
  return { q, commits };
}

describe('IngestQueue group commit', () => {
  it('commits a lone report on a quiet queue at once, not after flushDelayMs', async () => {
    const { q, commits } = queue(5_000, 1);
    const started = performance.now();
    await q.enqueue([report(1)]);
    expect(performance.now() - started).toBeLessThan(2_500);
    expect(commits.map((c) => c.size)).toEqual([1]);
  });

  it('groups reports that arrive while the database rests after a commit, and resolves each caller after its commit', async () => {
    const { q, commits } = queue(5_000, 40);
    await q.enqueue([report(1)]);
    const ended = performance.now();
    // Arriving right after a 40 ms commit: they wait for the rest period (about 80 ms) together.
    const waits = [q.enqueue([report(2)]), q.enqueue([report(3), report(4)])];
    await new Promise((resolve) => setTimeout(resolve, 5));
    waits.push(q.enqueue([report(5)]));
    await Promise.all(waits);
    expect(commits.map((c) => c.size)).toEqual([1, 4]);
    const rest = commits[1].at - ended;
    expect(rest).toBeGreaterThanOrEqual(40);
    expect(rest).toBeLessThan(5_000);
  });
});
