import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { Reader } from 'maxmind';

/** IP address → ISO 3166-1 alpha-2 country code, offline. */
export interface CountryLookup {
  /** Upper-case country code, or null for private, loopback, reserved or unknown addresses. */
  country(ip: string): string | null;
}

interface CountryRecord {
  country_code?: string;
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
  const reader = new Reader<CountryRecord>(fs.readFileSync(file));
  return {
    country(ip: string): string | null {
      const addr = unmapIpv4(ip);
      if (net.isIP(addr) === 0) return null;
      const record = reader.get(addr);
      const code = record?.country_code;
      return typeof code === 'string' && code.length === 2 ? code.toUpperCase() : null;
    },
  };
}

/** Node reports IPv4 clients on dual-stack sockets as `::ffff:1.2.3.4`. */
function unmapIpv4(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}
