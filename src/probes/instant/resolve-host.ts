import dns from 'node:dns/promises';
import { isAddressLiteral } from './instant-check.js';

/** A host's addresses (IPv4 first), or why there are none, in resolver terms. */
export type Resolved = { addresses: string[] } | { error: { code: string; detail: string } };

/** Resolves a host name; the seam tests and agents share (src/probes/instant/run-instant.ts). */
export type ResolveHost = (host: string, resolver: string | undefined, timeoutMs: number) => Promise<Resolved>;

const RCODE_NAMES: Record<string, string> = { ENOTFOUND: 'NXDOMAIN', ENODATA: 'no address records', ESERVFAIL: 'SERVFAIL', EREFUSED: 'REFUSED', ETIMEOUT: 'timed out', ECONNREFUSED: 'resolver refused the connection' };

/**
 * Through the given resolver (`host:port`) when there is one, A and AAAA asked at once;
 * else through the system's (`getaddrinfo`, so /etc/hosts counts). An address literal is
 * its own answer.
 */
export const resolveHost: ResolveHost = async (host, resolver, timeoutMs) => {
  if (isAddressLiteral(host)) return { addresses: [host] };
  try {
    if (resolver !== undefined) {
      const r = new dns.Resolver({ timeout: Math.max(1, timeoutMs), tries: 1 });
      r.setServers([resolver]);
      try {
        const [v4, v6] = await Promise.allSettled([r.resolve4(host), r.resolve6(host)]);
        const addresses = [...(v4.status === 'fulfilled' ? v4.value : []), ...(v6.status === 'fulfilled' ? v6.value : [])];
        if (addresses.length > 0) return { addresses };
        throw v4.status === 'rejected' ? v4.reason : v6.status === 'rejected' ? v6.reason : Object.assign(new Error('no address records'), { code: 'ENODATA' });
      } finally {
        r.cancel();
      }
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${timeoutMs}ms`), { code: 'ETIMEOUT' })), timeoutMs);
    });
    try {
      const found = await Promise.race([dns.lookup(host, { all: true }), timeout]);
      const sorted = [...found].sort((a, b) => a.family - b.family).map((a) => a.address);
      return { addresses: sorted };
    } finally {
      clearTimeout(timer);
    }
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'ERROR';
    return { error: { code, detail: `${host}: ${RCODE_NAMES[code] ?? code} (${code})` } };
  }
};
