import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import { startServer } from '../../src/server.js';
import { spawnAgent } from './agent-process.js';
import { startTargets } from './targets.js';

const ADMIN = 'cli-admin-token-0123456789';

function writeConfig(yaml: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sw-cfg-')), 'stormwatch.yaml');
  fs.writeFileSync(file, yaml);
  return file;
}

describe('checks in the YAML config', () => {
  it('names the bad key for schema errors', () => {
    const file = writeConfig('checks:\n  - name: web\n    type: http\n    target: http://127.0.0.1/\n    interval: often\n');
    expect(() => loadConfig({ file, env: {} })).toThrow(ConfigError);
    expect(() => loadConfig({ file, env: {} })).toThrow(/checks\[0\]\.interval/);
  });

  it('refuses a bad condition at start, naming the check and the condition', async () => {
    const file = writeConfig(
      `adminToken: ${ADMIN}\ndatabase:\n  url: "sqlite::memory:"\nserver:\n  port: 0\n  host: 127.0.0.1\n  logLevel: silent\nchecks:\n  - name: web\n    type: http\n    target: http://127.0.0.1/\n    conditions: ["status == 200", "body has ok"]\n`,
    );
    const err = await startServer(loadConfig({ file, env: {} })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).key).toBe('checks[0].conditions.1');
    expect((err as Error).message).toMatch(/expected an operator/);
  });
});

describe('config checks with names that map to one id', () => {
  it('are refused with the key at fault', async () => {
    const file = writeConfig(
      `adminToken: ${ADMIN}\ndatabase:\n  url: "sqlite::memory:"\nserver:\n  port: 0\n  host: 127.0.0.1\n  logLevel: silent\nchecks:\n  - { name: "Shop home", type: tcp, target: "127.0.0.1:1" }\n  - { name: "shop-home", type: tcp, target: "127.0.0.1:2" }\n`,
    );
    const err = await startServer(loadConfig({ file, env: {} })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).key).toBe('checks[1].name');
  });
});

describe('stormwatch agent (the CLI, as a separate process)', () => {
  it('runs its assignments, pushes results and flushes everything on SIGTERM', async () => {
    const targets = await startTargets();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-cli-'));
    const server = await startServer(
      loadConfig({
        env: {},
        overrides: { 'server.port': 0, 'server.host': '127.0.0.1', 'server.logLevel': 'silent', 'database.url': `sqlite:${path.join(dir, 'db.sqlite')}`, adminToken: ADMIN, probes: { localAgent: false } },
      }),
    );
    const headers = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
    await fetch(`${server.url}/api/v1/checks`, { method: 'POST', headers, body: JSON.stringify({ name: 'up', type: 'http', target: targets.up, interval: '200ms' }) });
    const { token } = (await (await fetch(`${server.url}/api/v1/agents`, { method: 'POST', headers, body: JSON.stringify({ name: 'cli' }) })).json()) as { token: string };

    const cli = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'agent', '--server', server.url, '--token', token, '--location', 'Frankfurt, DE', '--spool', path.join(dir, 'spool'), '--concurrency', '4'], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    cli.stdout.on('data', (c: Buffer) => (out += c.toString()));
    cli.stderr.on('data', (c: Buffer) => (out += c.toString()));
    for (let i = 0; i < 400 && !out.includes('running'); i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1500));
    const exited = new Promise<number | null>((resolve) => cli.once('exit', resolve));
    cli.kill('SIGTERM');
    expect(await exited).toBe(0);
    const matrix = (await (await fetch(`${server.url}/api/v1/checks/cfg-none/matrix`)).json()) as { error: string };
    expect(matrix.error).toBe('not_found');
    const stored = await server.store.probes.countResults();
    const [check] = await server.store.probes.listChecks();
    const latest = await server.store.probes.latestByLocation(check.id, 1);
    await server.close();
    await targets.close();
    expect(out).toContain('stormwatch agent "Frankfurt, DE" running 1 checks');
    expect(stored).toBeGreaterThan(3);
    expect(latest.get('Frankfurt, DE')?.[0]).toMatchObject({ ok: true, errorClass: 'ok' });
    expect(fs.readdirSync(path.join(dir, 'spool')).filter((f) => f.endsWith('.ndjson'))).toEqual([]);
  }, 90_000);

  it('a refused token exits non-zero with a clear message; the location may come from the server, and a mismatch is said', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-cli-auth-'));
    const server = await startServer(
      loadConfig({
        env: {},
        overrides: { 'server.port': 0, 'server.host': '127.0.0.1', 'server.logLevel': 'silent', 'database.url': `sqlite:${path.join(dir, 'db.sqlite')}`, adminToken: ADMIN, probes: { localAgent: false } },
      }),
    );
    const headers = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
    try {
      // A wrong token: exit code 2 and the reason, before anything runs.
      const wrong = spawnAgent(['--server', server.url, '--token', 'swa_not-a-token', '--location', 'Oslo, NO', '--spool', path.join(dir, 'spool-wrong')]);
      expect(await wrong.exited).toBe(2);
      expect(wrong.output()).toContain("the server refused this agent's token (401) on assignments: it was revoked or is wrong; create a new one with POST /api/v1/agents");

      // Pinned by the server: no --location needed; a different --location is said to lose.
      await fetch(`${server.url}/api/v1/checks`, { method: 'POST', headers, body: JSON.stringify({ name: 'soon', type: 'tcp', target: '127.0.0.1:9', interval: '200ms' }) });
      const created = (await (await fetch(`${server.url}/api/v1/agents`, { method: 'POST', headers, body: JSON.stringify({ name: 'pinned', location: 'Tokyo, JP' }) })).json()) as { agent: { id: string }; token: string };
      const pinned = spawnAgent(['--server', server.url, '--token', created.token, '--spool', path.join(dir, 'spool-pinned')]);
      const mismatched = spawnAgent(['--server', server.url, '--token', created.token, '--location', 'Paris, FR', '--spool', path.join(dir, 'spool-mismatch')]);
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && !(pinned.output().includes('running') && mismatched.output().includes('running'))) await new Promise((r) => setTimeout(r, 100));
      expect(pinned.output()).toContain('stormwatch agent "Tokyo, JP" running 1 checks');
      expect(mismatched.output()).toContain('location mismatch: --location "Paris, FR" but the server pinned this agent to "Tokyo, JP"; results are filed under "Tokyo, JP"');
      expect(await mismatched.stop()).toBe(0);

      // Revoked while running: its next push is refused, it keeps the results on disk and exits 2.
      await fetch(`${server.url}/api/v1/agents/${created.agent.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${ADMIN}` } });
      expect(await pinned.exited).toBe(2);
      expect(pinned.output()).toContain("the server refused this agent's token (401) on results");
      expect(pinned.output()).toContain(`unsent results stay in ${path.join(dir, 'spool-pinned')}`);
      expect(fs.readdirSync(path.join(dir, 'spool-pinned')).some((f) => f.endsWith('.ndjson'))).toBe(true);

      // No location anywhere: a clear error too.
      const unpinned = (await (await fetch(`${server.url}/api/v1/agents`, { method: 'POST', headers, body: JSON.stringify({ name: 'nowhere' }) })).json()) as { token: string };
      const nowhere = spawnAgent(['--server', server.url, '--token', unpinned.token, '--spool', path.join(dir, 'spool-nowhere')]);
      expect(await nowhere.exited).toBe(2);
      expect(nowhere.output()).toContain('the server has no location for this agent: pass --location');
    } finally {
      await server.close();
    }
  }, 120_000);
});
