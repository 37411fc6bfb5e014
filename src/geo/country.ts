import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { Reader, type Response } from 'maxmind';
import { unmapIpv4 } from '../net/ip-prefix.js';

/** IP address → ISO 3166-1 alpha-2 country code, offline. */
export interface CountryLookup {
  /** Upper-case country code, or null for private, loopback, reserved or unknown addresses (and none: a gone socket has no address). */
  country(ip: string | undefined): string | null;
}

/** The shape of this database's records (not MaxMind's nested GeoIP2 one). */
interface CountryRecord {
  country_code?: string;
}

/**
 * Addresses that never locate anyone: private, loopback, link-local, CGNAT, benchmark,
 * multicast and reserved. Checked before the database because it has stray entries for
 * some of them (192.168.0.0/24 resolves to AU). Hand-rolled: net.BlockList allocates a
 * SocketAddress per check, which showed up on the report hot path.
 */
export function isNotRouted(ip: string, family: 4 | 6): boolean {
  if (family === 4) {
    const dot1 = ip.indexOf('.');
    const a = Number(ip.slice(0, dot1));
    const b = Number(ip.slice(dot1 + 1, ip.indexOf('.', dot1 + 1)));
    return (
      a === 0 || a === 10 || a === 127 || a >= 224 ||
      (a === 100 && b >= 64 && b < 128) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b < 32) ||
      (a === 192 && (b === 168 || (b === 0 && ip.startsWith('192.0.0.')))) ||
      (a === 198 && (b === 18 || b === 19))
    );
  }
  const v = ip.toLowerCase();
  if (v === '::' || v === '::1') return true;
  const first = v.startsWith('::') ? 0 : Number.parseInt(v.slice(0, v.indexOf(':')), 16);
  // fc00::/7 unique local, fe80::/10 link-local, ff00::/8 multicast.
  return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80 || (first & 0xff00) === 0xff00;
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
    country(ip: string | undefined): string | null {
      const addr = unmapIpv4(ip);
      const family = net.isIP(addr);
      if (family === 0 || isNotRouted(addr, family === 4 ? 4 : 6)) return null;
      const record = reader.get(addr) as CountryRecord | null;
      const code = record?.country_code;
      return typeof code === 'string' && code.length === 2 ? code.toUpperCase() : null;
    },
  };
}
