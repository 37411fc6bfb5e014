import { BloomFilter } from './bloom.js';
import { hashString } from './hash.js';
import { HyperLogLog } from './hyperloglog.js';
import { HashedCounter } from './hashed-counter.js';
import type { LineParser, LineRecord } from './line-parser.js';

/** Seconds before a window in which sources are not trusted as "seen before" (ramp-up). */
export const PRE_WINDOW_MARGIN_S = 180;
const BLOOM_LOG2_BITS = 23;
/** Exact per-source counters per window; further new sources are only counted in the HLL. */
export const MAX_SOURCES_PER_WINDOW = 2_000_000;
const MAX_KEYS = 2000;
export const OTHER = '(other)';

/** Everything the second pass keeps about one attack window (mergeable across workers). */
export interface WindowTally {
  requests: number;
  bytes: number;
  sources: Map<string, number>;
  untrackedRequests: number;
  sourceHll: Uint8Array;
  userAgents: Map<string, number>;
  paths: Map<string, number>;
  methods: Map<string, number>;
  statuses: Map<string, number>;
  withQuery: number;
  emptyAgent: number;
  /** Distinct full request targets (path + query), to spot randomised query strings. */
  targetHll: Uint8Array;
}

export interface WindowPassData {
  tallies: WindowTally[];
  /** segments[k]: sources seen before window k (and after window k-1), as Bloom bits. */
  segments: Uint32Array[];
}

function bump(map: Map<string, number>, key: string, n = 1, cap = MAX_KEYS): void {
  const v = map.get(key);
  if (v !== undefined) map.set(key, v + n);
  else if (map.size < cap) map.set(key, n);
  else map.set(OTHER, (map.get(OTHER) ?? 0) + n);
}

interface LiveTally {
  requests: number;
  bytes: number;
  withQuery: number;
  sources: HashedCounter;
  userAgents: HashedCounter;
  paths: HashedCounter;
  methods: HashedCounter;
  statuses: Float64Array;
  sourceHll: HyperLogLog;
  targetHll: HyperLogLog;
}

/**
 * Second pass: exact tallies inside the windows found by the first pass, and for the
 * quiet periods between them a Bloom filter of the sources seen (to tell new sources
 * from returning ones and to keep regular visitors off the blocklist).
 */
export class WindowCollector {
  private readonly live: LiveTally[];
  private readonly blooms: BloomFilter[];

  constructor(private readonly windows: readonly { start: number; end: number }[]) {
    this.live = windows.map(() => ({
      requests: 0,
      bytes: 0,
      withQuery: 0,
      sources: new HashedCounter(MAX_SOURCES_PER_WINDOW),
      userAgents: new HashedCounter(MAX_KEYS),
      paths: new HashedCounter(MAX_KEYS),
      methods: new HashedCounter(50),
      statuses: new Float64Array(1000),
      sourceHll: new HyperLogLog(14),
      targetHll: new HyperLogLog(12),
    }));
    this.blooms = windows.map(() => new BloomFilter(BLOOM_LOG2_BITS));
  }

  /**
   * What a line at time `t` is for: the quiet period before window k (returns k), window k
   * itself (returns windows + k), or nothing (-1: a ramp-up margin or after the last window).
   */
  classify(t: number): number {
    const ws = this.windows;
    for (let k = 0; k < ws.length; k++) {
      if (t < ws[k].start - PRE_WINDOW_MARGIN_S) return k === 0 || t >= ws[k - 1].end ? k : -1;
      if (t < ws[k].start) return -1;
      if (t < ws[k].end) return ws.length + k;
    }
    return -1;
  }

  addQuiet(k: number, ipHash: number): void {
    this.blooms[k].add(ipHash);
  }

  /** A fully parsed line. */
  add(rec: LineRecord, parser: LineParser): void {
    const c = this.classify(rec.t);
    if (c < 0) return;
    if (c < this.windows.length) this.blooms[c].add(rec.ipHash);
    else this.inWindow(this.live[c - this.windows.length], rec, parser);
  }

  private inWindow(tally: LiveTally, rec: LineRecord, parser: LineParser): void {
    tally.requests++;
    tally.bytes += rec.bytes;
    tally.sourceHll.add(rec.ipHash);
    tally.sources.add(rec.ipHash, () => parser.ip());
    tally.userAgents.add(parser.fieldHash('userAgent'), () => parser.userAgent());
    if (parser.hasQuery()) tally.withQuery++;
    tally.targetHll.add(parser.fieldHash('target'));
    tally.paths.add(parser.fieldHash('path'), () => parser.path());
    tally.methods.add(parser.fieldHash('method'), () => parser.method());
    tally.statuses[rec.status % 1000]++;
  }

  data(): WindowPassData {
    const tallies = this.live.map((l): WindowTally => {
      const statuses = new Map<string, number>();
      l.statuses.forEach((n, code) => n > 0 && statuses.set(String(code), n));
      const userAgents = l.userAgents.toMap(OTHER);
      return {
        requests: l.requests,
        bytes: l.bytes,
        sources: l.sources.toMap(),
        untrackedRequests: l.sources.overflow,
        sourceHll: l.sourceHll.registers,
        userAgents,
        paths: l.paths.toMap(OTHER),
        methods: l.methods.toMap(OTHER),
        statuses,
        withQuery: l.withQuery,
        emptyAgent: userAgents.get('') ?? 0,
        targetHll: l.targetHll.registers,
      };
    });
    return { tallies, segments: this.blooms.map((b) => b.bits) };
  }
}

/** Merges the second-pass results of several workers. */
export function mergeWindowPasses(parts: readonly WindowPassData[]): WindowPassData {
  const [first, ...rest] = parts;
  for (const p of rest) {
    p.tallies.forEach((t, k) => {
      const into = first.tallies[k];
      into.requests += t.requests;
      into.bytes += t.bytes;
      into.untrackedRequests += t.untrackedRequests;
      into.withQuery += t.withQuery;
      into.emptyAgent += t.emptyAgent;
      for (const [ip, n] of t.sources) {
        const v = into.sources.get(ip);
        if (v !== undefined) into.sources.set(ip, v + n);
        else if (into.sources.size < MAX_SOURCES_PER_WINDOW) into.sources.set(ip, n);
        else into.untrackedRequests += n;
      }
      for (const key of ['userAgents', 'paths', 'methods', 'statuses'] as const) {
        for (const [name, n] of t[key]) bump(into[key], name, n);
      }
      new HyperLogLog(14, into.sourceHll).merge(t.sourceHll);
      new HyperLogLog(12, into.targetHll).merge(t.targetHll);
    });
    p.segments.forEach((bits, k) => new BloomFilter(BLOOM_LOG2_BITS, first.segments[k]).merge(bits));
  }
  return first;
}

/** True when the source was seen in a quiet period before window `k`. */
export function seenBefore(data: WindowPassData, k: number): (ip: string) => boolean {
  const blooms = data.segments.slice(0, k + 1).map((bits) => new BloomFilter(BLOOM_LOG2_BITS, bits));
  return (ip: string) => {
    const h = hashString(ip);
    return blooms.some((b) => b.has(h));
  };
}
