import { FirstSeenSketch } from './first-seen.js';
import { hashString } from './hash.js';
import { HyperLogLog } from './hyperloglog.js';
import { HashedCounter } from './hashed-counter.js';
import type { LineParser, LineRecord } from './line-parser.js';

/** Sources first seen this close before a window count as new (they may be its ramp-up). */
export const PRE_WINDOW_MARGIN_S = 180;
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

/** Second pass: exact tallies inside the windows found by the first pass. */
export class WindowCollector {
  private readonly live: LiveTally[];

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
  }

  /** The window a line at time `t` falls in, or -1. */
  classify(t: number): number {
    const ws = this.windows;
    for (let k = 0; k < ws.length; k++) if (t >= ws[k].start && t < ws[k].end) return k;
    return -1;
  }

  /** A fully parsed line. */
  add(rec: LineRecord, parser: LineParser): void {
    const k = this.classify(rec.t);
    if (k >= 0) this.inWindow(this.live[k], rec, parser);
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
    return { tallies };
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
  }
  return first;
}

/**
 * True when the source was first seen well before the window (a returning client);
 * sources first seen in the ramp-up margin or inside the window count as new.
 */
export function seenBefore(firstSeen: Uint32Array, windowStart: number): (ip: string) => boolean {
  const sketch = new FirstSeenSketch(firstSeen);
  return (ip: string) => sketch.firstSeen(hashString(ip)) < windowStart - PRE_WINDOW_MARGIN_S;
}
