import { parseIpv4, parseIpv6, unmapIpv4 } from './ip-prefix.js';

/** The named ranges proxy configurations commonly use (the names Fastify's trustProxy knows). */
const NAMED: Readonly<Record<string, readonly string[]>> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

interface V4Range {
  base: number;
  mask: number;
}
interface V6Range {
  groups: number[];
  bits: number;
}

/**
 * A matcher for a list of addresses and CIDRs (and the names above). It runs for every request
 * behind a proxy, so IPv4 is a parse and a mask per entry: several times cheaper than
 * proxy-addr's general matcher, which showed up on the report hot path.
 * Throws on an entry that is not an address or a CIDR (the config check names it first).
 */
export function compileAddressList(entries: readonly string[]): (ip: string) => boolean {
  const v4: V4Range[] = [];
  const v6: V6Range[] = [];
  for (const raw of entries) {
    for (const entry of NAMED[raw.trim()] ?? [raw.trim()]) {
      const slash = entry.indexOf('/');
      const address = unmapIpv4(slash < 0 ? entry : entry.slice(0, slash));
      const bitsText = slash < 0 ? undefined : entry.slice(slash + 1);
      const a4 = parseIpv4(address);
      if (a4 >= 0) {
        const bits = bitsText === undefined ? 32 : Number(bitsText);
        if (!Number.isInteger(bits) || bits < 0 || bits > 32) throw new Error(`invalid prefix length in ${entry}`);
        const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
        v4.push({ base: (a4 & mask) >>> 0, mask });
        continue;
      }
      const a6 = parseIpv6(address);
      if (a6 === undefined) throw new Error(`not an IP address or CIDR: ${entry}`);
      const bits = bitsText === undefined ? 128 : Number(bitsText);
      if (!Number.isInteger(bits) || bits < 0 || bits > 128) throw new Error(`invalid prefix length in ${entry}`);
      v6.push({ groups: a6, bits });
    }
  }
  return (ip: string): boolean => {
    const addr = unmapIpv4(ip);
    const a4 = parseIpv4(addr);
    if (a4 >= 0) {
      for (const r of v4) if (((a4 & r.mask) >>> 0) === r.base) return true;
      // An IPv6 range may cover IPv4 as mapped addresses (::ffff:0:0/96), as net.BlockList has it.
      if (v6.length === 0) return false;
      const mapped = [0, 0, 0, 0, 0, 0xffff, a4 >>> 16, a4 & 0xffff];
      return v6.some((r) => inV6(mapped, r));
    }
    if (v6.length === 0) return false;
    const groups = parseIpv6(addr);
    if (groups === undefined) return false;
    return v6.some((r) => inV6(groups, r));
  };
}

function inV6(groups: readonly number[], r: V6Range): boolean {
  for (let g = 0; g < 8; g++) {
    const keep = Math.max(0, Math.min(16, r.bits - g * 16));
    if (keep === 0) return true;
    const mask = (0xffff << (16 - keep)) & 0xffff;
    if ((groups[g] & mask) !== (r.groups[g] & mask)) return false;
  }
  return true;
}
