import net from 'node:net';
import type { AsnLookup } from '../geo/asn.js';
import type { CountryLookup } from '../geo/country.js';
import { HOSTING_ASNS } from './botnet-score.js';

/** Offline geography of source addresses; either part may be missing. */
export interface Geo {
  country?: CountryLookup;
  asn?: AsnLookup;
}

export interface SourceStat {
  ip: string;
  requests: number;
  country: string | null;
  asn: number | null;
}

export interface Breakdown {
  key: string;
  name?: string;
  requests: number;
  sources: number;
  share: number;
}

export interface Attribution {
  sources: SourceStat[];
  countries: Breakdown[];
  asns: Breakdown[];
  prefixes: Breakdown[];
  hostingShare: number | null;
}

/** The /24 (IPv4) or /48 (IPv6) a source belongs to. */
export function prefixOf(ip: string): string {
  if (net.isIPv4(ip)) {
    const parts = ip.split('.');
    return `${parts[0]}.${parts[1]}.${parts[2]}.0/24`;
  }
  if (net.isIPv6(ip)) {
    const [head] = ip.split('::');
    const groups = ip.includes('::') ? head.split(':').filter(Boolean) : ip.split(':');
    const g = [...groups.slice(0, 3), '0', '0', '0'].slice(0, 3).map((x) => x.toLowerCase().replace(/^0+(?=.)/, ''));
    return `${g.join(':')}::/48`;
  }
  return ip;
}

/** Looks up every tracked source once and rolls requests up by country, ASN and prefix. */
export function attribute(sources: Map<string, number>, geo: Geo): Attribution {
  const stats: SourceStat[] = [];
  const countries = new Map<string, { requests: number; sources: number }>();
  const asns = new Map<string, { requests: number; sources: number; name: string }>();
  const prefixes = new Map<string, { requests: number; sources: number }>();
  let total = 0;
  let hosting = 0;
  let asnKnown = 0;
  for (const [ip, requests] of sources) {
    total += requests;
    const country = geo.country?.country(ip) ?? null;
    const a = geo.asn?.asn(ip) ?? null;
    stats.push({ ip, requests, country, asn: a?.asn ?? null });
    add(countries, country ?? '??', requests);
    if (a) {
      asnKnown += requests;
      if (HOSTING_ASNS.has(a.asn)) hosting += requests;
      const entry = asns.get(String(a.asn)) ?? { requests: 0, sources: 0, name: a.name };
      entry.requests += requests;
      entry.sources++;
      asns.set(String(a.asn), entry);
    }
    add(prefixes, prefixOf(ip), requests);
  }
  stats.sort((x, y) => y.requests - x.requests);
  const rank = (m: Map<string, { requests: number; sources: number; name?: string }>): Breakdown[] =>
    [...m.entries()]
      .map(([key, v]) => ({ key, ...(v.name !== undefined ? { name: v.name } : {}), requests: v.requests, sources: v.sources, share: total ? v.requests / total : 0 }))
      .sort((x, y) => y.requests - x.requests);
  return { sources: stats, countries: rank(countries), asns: rank(asns), prefixes: rank(prefixes), hostingShare: geo.asn && asnKnown > 0 ? hosting / asnKnown : null };
}

function add(m: Map<string, { requests: number; sources: number }>, key: string, requests: number): void {
  const e = m.get(key);
  if (e) {
    e.requests += requests;
    e.sources++;
  } else m.set(key, { requests, sources: 1 });
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** The sentence an operator reads first; it names the spread before any single country. */
export function attributionSummary(a: Attribution, distinctSources: number, newShare: number): string {
  const known = a.countries.filter((c) => c.key !== '??');
  const parts = [`${fmt(distinctSources)} sources in ${known.length} countries and ${a.asns.length} networks (ASNs)`];
  if (known[0]) parts.push(`top country ${known[0].key} ${pct(known[0].share)} of attack requests`);
  if (a.asns[0]) parts.push(`top network AS${a.asns[0].key} ${a.asns[0].name ?? ''} ${pct(a.asns[0].share)}`.replace(/\s+/g, ' '));
  const top5 = known.slice(0, 5).reduce((s, c) => s + c.share, 0);
  if (known.length > 5) parts.push(`the top 5 countries together ${pct(top5)}`);
  if (a.sources[0]) parts.push(`busiest single source ${pct(a.sources[0].requests / Math.max(1, a.sources.reduce((s, x) => s + x.requests, 0)))}`);
  parts.push(`${pct(newShare)} of sources not seen before the attack`);
  return `${parts.join('; ')}. Source addresses are the devices that sent the requests (TCP cannot be spoofed), not the operator behind them.`;
}
