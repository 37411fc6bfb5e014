import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ABUSE_ADMIN, realServer, type RealServer } from './real-server.js';

/**
 * Issue 15: big bodies were read, parsed and validated before the token was checked, and
 * deeply nested JSON overflowed the stack (500) on admin routes. The production server.
 */
let s: RealServer | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const admin = { authorization: `Bearer ${ABUSE_ADMIN}`, 'content-type': 'application/json' };

/**
 * Sends a request's headers announcing `length` bytes, then only a few of them; resolves with
 * the status line and how long it took, or `no answer` when the server waits for the body.
 */
function announce(port: number, head: string, length: number, waitMs = 3_000): Promise<{ status: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress: '127.0.6.1' }, () => {
      socket.write(`${head}\r\nHost: x\r\nContent-Length: ${length}\r\n\r\n{"a":`);
    });
    const timer = setTimeout(() => {
      resolve({ status: 'no answer', ms: Date.now() - started });
      socket.destroy();
    }, waitMs);
    socket.on('close', () => clearTimeout(timer));
    let answer = '';
    socket.on('data', (d: Buffer) => {
      answer += d.toString('latin1');
      if (answer.includes('\r\n')) {
        resolve({ status: answer.slice(0, answer.indexOf('\r\n')), ms: Date.now() - started });
        socket.destroy();
      }
    });
    socket.on('error', reject);
  });
}

describe('request bodies', () => {
  it('token-protected routes refuse before reading the body: 8 MB announced, a few bytes sent, 401 at once', async () => {
    s = await realServer();
    for (const head of ['POST /api/v1/agent/results HTTP/1.1\r\nContent-Type: application/json', 'POST /api/v1/checks HTTP/1.1\r\nContent-Type: application/json', 'POST /api/v1/services/x/forensics HTTP/1.1\r\nContent-Type: application/json']) {
      const r = await announce(s.port, head, 8_000_000);
      expect(r.status, head).toBe('HTTP/1.1 401 Unauthorized');
      expect(r.ms).toBeLessThan(5_000);
    }
    // Anyone's batch is small: a large one is refused from its declared length.
    const batch = await announce(s.port, 'POST /api/v1/reports:batch HTTP/1.1\r\nContent-Type: application/x-ndjson', 8_000_000);
    expect(batch.status).toBe('HTTP/1.1 413 Payload Too Large');
    // And the admin's routes have their own limits, far below the server's 8 MB.
    const check = await announce(s.port, `POST /api/v1/checks HTTP/1.1\r\nContent-Type: application/json\r\nAuthorization: Bearer ${ABUSE_ADMIN}`, 8_000_000);
    expect(check.status).toBe('HTTP/1.1 413 Payload Too Large');
  });

  it('every token-protected operation of the OpenAPI document with a body: 401 before the body without a token, its own limit below 8 MB with one', { timeout: 120_000 }, async () => {
    s = await realServer();
    const doc = (await (await fetch(`${s.url}/api/docs/json`)).json()) as { paths: Record<string, Record<string, { security?: Record<string, unknown>[]; requestBody?: unknown }>> };
    const agent = (await (await fetch(`${s.url}/api/v1/agents`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'a', location: 'Frankfurt, DE' }) })).json()) as { token: string };
    const protectedOps: { head: string; token: string }[] = [];
    for (const [p, methods] of Object.entries(doc.paths)) {
      for (const [method, o] of Object.entries(methods)) {
        const needs = o.security ?? [];
        // Operations open to anyone (no requirement, or an empty one) read bodies by design.
        if (o.requestBody === undefined || needs.length === 0 || needs.some((r) => Object.keys(r).length === 0)) continue;
        const token = needs.some((r) => 'agentToken' in r) ? agent.token : ABUSE_ADMIN;
        protectedOps.push({ head: `${method.toUpperCase()} ${p.replace(/\{[^}]+\}/g, 'x')} HTTP/1.1\r\nContent-Type: application/json`, token });
      }
    }
    expect(protectedOps.length).toBeGreaterThan(15);
    for (const { head, token } of protectedOps) {
      const anonymous = await announce(s.port, head, 8_000_000);
      expect(anonymous.status, head).toBe('HTTP/1.1 401 Unauthorized');
      const withToken = await announce(s.port, `${head}\r\nAuthorization: Bearer ${token}`, 8_000_000);
      expect(withToken.status, head).toBe('HTTP/1.1 413 Payload Too Large');
    }
  });

  it('an anonymous chunked batch is cut off once it passes its limit', async () => {
    s = await realServer();
    const line = `${JSON.stringify({ service: 'x', problem: 'app' })}\n`;
    const res = await fetch(`${s.url}/api/v1/reports:batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: new ReadableStream({
        start(c) {
          for (let i = 0; i < 2_000; i++) c.enqueue(new TextEncoder().encode(line));
          c.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: 'body_too_large', message: 'without the admin token a body may hold at most 16384 bytes' });
  });

  it('JSON nested 9,000 levels deep is a 400 on every JSON route, never a 500', async () => {
    s = await realServer();
    const check = (await (await fetch(`${s.url}/api/v1/checks`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'c', service: 'x', type: 'tcp', target: '127.0.0.1:9', interval: '1h' }) })).json()) as { id: string };
    const deep = `{"name":${'['.repeat(9_000)}${']'.repeat(9_000)}}`;
    const routes: [string, string][] = [
      ['POST', '/api/v1/alerts/rules'],
      ['POST', '/api/v1/alerts/channels'],
      ['POST', '/api/v1/checks'],
      ['PATCH', `/api/v1/checks/${check.id}`],
      ['POST', '/api/v1/services/x/forensics'],
    ];
    for (const [method, path] of routes) {
      const res = await fetch(`${s.url}${path}`, { method, headers: admin, body: deep });
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'too_deeply_nested' });
    }
    const text = await (await fetch(`${s.url}/metrics`)).text();
    expect(text).not.toMatch(/stormwatch_http_requests_total\{[^}]*status="5\d\d"\}/);
  });
});
