import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { startServer } from '../../src/server.js';
import { openStore } from '../../src/store/open.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stormwatch-e2e-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('server end to end on a real port', () => {
  it('generates the admin token once (after listening), upserts config services, takes reports over HTTP', async () => {
    const db = `sqlite:${path.join(tempDir(), 'sw.db')}`;
    const config = loadConfig({
      env: {},
      overrides: { 'server.port': 0, 'server.host': '127.0.0.1', 'server.logLevel': 'silent', 'database.url': db, 'probes.localAgent': false, services: [{ slug: 'x', name: 'X', url: 'https://x.com' }] },
    });
    const announced: string[] = [];
    const first = await startServer(config, { announce: (l) => announced.push(l) });
    const token = first.generatedAdminToken as string;
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(announced.join('\n')).toContain(token);
    const res = await fetch(`${first.url}/api/v1/services/x/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ problem: 'login', region: 'DE' }) });
    expect(res.status).toBe(202);
    const created = await fetch(`${first.url}/api/v1/services`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ slug: 'y', name: 'Y', url: 'https://y.com' }) });
    expect(created.status).toBe(201);
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    await first.close();

    const again: string[] = [];
    const second = await startServer(config, { announce: (l) => again.push(l) });
    expect(second.generatedAdminToken).toBeUndefined();
    expect(again).toEqual([]);
    const patched = await fetch(`${second.url}/api/v1/services/y`, { method: 'PATCH', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ name: 'Y2' }) });
    expect(patched.status).toBe(200);
    // The reporter is remembered across the restart: dedupe was re-seeded from the database.
    const dup = await fetch(`${second.url}/api/v1/services/x/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ problem: 'app' }) });
    expect(dup.status).toBe(202);
    expect(await dup.json()).toEqual({ accepted: false, reason: 'duplicate' });
    const services = (await (await fetch(`${second.url}/api/v1/services`)).json()) as { services: { slug: string }[] };
    expect(services.services.map((s) => s.slug)).toEqual(['x', 'y']);
    await second.close();
  });

  it('on SIGTERM stops accepting, commits every acknowledged report and exits 0', async () => {
    const file = path.join(tempDir(), 'sw.db');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli/main.ts'), 'serve', '--port', '0', '--host', '127.0.0.1', '--db', `sqlite:${file}`], {
      cwd: ROOT,
      env: { ...process.env, STORMWATCH_ADMIN_TOKEN: 'e2e-admin-token-0123456789', STORMWATCH_TRUST_PROXY: '127.0.0.1', STORMWATCH_LOG_LEVEL: 'silent', STORMWATCH_PROBES__LOCAL_AGENT: 'false', STORMWATCH_REPORTS__FLUSH_DELAY_MS: '50' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // Keep reading stdout to the end: a closed pipe would fail the child's later writes.
    const url = await new Promise<string>((resolve) => {
      readline.createInterface({ input: child.stdout }).on('line', (line) => {
        const m = /listening on (http:\/\/\S+)/.exec(line);
        if (m) resolve(m[1]);
      });
      void exited.then(() => resolve(''));
    });
    expect(url).not.toBe('');
    const created = await fetch(`${url}/api/v1/services`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer e2e-admin-token-0123456789' }, body: JSON.stringify({ slug: 'x', name: 'X', url: 'https://x.com' }) });
    expect(created.status).toBe(201);

    let firstAck: () => void = () => undefined;
    const acked = new Promise<void>((resolve) => (firstAck = resolve));
    const inFlight = Array.from({ length: 300 }, (_, i) =>
      fetch(`${url}/api/v1/services/x/reports`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': `11.${i >> 8}.${i & 255}.1` }, body: JSON.stringify({ problem: 'app' }) }).then(
        (r) => {
          if (r.status === 202) firstAck();
          return r.status;
        },
        () => 0,
      ),
    );
    // Shut down while later reports still wait in the group-commit queue.
    await acked;
    child.kill('SIGTERM');
    const statuses = await Promise.all(inFlight);
    expect(await exited).toBe(0);
    const acknowledged = statuses.filter((s) => s === 202).length;
    expect(acknowledged).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 202 || s === 503 || s === 0)).toBe(true);

    const store = await openStore(`sqlite:${file}`);
    expect(await store.reports.countRaw()).toBe(acknowledged);
    const rolled = await store.db.get<{ n: number }>('SELECT SUM(count) AS n FROM report_minutes');
    expect(Number(rolled?.n)).toBe(acknowledged);
    await store.close();
  }, 90_000);
});
