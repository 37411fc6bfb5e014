import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli as stormwatch } from '../run-cli.js';
import { ADMIN_TOKEN, startTestServer } from '../web/server-harness.js';

/**
 * `stormwatch simulate --target` as a user runs it, against the real server on a loopback
 * port: shifted to the server's now by default, idempotent when run twice, progress per day.
 */
describe('stormwatch simulate --target (shifted replay)', { timeout: 120_000 }, () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  const args = ['simulate', '--scenario', 'quiet-week', '--scale', '0.02', '--seed', '4'];
  const total = async (): Promise<{ total: number; last: number }> => {
    const to = Date.now() + 60_000;
    const res = await fetch(`${server.url}/api/v1/services/quiet/reports?from=${new Date(to - 9 * 86_400_000).toISOString()}&to=${new Date(to).toISOString()}&step=1h`);
    const body = (await res.json()) as { total: number; points: { t: string; total: number }[] };
    const last = Math.max(...body.points.filter((p) => p.total > 0).map((p) => Date.parse(p.t)));
    return { total: body.total, last };
  };

  it('lands the week minutes before now, prints each day once, and a second run adds nothing', async () => {
    const first = await stormwatch([...args, '--target', server.url, '--token', ADMIN_TOKEN]);
    expect(first.code, first.stderr).toBe(0);
    const days = first.stderr.split('\n').filter((l) => /^ {2}\d{4}-\d\d-\d\d +[\d,]+ reports +\d+%$/.test(l));
    // Seven days shifted by a non-whole number of days touch eight UTC dates.
    expect(days.length).toBeGreaterThanOrEqual(7);
    expect(days.length).toBeLessThanOrEqual(8);
    expect(days[days.length - 1]).toMatch(/100%$/);
    const sum = days.reduce((a, l) => a + Number(/([\d,]+) reports/.exec(l)?.[1].replace(/,/g, '')), 0);
    const accepted = Number(/imported quiet-week: (\d+)\/(\d+)/.exec(first.stderr)?.[1]);
    expect(sum).toBe(accepted);
    const after1 = await total();
    expect(after1.total).toBe(accepted);
    // The week ends 1 to 16 minutes before the server's now, and nothing lies after that.
    const end = Date.parse(/replayed from \S+ to (\S+)/.exec(first.stderr)?.[1] ?? '');
    expect(Date.now() - end).toBeGreaterThanOrEqual(60_000);
    expect(Date.now() - end).toBeLessThan(17 * 60_000 + 60_000);
    expect(after1.last).toBeLessThan(end);

    // Within the same 15-minute step the second run lands on the same minutes and every batch is
    // already imported; once a step boundary has passed it would land 15 minutes later, so the
    // CLI refuses it (test/scenarios/simulate-rerun.test.ts). Either way nothing counts twice.
    const second = await stormwatch([...args, '--target', server.url, '--token', ADMIN_TOKEN]);
    if (second.code === 0) {
      expect(second.stderr).toMatch(/imported quiet-week: 0\/\d+ reports accepted .*batches were already imported/);
    } else {
      expect(second.stderr).toMatch(/not replayed: service "quiet" already holds a replay of quiet-week/);
    }
    expect((await total()).total).toBe(after1.total);
  });

  it('--at-original-time keeps March 2025; --shift-to-now with it is refused', async () => {
    const r = await stormwatch([...args, '--target', server.url, '--token', ADMIN_TOKEN, '--at-original-time']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^ {2}2025-03-03 /m);
    const both = await stormwatch([...args, '--out', '-', '--at-original-time', '--shift-to-now']);
    expect(both.code).not.toBe(0);
    expect(both.stderr).toMatch(/not both/);
  });
});
