import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importScenario } from '../../src/simulate/import-reports.js';
import { placeScenario, shiftToNow } from '../../src/simulate/placement.js';
import { quietWeek } from '../../src/simulate/quiet-week.js';
import type { Store } from '../../src/store/store.js';
import { testDbs } from '../pg.js';
import { runCli as stormwatch } from '../run-cli.js';
import { ADMIN, liveServer, type LiveServer } from './live-server.js';

/**
 * `stormwatch simulate --target` run again later (issue 10): the shift to now moves by a
 * 15-minute step, so its batches differ from the first run's and their Idempotency-Keys no
 * longer match. The server holds a record of each replay and refuses one whose minutes
 * overlap an earlier one's, before any report is sent, unless `--append` asks for it.
 * The real CLI against the real server on loopback, with the server's clock moved.
 */
describe('stormwatch simulate --target, run again in a later 15-minute step', { timeout: 180_000 }, () => {
  const tdb = testDbs[0];
  let store: Store;
  let server: LiveServer;
  const start = Date.parse('2026-06-01T10:07:00Z');
  beforeAll(async () => {
    store = await tdb.open();
    server = await liveServer(store, start);
  });
  afterAll(async () => {
    await server?.close();
    await tdb.cleanup(store);
  });

  const run = (...more: string[]) => stormwatch(['simulate', '--scenario', 'quiet-week', '--scale', '0.02', '--seed', '4', '--target', server.url, '--token', ADMIN, ...more]);
  const total = async (): Promise<number> => {
    const res = await fetch(`${server.url}/api/v1/services/quiet/reports?from=${start - 30 * 86_400_000}&to=${start + 86_400_000}&step=1h`);
    return ((await res.json()) as { total: number }).total;
  };
  const replays = async () => ((await (await fetch(`${server.url}/api/v1/services/quiet/replays`, { headers: { authorization: `Bearer ${ADMIN}` } })).json()) as { replays: { from: number; to: number; append: boolean }[] }).replays;

  it('refuses with a clear message and sends nothing; --append adds it on purpose', async () => {
    // The first replay as the CLI makes it (in process, to keep the test short).
    const placed = placeScenario(quietWeek, shiftToNow(quietWeek, start));
    const first = await importScenario(placed, { target: server.url, token: ADMIN, scale: 0.02, seed: 4 });
    const accepted = first.accepted;
    expect(accepted).toBeGreaterThan(1_000);
    expect(await total()).toBe(accepted);
    expect(await replays()).toHaveLength(1);

    server.clock.set(start + 15 * 60_000);
    const later = await run();
    expect(later.code).toBe(1);
    expect(later.stderr).toMatch(/not replayed: service "quiet" already holds a replay of quiet-week \(recorded 2026-06-01T10:07Z, .+\); this one \(.+\) shares minutes with it, so every report there would count twice/);
    expect(later.stderr).toMatch(/Nothing was sent\..*--append/s);
    expect(later.stderr).not.toMatch(/reports +\d+%/);
    expect(await total()).toBe(accepted);
    expect(await replays()).toHaveLength(1);

    const appended = await run('--append');
    expect(appended.code, appended.stderr).toBe(0);
    const more = Number(/imported quiet-week: (\d+)\//.exec(appended.stderr)?.[1]);
    expect(more).toBeGreaterThan(1_000);
    expect(await total()).toBe(accepted + more);
    expect((await replays()).map((r) => r.append)).toEqual([false, true]);
  });
});
