import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { startHttpSink } from '../alerts/sinks.js';
import { startTargets, type Targets } from '../probes/targets.js';

const ADMIN = 'metrics-e2e-admin-token-0123456789';

/** The value of one series in a Prometheus text exposition, or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/**
 * `/metrics` of the real server with its built-in agent probing real loopback targets: per
 * check and location whether it is up, its durations and its certificate's time left; each
 * service's status; open incidents; alert deliveries by outcome; SSE clients; Node's own.
 */
describe('/metrics of a running server', () => {
  let server: RunningServer;
  let targets: Targets;
  let hook: Awaited<ReturnType<typeof startHttpSink>>;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-metrics-'));

  beforeAll(async () => {
    targets = await startTargets();
    hook = await startHttpSink();
    const base = { interval: '300ms', timeout: '1s' };
    server = await startServer(
      loadConfig({
        env: {},
        overrides: {
          'server.port': 0, 'server.host': '127.0.0.1', 'server.logLevel': 'silent', 'database.url': `sqlite:${path.join(dir, 'db.sqlite')}`, adminToken: ADMIN,
          services: [{ slug: 'x', name: 'X', url: 'https://x.example' }, { slug: 'ok', name: 'OK', url: 'https://ok.example' }],
          probes: { localAgent: true, location: 'local', failuresBefore: 2 },
          checks: [
            { ...base, name: 'x-down', service: 'x', type: 'http', target: targets.refused },
            { ...base, name: 'ok-up', service: 'ok', type: 'http', target: targets.up },
            { ...base, name: 'ok-tls', service: 'ok', type: 'tls', target: targets.badTlsHostPort, conditions: ['cert_expiry > 1d'] },
          ],
          alerts: { channels: [{ name: 'hook', type: 'webhook', url: hook.url }], rules: [{ service: 'x', on: ['open'], channels: ['hook'] }] },
        },
      }),
    );
  });
  afterAll(async () => {
    await server?.close();
    await hook?.close();
    await targets?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exports checks, statuses, incidents, deliveries, SSE clients and process metrics', async () => {
    const sse = http.get(`${server.url}/api/v1/events`);
    sse.on('error', () => undefined);
    await fetch(`${server.url}/api/v1/reports:batch`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: '{"service":"ok","problem":"app"}\n' });
    let text = '';
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      text = await (await fetch(`${server.url}/metrics`)).text();
      if (sample(text, 'stormwatch_alert_deliveries_total{channel_type="webhook",outcome="delivered"}') === 1 && sample(text, 'stormwatch_event_streams') === 1) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    sse.destroy();
    expect(sample(text, 'stormwatch_check_up{check="ok-up",location="local"}')).toBe(1);
    expect(sample(text, 'stormwatch_check_up{check="x-down",location="local"}')).toBe(0);
    expect(sample(text, 'stormwatch_check_duration_seconds_count{check="ok-up",location="local"}')).toBeGreaterThan(0);
    const certSeconds = sample(text, 'stormwatch_check_cert_expiry_seconds{check="ok-tls",location="local"}') ?? 0;
    expect(certSeconds).toBeGreaterThan(86_400);
    expect(certSeconds).toBeLessThan(3 * 86_400);
    expect(sample(text, 'stormwatch_service_status{service="x",status="major_outage"}')).toBe(1);
    expect(sample(text, 'stormwatch_service_status{service="x",status="operational"}')).toBe(0);
    expect(sample(text, 'stormwatch_service_status{service="ok",status="operational"}')).toBe(1);
    expect(sample(text, 'stormwatch_open_incidents{kind="probe"}')).toBe(1);
    expect(sample(text, 'stormwatch_open_incidents{kind="crowd"}')).toBe(0);
    expect(sample(text, 'stormwatch_alert_deliveries_total{channel_type="webhook",outcome="delivered"}')).toBe(1);
    expect(sample(text, 'stormwatch_event_streams')).toBe(1);
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(text).toContain('nodejs_eventloop_lag_seconds');
    // The route pattern of the batch endpoint, spelt as in the API (Fastify writes it `::`).
    expect(text).toMatch(/stormwatch_http_requests_total\{method="POST",route="\/api\/v1\/reports:batch",status="\d+"\} 1/);
    expect(text).not.toContain('reports::batch');
  }, 30_000);
});
