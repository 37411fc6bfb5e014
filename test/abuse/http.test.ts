import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { realServer, type RealServer } from './real-server.js';

/**
 * Issue 15's attacks on the HTTP layer, against the production server on loopback, each
 * client on its own address of 127.0.0.0/8. SQLite only: nothing here touches the database
 * beyond what every other suite covers on both.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');

let running: RealServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(overrides: Record<string, unknown> = {}): Promise<RealServer> {
  running = await realServer(overrides);
  return running;
}

/** A raw connection from `from` that sends a request's headers, then its body one byte every `everyMs`. */
function slowBody(port: number, from: string, everyMs: number): { closed: Promise<{ afterMs: number; answer: string }>; stop(): void } {
  const started = Date.now();
  const socket = net.connect({ port, host: '127.0.0.1', localAddress: from });
  let answer = '';
  let timer: NodeJS.Timeout | undefined;
  socket.on('connect', () => {
    socket.write('POST /api/v1/services/x/reports HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n{');
    timer = setInterval(() => socket.write(' '), everyMs);
  });
  socket.on('data', (d: Buffer) => (answer += d.toString('latin1')));
  socket.on('error', () => undefined);
  const closed = new Promise<{ afterMs: number; answer: string }>((resolve) =>
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ afterMs: Date.now() - started, answer });
    }),
  );
  return { closed, stop: () => socket.destroy() };
}

async function healthz(port: number, from: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/healthz', localAddress: from, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

async function metric(url: string, line: RegExp): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(line.exec(text)?.[1] ?? 0);
}

describe('live event streams', () => {
  it('10,000 streams asked from one address: the first 32 open, every other is refused 429; other addresses still get theirs', async () => {
    const s = await start();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 48, localAddress: '127.0.0.5' });
    let open = 0;
    let refused = 0;
    const one = (): Promise<void> =>
      new Promise((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port: s.port, path: '/api/v1/events', agent }, (res) => {
            if (res.statusCode === 200) {
              open++;
              return resolve(); // the stream stays open, holding its socket
            }
            expect(res.statusCode).toBe(429);
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (d: string) => (body += d));
            res.on('end', () => {
              expect(JSON.parse(body)).toMatchObject({ error: 'rate_limited', message: 'at most 32 live event streams per client address' });
              refused++;
              resolve();
            });
          })
          .on('error', reject);
      });
    const pending: Promise<void>[] = [];
    for (let i = 0; i < 10_000; i++) pending.push(one());
    await Promise.all(pending);
    expect(open).toBe(32);
    expect(refused).toBe(9_968);
    expect(await metric(s.url, /stormwatch_event_streams_refused_total\{reason="address"\} (\d+)/)).toBe(9_968);
    expect(await metric(s.url, /^stormwatch_event_streams (\d+)/m)).toBe(32);
    // Someone else is not locked out.
    const other = await new Promise<number>((resolve) => {
      const req = http.get({ host: '127.0.0.1', port: s.port, path: '/api/v1/events', localAddress: '127.0.0.6', agent: false }, (res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
    });
    expect(other).toBe(200);
    agent.destroy();
  }, 120_000);

  it('HEAD /api/v1/events answers its headers at once', async () => {
    const s = await start();
    const res = await fetch(`${s.url}/api/v1/events`, { method: 'HEAD', signal: AbortSignal.timeout(5_000) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  });
});

describe('slow clients and connection floods', () => {
  it('slow bodies (a byte every 200 ms) are cut off by the request timeout; /healthz answers meanwhile', async () => {
    const s = await start({ 'server.requestTimeoutMs': 1_500 });
    const slow = Array.from({ length: 50 }, (_, i) => slowBody(s.port, `127.0.1.${1 + (i % 10)}`, 200));
    expect(await healthz(s.port, '127.0.2.1')).toBe(200);
    const results = await Promise.all(slow.map((c) => c.closed));
    for (const r of results) {
      // Cut at 1.5 s, checked every 375 ms; a loaded machine may add a little.
      expect(r.afterMs).toBeGreaterThanOrEqual(1_400);
      expect(r.afterMs).toBeLessThan(10_000);
      expect(r.answer).toMatch(/^HTTP\/1\.1 408 /);
    }
  });

  it('one address holds at most maxConnectionsPerAddress connections; the rest are closed at once, others still get in', async () => {
    const s = await start({ 'server.maxConnectionsPerAddress': 100 });
    const sockets = Array.from({ length: 150 }, () => net.connect({ port: s.port, host: '127.0.0.1', localAddress: '127.0.3.1' }));
    const closedEarly = sockets.map((sock) => new Promise<boolean>((resolve) => {
      sock.on('error', () => undefined);
      sock.on('close', () => resolve(true));
      setTimeout(() => resolve(false), 1_500);
    }));
    const closed = (await Promise.all(closedEarly)).filter(Boolean).length;
    expect(closed).toBe(50);
    expect(await healthz(s.port, '127.0.3.2')).toBe(200);
    expect(await metric(s.url, /^stormwatch_http_connections_refused_total (\d+)/m)).toBe(50);
    for (const sock of sockets) sock.destroy();
  });
});

describe('shutdown', () => {
  it('SIGTERM exits within shutdownTimeoutMs although a slow client still sends its body', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stormwatch-abuse-'));
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli/main.ts'), 'serve', '--port', '0', '--host', '127.0.0.1', '--db', `sqlite:${path.join(dir, 'sw.db')}`], {
      cwd: ROOT,
      env: {
        ...process.env,
        STORMWATCH_ADMIN_TOKEN: 'abuse-admin-token-0123456789',
        STORMWATCH_LOG_LEVEL: 'silent',
        STORMWATCH_PROBES__LOCAL_AGENT: 'false',
        STORMWATCH_SERVER__SHUTDOWN_TIMEOUT_MS: '1000',
        STORMWATCH_SERVER__REQUEST_TIMEOUT_MS: '120000',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve) => {
      readline.createInterface({ input: child.stdout }).on('line', (line) => {
        const m = /listening on (http:\/\/\S+)/.exec(line);
        if (m) resolve(m[1]);
      });
      void exited.then(() => resolve(''));
    });
    expect(url).not.toBe('');
    const slow = slowBody(Number(new URL(url).port), '127.0.5.1', 200);
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(900);
    // Without the deadline it would wait for the request timeout (120 s).
    expect(took).toBeLessThan(15_000);
    slow.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});
