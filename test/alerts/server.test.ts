import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { startHttpSink, startSmtpSink } from './sinks.js';

/**
 * The real server with its built-in agent probing a port where nothing listens: the
 * results make a probe-only event, whose alert reaches the webhook sink and the SMTP server.
 */
describe('alerts in the running server', () => {
  let server: RunningServer;
  let hook: Awaited<ReturnType<typeof startHttpSink>>;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let dir: string;

  beforeAll(async () => {
    hook = await startHttpSink();
    smtp = await startSmtpSink();
    const closed = await startHttpSink();
    await closed.close();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-alerts-'));
    const file = path.join(dir, 'config.yaml');
    fs.writeFileSync(
      file,
      [
        'server: { port: 0, host: 127.0.0.1, logLevel: silent }',
        `database: { url: "sqlite:${path.join(dir, 'sw.db')}" }`,
        'adminToken: alerts-server-test-token',
        'services: [{ slug: shop, name: Shop, url: "https://shop.example.org" }]',
        `checks: [{ name: shop-home, service: shop, type: http, target: "${closed.url}/", interval: 1s, timeout: 1s }]`,
        'alerts:',
        '  publicUrl: https://sw.example.org',
        '  correlation: { minLocations: 1 }',
        '  channels:',
        `    - { name: hook, type: webhook, url: "${hook.url}/alerts", secret: server-test-secret }`,
        `    - { name: mail, type: email, host: 127.0.0.1, port: ${smtp.port}, from: sw@example.org, to: [ops@example.org] }`,
        '  rules:',
        '    - { service: shop, on: [probe_failure], channels: [hook, mail], minLocations: 1 }',
      ].join('\n'),
    );
    server = await startServer(loadConfig({ file, env: {} }));
  });
  afterAll(async () => {
    await server?.close();
    await hook.close();
    await smtp.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('records a probe-only event and delivers its alert to both channels', async () => {
    const deadline = Date.now() + 15_000;
    while ((hook.requests.length === 0 || smtp.mails.length === 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const alert = JSON.parse(hook.requests[0]?.body ?? '{}') as Record<string, unknown>;
    expect(alert).toMatchObject({ event: 'probe_failure', service: 'shop', status: 'failing', url: 'https://sw.example.org/services/shop' });
    expect(alert.cause).toBe('probe-only: connections refused from 1 of 1 location on shop-home, no crowd reports');
    expect(smtp.mails[0]?.subject).toBe('[Stormwatch] shop: probes failing');

    const events = await fetch(`${server.url}/api/v1/alerts/probe-events?service=shop`).then((r) => r.json() as Promise<{ events: { cause: string }[] }>);
    expect(events.events[0]?.cause).toContain('connections refused');
    const deliveries = await fetch(`${server.url}/api/v1/alerts/deliveries`, { headers: { authorization: 'Bearer alerts-server-test-token' } }).then(
      (r) => r.json() as Promise<{ deliveries: { channel: string; status: string }[] }>,
    );
    expect(deliveries.deliveries.map((d) => `${d.channel}:${d.status}`).sort()).toEqual(['hook:delivered', 'mail:delivered']);
  }, 20_000);
});
