import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';

/** Autonomous system of an address, offline. */
export interface AsnInfo {
  asn: number;
  name: string;
}

export interface AsnLookup {
  /** Null for private, reserved or unrouted addresses. */
  asn(ip: string): AsnInfo | null;
}

const require = createRequire(import.meta.url);

/** The CSV range files shipped inside `@ip-location-db/asn` (RouteViews + RIRs + DB-IP Lite). */
export function defaultAsnDbPaths(): { ipv4: string; ipv6: string } {
  return {
    ipv4: require.resolve('@ip-location-db/asn/asn-ipv4-num.csv'),
    ipv6: require.resolve('@ip-location-db/asn/asn-ipv6-num.csv'),
  };
}

interface RangeTable<T extends Uint32Array | BigUint64Array> {
  starts: T;
  ends: T;
  asns: Uint32Array;
}

/**
 * Loads the range files into sorted typed arrays (about 5 MB for IPv4) and answers by
 * binary search. IPv6 ranges are kept to their upper 64 bits: allocations are never
 * smaller than a /64 in practice, and u64 arrays avoid a BigInt per comparison.
 */
export function openAsnLookup(paths = defaultAsnDbPaths()): AsnLookup {
  const names = new Map<number, string>();
  const v4 = loadTable(paths.ipv4, names, false) as RangeTable<Uint32Array>;
  const v6 = loadTable(paths.ipv6, names, true) as RangeTable<BigUint64Array>;
  const info = (asn: number): AsnInfo => ({ asn, name: names.get(asn) ?? '' });
  return {
    asn(ip: string): AsnInfo | null {
      const addr = ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
      const kind = net.isIP(addr);
      if (kind === 4) {
        const i = find(v4, ipv4ToNumber(addr));
        return i < 0 ? null : info(v4.asns[i]);
      }
      if (kind === 6) {
        const i = find(v6, ipv6High64(addr));
        return i < 0 ? null : info(v6.asns[i]);
      }
      return null;
    },
  };
}

/**
 * Parses `start,end,asn,name` rows straight from the bytes into preallocated arrays: a
 * string split per row made loading take over a second, and it runs on every analysis.
 * `bound` turns a decimal address into the table's key; IPv4 keys are parsed in place.
 */
function loadTable(file: string, names: Map<number, string>, v6: boolean): RangeTable<Uint32Array | BigUint64Array> {
  const buf = fs.readFileSync(file);
  let rows = 1;
  for (let i = 0; i < buf.length; i++) if (buf[i] === 10) rows++;
  const starts4 = v6 ? null : new Uint32Array(rows);
  const ends4 = v6 ? null : new Uint32Array(rows);
  const starts6 = v6 ? new BigUint64Array(rows) : null;
  const ends6 = v6 ? new BigUint64Array(rows) : null;
  const asns = new Uint32Array(rows);
  let n = 0;
  let pos = 0;
  const len = buf.length;
  while (pos < len) {
    let i = pos;
    let lo = 0;
    while (i < len && buf[i] !== 44 && buf[i] !== 10) lo = lo * 10 + buf[i++] - 48;
    const a = i++;
    let hi = 0;
    while (i < len && buf[i] !== 44 && buf[i] !== 10) hi = hi * 10 + buf[i++] - 48;
    const b = i++;
    let asn = 0;
    while (i < len && buf[i] >= 48 && buf[i] <= 57) asn = asn * 10 + buf[i++] - 48;
    const c = i;
    while (i < len && buf[i] !== 10) i++;
    if (a > pos && buf[a] === 44 && buf[b] === 44 && buf[c] === 44) {
      if (starts6 && ends6) {
        starts6[n] = BigInt(buf.toString('latin1', pos, a)) >> 64n;
        ends6[n] = BigInt(buf.toString('latin1', a + 1, b)) >> 64n;
      } else if (starts4 && ends4) {
        starts4[n] = lo;
        ends4[n] = hi;
      }
      asns[n] = asn;
      if (!names.has(asn)) names.set(asn, unquote(buf.toString('utf8', c + 1, i).trim()));
      n++;
    }
    pos = i + 1;
  }
  const starts = starts6 ?? starts4;
  const ends = ends6 ?? ends4;
  if (!starts || !ends) throw new Error('unreachable');
  return { starts: starts.subarray(0, n), ends: ends.subarray(0, n), asns: asns.subarray(0, n) };
}

function find<T extends Uint32Array | BigUint64Array>(table: RangeTable<T>, key: T extends Uint32Array ? number : bigint): number {
  const { starts, ends } = table;
  let lo = 0;
  let hi = starts.length - 1;
  let at = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid] <= key) {
      at = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return at >= 0 && key <= ends[at] ? at : -1;
}

function unquote(s: string): string {
  return s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1).replace(/""/g, '"') : s;
}

export function ipv4ToNumber(ip: string): number {
  let n = 0;
  for (const part of ip.split('.')) n = n * 256 + Number(part);
  return n;
}

/** The upper 64 bits of an IPv6 address (which the routing tables key on). */
export function ipv6High64(ip: string): bigint {
  const [head, tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = ip.includes('::') && tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  let v = 0n;
  for (let i = 0; i < 4; i++) v = (v << 16n) | BigInt(parseInt(groups[i] || '0', 16) || 0);
  return v;
}
