import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Check, CheckDefinition } from '../../src/probes/check.js';
import { compileCheck } from '../../src/probes/compile.js';
import { defaultRegistry } from '../../src/probes/default-registry.js';
import { findPing, IcmpProber } from '../../src/probes/probers/icmp.js';
import { ProberRegistry } from '../../src/probes/prober.js';
import { runCheck } from '../../src/probes/run-check.js';
import { systemClock } from '../../src/time/clock.js';
import { startTargets, type Targets } from './targets.js';

let targets: Targets;
const registry = defaultRegistry();
beforeAll(async () => {
  targets = await startTargets({ slowMs: 800 });
});
afterAll(async () => {
  registry.close();
  await targets.close();
});

function check(partial: Partial<CheckDefinition> & Pick<CheckDefinition, 'type' | 'target'>): Check {
  return { id: 'c1', name: 'c', interval: '30s', timeout: '3s', conditions: [], locations: [], enabled: true, ...partial };
}
const run = (c: Check) => runCheck(compileCheck(c, registry), 'here', systemClock);

/** A UDP port nothing listens on: bound once, then released (the kernel answers "port unreachable"). */
async function closedUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const { port } = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('probers against real loopback targets', () => {
  it('http up, with keyword, JSON path, header and response-time conditions', async () => {
    const r = await run(check({ type: 'http', target: targets.up, conditions: ['status == 200', 'body contains "up"', 'json $.status == "up"', 'header content-type contains "json"', 'response_time < 2s'] }));
    expect(r).toMatchObject({ ok: true, errorClass: 'ok', status: 200 });
    expect(r.conditions).toHaveLength(5);
  });

  it('follows redirects, or reports them when told not to', async () => {
    const target = targets.up.replace('/health', '/redirect');
    expect(await run(check({ type: 'http', target }))).toMatchObject({ ok: true, status: 200 });
    expect(await run(check({ type: 'http', target, conditions: ['status == 302'], http: { method: 'GET', followRedirects: false, maxRedirects: 5, insecure: false } }))).toMatchObject({ ok: true, status: 302 });
  });

  it('classifies refused, 5xx, slow, timeout, content mismatch and a bad certificate', async () => {
    expect(await run(check({ type: 'http', target: targets.refused }))).toMatchObject({ ok: false, errorClass: 'connection_refused' });
    expect(await run(check({ type: 'http', target: targets.failing }))).toMatchObject({ ok: false, errorClass: 'http_5xx', status: 503 });
    expect(await run(check({ type: 'http', target: targets.slow, conditions: ['status == 200', 'response_time < 300ms'] }))).toMatchObject({ ok: false, errorClass: 'slow' });
    expect(await run(check({ type: 'http', target: targets.slow, timeout: '200ms' }))).toMatchObject({ ok: false, errorClass: 'timeout' });
    expect(await run(check({ type: 'http', target: targets.up, conditions: ['body contains "down"'] }))).toMatchObject({ ok: false, errorClass: 'content_mismatch' });
    const tls = await run(check({ type: 'http', target: targets.badTls }));
    expect(tls).toMatchObject({ ok: false, errorClass: 'tls' });
    expect(tls.detail).toMatch(/self[- ]signed/i);
    const insecure = await run(check({ type: 'http', target: targets.badTls, conditions: ['status == 200', 'cert_expiry > 1d', 'cert_valid == false'], http: { method: 'GET', followRedirects: true, maxRedirects: 5, insecure: true } }));
    expect(insecure, insecure.detail).toMatchObject({ ok: true });
  });

  it('tcp connect and refused', async () => {
    expect(await run(check({ type: 'tcp', target: new URL(targets.up).host }))).toMatchObject({ ok: true });
    expect(await run(check({ type: 'tcp', target: new URL(targets.refused).host }))).toMatchObject({ ok: false, errorClass: 'connection_refused' });
  });

  it('tls handshake sees an untrusted certificate and its expiry', async () => {
    const bad = await run(check({ type: 'tls', target: targets.badTlsHostPort }));
    expect(bad).toMatchObject({ ok: false, errorClass: 'tls' });
    expect(bad.detail).toMatch(/cert_valid false \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
    const measured = await run(check({ type: 'tls', target: targets.badTlsHostPort, conditions: ['cert_expiry < 3d', 'cert_expiry > 1d'] }));
    expect(measured).toMatchObject({ ok: true });
    // Time left reads in days, and the result keeps when the certificate expires.
    expect(measured.conditions?.[0].actual).toMatch(/^cert_expiry [12]\.\d days$/);
    expect((measured.certExpiresAt ?? 0) - Date.now()).toBeGreaterThan(86_400_000);
    expect((measured.certExpiresAt ?? 0) - Date.now()).toBeLessThan(3 * 86_400_000);
  });

  it('dns through a chosen resolver: answers, NXDOMAIN and SERVFAIL told apart', async () => {
    const dns = (target: string, conditions: string[] = []) => run(check({ type: 'dns', target, conditions, dns: { recordType: 'A', resolver: targets.dnsResolver } }));
    expect(await dns('up.stormwatch.test', ['dns_answers contains "127.0.0.1"'])).toMatchObject({ ok: true });
    const nx = await dns('nope.stormwatch.test');
    expect(nx).toMatchObject({ ok: false, errorClass: 'dns' });
    expect(nx.detail).toContain('NXDOMAIN');
    const servfail = await dns('broken.stormwatch.test');
    expect(servfail).toMatchObject({ ok: false, errorClass: 'dns' });
    expect(servfail.detail).toContain('SERVFAIL');
    expect(await dns('nope.stormwatch.test', ['dns_rcode == NXDOMAIN'])).toMatchObject({ ok: true });
  });

  it('a resolver that refuses the connection is a DNS failure, not a timeout', async () => {
    const port = await closedUdpPort();
    const started = Date.now();
    const r = await run(check({ type: 'dns', target: 'up.stormwatch.test', dns: { recordType: 'A', resolver: `127.0.0.1:${port}` } }));
    expect(r).toMatchObject({ ok: false, errorClass: 'dns' });
    expect(r.detail).toBe(`the resolver 127.0.0.1:${port} refused the connection (ECONNREFUSED)`);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('icmp says unsupported plainly when there is no ping', async () => {
    const prober = new IcmpProber(null);
    const outcome = await prober.probe(check({ type: 'icmp', target: '127.0.0.1' }), 1000);
    expect(outcome.failure).toMatchObject({ errorClass: 'unsupported' });
    expect(outcome.failure?.detail).toMatch(/unsupported/);
  });

  it('icmp runs the system ping when present (loopback only), else reports unsupported', async () => {
    const pingPath = findPing();
    const r = await runCheck(compileCheck(check({ type: 'icmp', target: '127.0.0.1', conditions: ['connected == true', 'response_time < 1s'] }), new ProberRegistry([new IcmpProber(pingPath ?? null)])), 'here', systemClock);
    if (pingPath && r.errorClass !== 'unsupported') {
      expect(r).toMatchObject({ ok: true, errorClass: 'ok' });
    } else {
      expect(r).toMatchObject({ ok: false, errorClass: 'unsupported' });
      expect(r.detail).toMatch(/unsupported/);
    }
  });

  it('rejects targets and conditions that do not fit the type', () => {
    expect(() => compileCheck(check({ type: 'http', target: 'ftp://x' }), registry)).toThrow(/http:\/\//);
    expect(() => compileCheck(check({ type: 'tcp', target: 'nohostport' }), registry)).toThrow(/host:port/);
    expect(() => compileCheck(check({ type: 'tcp', target: 'a:1', conditions: ['status == 200'] }), registry)).toThrow(/not measured by tcp/);
    expect(() => compileCheck(check({ type: 'http', target: 'http://a', conditions: ['status = 200'] }), registry)).toThrow(/invalid condition/);
  });
});
