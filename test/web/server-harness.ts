import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { startServer, type RunningServer } from '../../src/server.js';
import type { Clock } from '../../src/time/clock.js';

export const ADMIN_TOKEN = 'web-test-admin-token-0123456789';

/** The real server on a fresh SQLite file and a loopback port chosen by the OS. */
export async function startTestServer(clock?: Clock, overrides: Record<string, unknown> = {}): Promise<RunningServer & { dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stormwatch-web-'));
  const config = loadConfig({
    env: {},
    overrides: {
      'server.port': 0,
      'server.host': '127.0.0.1',
      'server.logLevel': 'silent',
      'database.url': `sqlite:${path.join(dir, 'stormwatch.db')}`,
      adminToken: ADMIN_TOKEN,
      ...overrides,
    },
  });
  const server = await startServer(config, clock ? { clock } : {});
  return {
    ...server,
    dir,
    close: async () => {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
