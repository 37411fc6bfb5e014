/**
 * Which network an address belongs to. Abuse limits and source counting group addresses by
 * prefix (by default /24 for IPv4 and /64 for IPv6), because one person or one machine
 * easily holds many addresses of one network (an IPv6 host usually has a whole /64) but
 * seldom many networks. Pure and allocation-light: it runs for every report.
 */
export interface PrefixLengths {
  /** IPv4 prefix length, 8 to 32. */
  v4: number;
  /** IPv6 prefix length, 16 to 128. */
  v6: number;
}

export const DEFAULT_PREFIX_LENGTHS: Readonly<PrefixLengths> = Object.freeze({ v4: 24, v6: 64 });

/** Node reports IPv4 clients of a dual-stack socket as `::ffff:1.2.3.4`. Anything not a string gives ''. */
export function unmapIpv4(ip: string | undefined): string {
  if (typeof ip !== 'string') return '';
  return ip.length > 7 && ip.charCodeAt(0) === 58 && ip.startsWith('::ffff:') && ip.includes('.', 7) ? ip.slice(7) : ip;
}

/**
 * The address's network as a short key: `1.2.3.0/24`, `2001:db8:0:1::/64`. An unparsable
 * string (a header a misconfigured proxy passed through) is its own network, `?` + text.
 */
export function networkOf(ip: string, lengths: PrefixLengths = DEFAULT_PREFIX_LENGTHS): string {
  const addr = unmapIpv4(ip);
  const v4 = parseIpv4(addr);
  if (v4 >= 0) {
    const bits = lengths.v4;
    // The common case without number formatting (parseIpv4 admits only the canonical form).
    if (bits === 24) return `${addr.slice(0, addr.lastIndexOf('.'))}.0/24`;
    const masked = bits >= 32 ? v4 : bits <= 0 ? 0 : (v4 & (0xffffffff << (32 - bits))) >>> 0;
    return `${masked >>> 24}.${(masked >>> 16) & 255}.${(masked >>> 8) & 255}.${masked & 255}/${bits}`;
  }
  const groups = parseIpv6(addr);
  if (groups === undefined) return `?${addr.slice(0, 64)}`;
  const bits = lengths.v6;
  let out = '';
  let g = 0;
  for (; g < 8; g++) {
    const keep = Math.max(0, Math.min(16, bits - g * 16));
    if (keep === 0) break;
    const value = keep === 16 ? groups[g] : groups[g] & (0xffff << (16 - keep)) & 0xffff;
    out += (g === 0 ? '' : ':') + value.toString(16);
  }
  return `${out}${g < 8 ? '::' : ''}/${bits}`;
}

/** The network of `ip` as networkOf gives it, or undefined when `ip` is not an address. */
export function networkIfAddress(ip: string, lengths: PrefixLengths = DEFAULT_PREFIX_LENGTHS): string | undefined {
  const network = networkOf(ip, lengths);
  return network.charCodeAt(0) === 63 ? undefined : network;
}

/** True when `ip` is an IPv4 or IPv6 address (IPv4-mapped included). */
export function isIpAddress(ip: string): boolean {
  const addr = unmapIpv4(ip);
  return parseIpv4(addr) >= 0 || parseIpv6(addr) !== undefined;
}

/** Dotted-quad IPv4 as an unsigned 32-bit number, or -1. No leading zeros beyond `0`. */
export function parseIpv4(s: string): number {
  const n = s.length;
  if (n < 7 || n > 15) return -1;
  let value = 0;
  let octet = -1;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + octet;
      octet = -1;
      digits = 0;
      dots++;
      continue;
    }
    const d = c - 48;
    if (d < 0 || d > 9) return -1;
    if (digits === 1 && octet === 0) return -1;
    octet = digits === 0 ? d : octet * 10 + d;
    if (octet > 255) return -1;
    digits++;
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + octet;
}

/** An IPv6 address (with `::`, an embedded IPv4 tail or a `%zone`) as eight 16-bit groups, or undefined. */
export function parseIpv6(s: string): number[] | undefined {
  const zone = s.indexOf('%');
  const text = zone >= 0 ? s.slice(0, zone) : s;
  if (text.length < 2 || text.length > 45 || !text.includes(':')) return undefined;
  const gap = text.indexOf('::');
  if (gap >= 0 && text.indexOf('::', gap + 1) >= 0) return undefined;
  const head = gap >= 0 ? text.slice(0, gap) : text;
  const tail = gap >= 0 ? text.slice(gap + 2) : '';
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const parts = gap >= 0 ? right : left;
  const groups: number[] = [];
  const readGroups = (list: string[], allowV4Tail: boolean): boolean => {
    for (let i = 0; i < list.length; i++) {
      const p = list[i];
      if (allowV4Tail && i === list.length - 1 && p.includes('.')) {
        const v4 = parseIpv4(p);
        if (v4 < 0) return false;
        groups.push(v4 >>> 16, v4 & 0xffff);
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return false;
      groups.push(Number.parseInt(p, 16));
    }
    return true;
  };
  if (gap < 0) {
    if (!readGroups(parts, true) || groups.length !== 8) return undefined;
    return groups;
  }
  if (!readGroups(left, false)) return undefined;
  const before = groups.length;
  const after: number[] = [];
  const saved = groups.splice(0);
  if (!readGroups(right, true)) return undefined;
  after.push(...groups.splice(0));
  if (before + after.length > 7) return undefined;
  return [...saved, ...new Array<number>(8 - before - after.length).fill(0), ...after];
}
