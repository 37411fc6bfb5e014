import type { FastifyRequest } from 'fastify';
import type { TrustedProxies } from '../config/trust-proxy.js';
import { compileAddressList } from '../net/address-list.js';
import { unmapIpv4 } from '../net/ip-prefix.js';

/**
 * The client's address as limits and fingerprints see it: the socket peer, or behind trusted
 * proxies the address the nearest untrusted hop was seen from; IPv4-mapped IPv6 unmapped
 * (`::ffff:1.2.3.4` and `1.2.3.4` are one client). Empty when the socket is already gone
 * (a client that hung up while its request waited): never a TypeError.
 */
export function clientAddress(request: FastifyRequest): string {
  return unmapIpv4(request.ip as string | undefined);
}

/** Fastify's `trustProxy` for the setting. A hop count trusts the nearest `hops` peers whoever they are. */
export function fastifyTrustProxy(trusted: TrustedProxies | undefined): false | ((address: string, hop: number) => boolean) {
  if (!trusted) return false;
  if ('hops' in trusted) {
    const hops = trusted.hops;
    // Fastify's own number form ignores X-Forwarded-For altogether, so the count is a function.
    return (_address, hop) => hop < hops;
  }
  // Our own matcher rather than Fastify's list form: it runs for every request.
  const isProxy = compileAddressList(trusted.addresses);
  return (address) => isProxy(address);
}

/** Whether a connection's peer is a trusted proxy (exempt from per-address connection caps: it carries many clients). */
export function proxyPeer(trusted: TrustedProxies | undefined): (address: string) => boolean {
  if (!trusted) return () => false;
  // Behind a hop count every direct peer is a proxy.
  if ('hops' in trusted) return () => trusted.hops > 0;
  return compileAddressList(trusted.addresses);
}
