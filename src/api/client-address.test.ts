import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { openCountryLookup } from '../geo/country.js';
import { clientAddress, fastifyTrustProxy, proxyPeer } from './client-address.js';

const request = (ip: string | undefined) => ({ ip }) as unknown as FastifyRequest;

describe('clientAddress', () => {
  it('unmaps IPv4-mapped IPv6, and gives an empty address (never a TypeError) when the socket is gone', () => {
    expect(clientAddress(request('::ffff:81.2.69.142'))).toBe('81.2.69.142');
    expect(clientAddress(request('2001:db8::1'))).toBe('2001:db8::1');
    // proxy-addr answers undefined for a request whose socket closed before it was handled.
    expect(clientAddress(request(undefined))).toBe('');
    expect(openCountryLookup().country(undefined)).toBeNull();
    expect(openCountryLookup().country('')).toBeNull();
  });
});

describe('trusted proxies', () => {
  it('a hop count trusts that many peers; an address list trusts exactly its members', () => {
    const hops = fastifyTrustProxy({ hops: 2 });
    expect(typeof hops === 'function' && [hops('8.8.8.8', 0), hops('8.8.8.8', 1), hops('8.8.8.8', 2)]).toEqual([true, true, false]);
    const list = fastifyTrustProxy({ addresses: ['10.0.0.0/8'] });
    expect(typeof list === 'function' && [list('10.1.2.3', 0), list('11.1.2.3', 0)]).toEqual([true, false]);
    expect(fastifyTrustProxy(false)).toBe(false);
    expect(proxyPeer({ addresses: ['10.0.0.0/8'] })('10.0.0.1')).toBe(true);
    expect(proxyPeer({ hops: 1 })('203.0.113.1')).toBe(true);
    expect(proxyPeer(false)('127.0.0.1')).toBe(false);
  });
});
