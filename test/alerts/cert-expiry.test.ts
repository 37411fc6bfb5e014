import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { startTargets, type Targets } from '../probes/targets.js';
import { startHttpSink } from './sinks.js';

/**
 * The rule `cert_expiry_days < N`: the built-in agent probes a TLS server whose certificate
 * expires in two days; a rule for fewer than 7 days fires once (not again at every probe),
 * one for fewer than 1 day stays quiet.
 */
describe('certificate expiry alerts', () => {
  let server: RunningServer;
  let targets: Targets;
  let soon: Awaited<ReturnType<typeof startHttpSink>>;
  let never: Awaited<ReturnType<typeof startHttpSink>>;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-cert-'));

  beforeAll(async () => {
    targets = await startTargets();
    soon = await startHttpSink();
    never = await startHttpSink();
    server = await startServer(
      loadConfig({
        env: {},
        overrides: {
          'server.port': 0, 'server.host': '127.0.0.1', 'server.logLevel': 'silent', 'database.url': `sqlite:${path.join(dir, 'db.sqlite')}`, adminToken: 'cert-expiry-admin-token-0123',
          services: [{ slug: 'shop', name: 'Shop', url: 'https://shop.example' }],
          checks: [{ name: 'shop-tls', service: 'shop', type: 'tls', target: targets.badTlsHostPort, interval: '200ms', conditions: ['cert_expiry > 1d'] }],
          alerts: {
            channels: [{ name: 'soon', type: 'webhook', url: soon.url }, { name: 'never', type: 'webhook', url: never.url }],
            rules: [
              { service: 'shop', on: ['cert_expiry'], certExpiryDays: 7, channels: ['soon'] },
              { service: '*', on: ['cert_expiry'], certExpiryDays: 1, channels: ['never'] },
            ],
          },
        },
      }),
    );
  });
  afterAll(async () => {
    await server?.close();
    await soon?.close();
    await never?.close();
    await targets?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('fires once under the rule\'s days, with the days left, and stays quiet above them', async () => {
    const deadline = Date.now() + 15_000;
    while (soon.requests.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    // More probes run meanwhile: still one alert.
    await new Promise((r) => setTimeout(r, 1500));
    expect(soon.requests).toHaveLength(1);
    const alert = JSON.parse(soon.requests[0].body) as { event: string; service: string; status: string; cause: string; subject: string };
    expect(alert).toMatchObject({ event: 'cert_expiry', service: 'shop', status: 'failing', subject: '[Stormwatch] shop: certificate expiring' });
    expect(alert.cause).toMatch(/^the certificate of shop-tls \(seen from local\) expires in [12]\.\d days, on \d{4}-\d\d-\d\dT/);
    expect(never.requests).toHaveLength(0);
  }, 20_000);
});
