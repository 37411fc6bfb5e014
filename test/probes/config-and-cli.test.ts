import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import { startServer } from '../../src/server.js';
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
});
