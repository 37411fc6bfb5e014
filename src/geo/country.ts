import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { Reader, type Response } from 'maxmind';

/** IP address → ISO 3166-1 alpha-2 country code, offline. */
export interface CountryLookup {
  /** Upper-case country code, or null for private, loopback, reserved or unknown addresses. */
  country(ip: string): string | null;
}

/** The shape of this database's records (not MaxMind's nested GeoIP2 one). */
interface CountryRecord {
  country_code?: string;
}

/**
 * Addresses that never locate anyone. Checked before the database because it has stray
 * entries for some of them (192.168.0.0/24 resolves to AU).
 */
const NOT_ROUTED = new net.BlockList();
for (const [prefix, bits] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 3]] as const) {
  NOT_ROUTED.addSubnet(prefix, bits, 'ipv4');
}
for (const [prefix, bits] of [['::', 127], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) {
  NOT_ROUTED.addSubnet(prefix, bits, 'ipv6');
}

const require = createRequire(import.meta.url);

/** The mmdb file shipped inside `@ip-location-db/geo-whois-asn-country-mmdb` (IPv4 and IPv6). */
export function defaultCountryDbPath(): string {
  return require.resolve('@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb');
}

/**
 * Reads the whole database into memory once (about 10 MB); lookups are then synchronous,
 * which keeps them cheap on the report hot path.
 */
export function openCountryLookup(file: string = defaultCountryDbPath()): CountryLookup {
  const reader = new Reader<Response>(fs.readFileSync(file));
  return {
    country(ip: string): string | null {
      const addr = unmapIpv4(ip);
      const family = net.isIP(addr);
      if (family === 0 || NOT_ROUTED.check(addr, family === 4 ? 'ipv4' : 'ipv6')) return null;
      const record = reader.get(addr) as CountryRecord | null;
      const code = record?.country_code;
      return typeof code === 'string' && code.length === 2 ? code.toUpperCase() : null;
    },
  };
}

/** Node reports IPv4 clients on dual-stack sockets as `::ffff:1.2.3.4`. */
function unmapIpv4(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}
