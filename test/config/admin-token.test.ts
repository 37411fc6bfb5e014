import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN_HASH_KEY, ensureAdminToken, fixedAdminToken, LEGACY_PLAIN_KEY, migratePlainAdminToken, rotateAdminToken, StoredAdminToken } from '../../src/config/admin-token.js';
import { loadConfig } from '../../src/config/load.js';
import { startServer } from '../../src/server.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { PG_URL, testDbs } from '../pg.js';
import { runCli } from '../run-cli.js';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('fixedAdminToken', () => {
  it('accepts exactly the token, whatever the length of what is presented', async () => {
    const v = fixedAdminToken('configured-token-0123456789');
    expect(await v.verify('configured-token-0123456789')).toBe(true);
    for (const wrong of ['', 'c', 'configured-token-012345678', 'configured-token-01234567890', 'x'.repeat(10_000), 'configured-token-0123456788']) {
      expect(await v.verify(wrong)).toBe(false);
    }
  });
});

/**
 * The generated admin token on each database: stored only as its hash, made only once the
 * server listens, migrated from the plain text earlier versions stored, rotated by the CLI.
 */
describe.each(testDbs)('the stored admin token on $name', (db) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  /** A database the test and the server (and the CLI) can all open. */
  function place(): { url: string; pgSchema?: string; open: () => Promise<Store> } {
    if (db.name === 'postgres') {
      const pgSchema = `sw_test_${randomBytes(6).toString('hex')}`;
      const open = () => openStore(PG_URL, { pgSchema });
      cleanups.push(async () => {
        const s = await open();
        await s.db.exec(`DROP SCHEMA "${pgSchema}" CASCADE`);
        await s.close();
      });
      // The CLI reaches the same schema through the connection's search_path.
      return { url: `${PG_URL}?options=${encodeURIComponent(`-c search_path=${pgSchema}`)}`, pgSchema, open };
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stormwatch-token-'));
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    const url = `sqlite:${path.join(dir, 'sw.db')}`;
    return { url, open: () => openStore(url) };
  }

  const serverConfig = (url: string, port = 0) =>
    loadConfig({ env: {}, overrides: { 'server.port': port, 'server.host': '127.0.0.1', 'server.logLevel': 'silent', 'database.url': db.name === 'postgres' ? PG_URL : url, 'probes.localAgent': false } });

  it('is created once, stored as its SHA-256 only, and verified against it', async () => {
    const store = await place().open();
    cleanups.push(() => store.close());
    const token = (await ensureAdminToken(store.settings)) as string;
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(await ensureAdminToken(store.settings)).toBeUndefined();
    expect(await store.settings.get(ADMIN_TOKEN_HASH_KEY)).toBe(sha256(token));
    const rows = await store.db.all<{ value: string }>('SELECT value FROM settings');
    expect(rows.some((r) => r.value.includes(token))).toBe(false);
    const verifier = new StoredAdminToken(store.settings);
    expect(await verifier.verify(token)).toBe(true);
    expect(await verifier.verify(`${token}x`)).toBe(false);
    expect(await verifier.verify('')).toBe(false);
  });

  it('moves a plain-text token of an earlier version to its hash, once, keeping it valid', async () => {
    const store = await place().open();
    cleanups.push(() => store.close());
    await store.settings.put(LEGACY_PLAIN_KEY, 'legacy-plain-token-0123456789');
    expect(await migratePlainAdminToken(store.settings)).toBe(true);
    expect(await store.settings.get(LEGACY_PLAIN_KEY)).toBeUndefined();
    expect(await store.settings.get(ADMIN_TOKEN_HASH_KEY)).toBe(sha256('legacy-plain-token-0123456789'));
    expect(await migratePlainAdminToken(store.settings)).toBe(false);
    expect(await new StoredAdminToken(store.settings).verify('legacy-plain-token-0123456789')).toBe(true);
    // Interrupted between the two writes: the next run only removes the plain value.
    await store.settings.put(LEGACY_PLAIN_KEY, 'legacy-plain-token-0123456789');
    expect(await migratePlainAdminToken(store.settings)).toBe(true);
    expect(await store.settings.get(LEGACY_PLAIN_KEY)).toBeUndefined();
    expect(await store.settings.get(ADMIN_TOKEN_HASH_KEY)).toBe(sha256('legacy-plain-token-0123456789'));
  });

  it('re-reads the stored hash after its refresh interval, so a rotation reaches a running verifier', async () => {
    const store = await place().open();
    cleanups.push(() => store.close());
    let now = 0;
    const verifier = new StoredAdminToken(store.settings, 5_000, () => now);
    const first = (await ensureAdminToken(store.settings)) as string;
    expect(await verifier.verify(first)).toBe(true);
    const second = await rotateAdminToken(store.settings);
    now = 4_999;
    expect(await verifier.verify(first)).toBe(true);
    expect(await verifier.verify(second)).toBe(false);
    now = 5_000;
    expect(await verifier.verify(first)).toBe(false);
    expect(await verifier.verify(second)).toBe(true);
  });

  it('at first start on a busy port stores no token; the next start makes and prints one', async () => {
    const where = place();
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => busy.close(() => resolve())));
    const port = (busy.address() as net.AddressInfo).port;

    const announced: string[] = [];
    const failed = await startServer(serverConfig(where.url, port), { announce: (l) => announced.push(l), ...(where.pgSchema ? { pgSchema: where.pgSchema } : {}) }).catch((e: unknown) => e);
    expect((failed as NodeJS.ErrnoException).code).toBe('EADDRINUSE');
    expect(announced.join('\n')).not.toContain('admin token');
    const check = await where.open();
    expect(await check.settings.get(ADMIN_TOKEN_HASH_KEY)).toBeUndefined();
    await check.close();

    const server = await startServer(serverConfig(where.url), { announce: (l) => announced.push(l), ...(where.pgSchema ? { pgSchema: where.pgSchema } : {}) });
    cleanups.push(() => server.close());
    const token = server.generatedAdminToken as string;
    expect(announced.join('\n')).toContain(`generated admin token (shown once; only its hash is stored): ${token}`);
    const created = await fetch(`${server.url}/api/v1/services`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ slug: 'y', name: 'Y', url: 'https://y.example' }),
    });
    expect(created.status).toBe(201);
  }, 60_000);

  it('migrates a plain token at start; `stormwatch token rotate` prints a new one that a running server takes', async () => {
    const where = place();
    const seed = await where.open();
    await seed.settings.put(LEGACY_PLAIN_KEY, 'legacy-plain-token-0123456789');
    await seed.close();
    const announced: string[] = [];
    const server = await startServer(serverConfig(where.url), { announce: (l) => announced.push(l), ...(where.pgSchema ? { pgSchema: where.pgSchema } : {}) });
    cleanups.push(() => server.close());
    expect(server.generatedAdminToken).toBeUndefined();
    expect(announced).toEqual([]);
    expect(await server.store.settings.get(LEGACY_PLAIN_KEY)).toBeUndefined();
    const agents = (token: string) => fetch(`${server.url}/api/v1/agents`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
    expect(await agents('legacy-plain-token-0123456789')).toBe(200);

    const cli = await runCli(['token', 'rotate', '--db', where.url]);
    expect(cli.code, cli.stderr).toBe(0);
    const rotated = cli.stdout.trim();
    expect(rotated).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(cli.stderr).toContain('only its hash');
    expect(await server.store.settings.get(ADMIN_TOKEN_HASH_KEY)).toBe(sha256(rotated));
    // Within the verifier's refresh interval (5 s) the new token works and the old one stops.
    await expect.poll(() => agents(rotated), { timeout: 15_000, interval: 250 }).toBe(200);
    expect(await agents('legacy-plain-token-0123456789')).toBe(401);
  }, 60_000);
});
