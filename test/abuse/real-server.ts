import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { startServer, type RunningServer } from '../../src/server.js';

export const ABUSE_ADMIN = 'abuse-admin-token-0123456789';

export interface RealServer {
  server: RunningServer;
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The production server (`startServer` with a loaded config) on a loopback port, on a SQLite
 * file of its own: what these tests attack is the HTTP layer, the same on every database.
 * `overrides` are config keys (`server.requestTimeoutMs`, ...).
 */
export async function realServer(overrides: Record<string, unknown> = {}): Promise<RealServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stormwatch-abuse-'));
  const config = loadConfig({
    env: {},
    overrides: {
      'server.port': 0,
      'server.host': '127.0.0.1',
      'server.logLevel': 'silent',
      'database.url': `sqlite:${path.join(dir, 'sw.db')}`,
      'probes.localAgent': false,
      adminToken: ABUSE_ADMIN,
      services: [{ slug: 'x', name: 'X', url: 'https://x.example' }],
      ...overrides,
    },
  });
  const server = await startServer(config);
  const port = Number(new URL(server.url).port);
  return {
    server,
    url: server.url,
    port,
    async close() {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
