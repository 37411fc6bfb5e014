import { compileAddressList } from '../../net/address-list.js';
import { isIpAddress, parseIpv6 } from '../../net/ip-prefix.js';

/**
 * Where an instant check must not go on a stranger's behalf: the server's own host, the
 * networks behind it, and the cloud metadata services (169.254.169.254 and fd00:ec2::254
 * are inside link-local and unique-local; Alibaba's 100.100.100.200 inside shared space).
 */
const FORBIDDEN_RANGES = [
  'loopback',
  'linklocal',
  'uniquelocal',
  '0.0.0.0/8', // "this network", and 0.0.0.0 reaches the host itself
  '100.64.0.0/10', // carrier-grade NAT shared space
  '192.0.0.0/24', // IETF protocol assignments
  '198.18.0.0/15', // benchmarking
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, and the broadcast address
  '::/96', // unspecified and IPv4-compatible
  '64:ff9b::/96', // NAT64: would reach any IPv4 address, private ones included
  '2002::/16', // 6to4: the same
  'ff00::/8', // multicast
];

const forbidden = compileAddressList(FORBIDDEN_RANGES);

/**
 * True when `ip` (v4, v6 or v4-mapped v6) is an address an instant check must not reach.
 * Anything that is not a plain address (a zone id, garbage) counts as forbidden: the guard
 * fails closed.
 */
export function isForbiddenAddress(ip: string): boolean {
  if (!isIpAddress(ip)) return true;
  return forbidden(mappedIpv4(ip) ?? ip);
}

/** `::ffff:a00:1` (an IPv4-mapped address in hex, as URLs write it) as `10.0.0.1`. */
function mappedIpv4(ip: string): string | undefined {
  const g = ip.includes(':') ? parseIpv6(ip) : undefined;
  if (!g || g.slice(0, 5).some((x) => x !== 0) || g[5] !== 0xffff) return undefined;
  return `${g[6] >> 8}.${g[6] & 0xff}.${g[7] >> 8}.${g[7] & 0xff}`;
}
