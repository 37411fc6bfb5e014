import { describe, expect, it } from 'vitest';
import { loadConfig } from './load.js';
import { trustedProxies } from './trust-proxy.js';

const load = (env: Record<string, string>, file?: Record<string, unknown>) => loadConfig({ env, overrides: file });

describe('server.trustProxy', () => {
  it('refuses true (from the environment too) with a message that says why and what to give instead', () => {
    for (const attempt of [() => load({ STORMWATCH_TRUST_PROXY: 'true' }), () => load({}, { 'server.trustProxy': true })]) {
      expect(attempt).toThrow(/^config: server\.trustProxy: true is refused: it trusts whatever X-Forwarded-For a client sends.*for example 1.*10\.0\.0\.0\/8/);
    }
  });

  it('takes false, a hop count, a CIDR list or a comma-separated string', () => {
    expect(trustedProxies(load({}).server.trustProxy)).toBe(false);
    expect(trustedProxies(load({ STORMWATCH_TRUST_PROXY: 'false' }).server.trustProxy)).toBe(false);
    expect(trustedProxies(load({ STORMWATCH_TRUST_PROXY: '2' }).server.trustProxy)).toEqual({ hops: 2 });
    expect(trustedProxies(load({ STORMWATCH_TRUST_PROXY: '10.0.0.0/8, fc00::/7,loopback' }).server.trustProxy)).toEqual({ addresses: ['10.0.0.0/8', 'fc00::/7', 'loopback'] });
    expect(trustedProxies(load({ STORMWATCH_TRUST_PROXY: '["192.0.2.10"]' }).server.trustProxy)).toEqual({ addresses: ['192.0.2.10'] });
  });

  it.each([
    ['10.0.0.0/33', /"10\.0\.0\.0\/33": the prefix length must be 0 to 32/],
    ['proxy.internal', /"proxy\.internal" is not an IP address, a CIDR or one of loopback, linklocal, uniquelocal/],
    ['fc00::/129', /must be 0 to 128/],
  ])('names the bad entry %s', (value, message) => {
    expect(() => load({ STORMWATCH_TRUST_PROXY: value })).toThrow(message);
  });
});
