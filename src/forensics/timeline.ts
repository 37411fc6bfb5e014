import { FirstSeenSketch } from './first-seen.js';
import { addToRegisters, estimate, HyperLogLog, mergeRegisters } from './hyperloglog.js';
import type { LineRecord } from './line-parser.js';

/** Per-minute distinct-source counters: 2^8 registers each (about 6.5% standard error). */
const MINUTE_P = 8;
const MINUTE_M = 1 << MINUTE_P;
/** Lines further than this from the first line's time are counted as bad (a garbled year). */
const MAX_SPAN_S = 400 * 86400;

/** What the first pass produces, in a form worker threads can transfer and merge. */
export interface TimelineData {
  /** Unix second of index 0 (a whole minute). */
  base: number;
  /** Seconds covered. */
  length: number;
  requests: Float64Array;
  bytes: Float64Array;
  /** Status classes 1xx..5xx interleaved: index = second * 5 + class - 1. */
  statusClasses: Float64Array;
  /** HyperLogLog registers per minute: index = minute * 256 + register. */
  minuteSources: Uint8Array;
  /** Whole-log distinct sources. */
  sources: Uint8Array;
  /** When each source was first seen (see first-seen.ts). */
  firstSeen: Uint32Array;
  /** Sampled (time, byte offset) pairs per plain input, to read only the windows again. */
  index: FileIndex[];
  lines: number;
  badLines: number;
  badSamples: string[];
}

export interface FileIndex {
  path: string;
  t: number[];
  offset: number[];
}

/** Accumulates the per-second timeline of one or more line ranges. */
export class TimelineBuilder {
  private base = 0;
  private cap = 0;
  private requests = new Float64Array(0);
  private bytes = new Float64Array(0);
  private statusClasses = new Float64Array(0);
  private minuteSources = new Uint8Array(0);
  private readonly sources = new HyperLogLog(14);
  private readonly firstSeen = new FirstSeenSketch();
  private first = Number.NaN;
  readonly index: FileIndex[] = [];
  lines = 0;
  badLines = 0;
  readonly badSamples: string[] = [];

  add(rec: LineRecord): boolean {
    const t = rec.t;
    if (this.first !== this.first) this.first = t;
    if (Math.abs(t - this.first) > MAX_SPAN_S) return false;
    let i = t - this.base;
    if (i < 0 || i >= this.cap) {
      this.grow(t);
      i = t - this.base;
    }
    this.lines++;
    this.requests[i]++;
    this.bytes[i] += rec.bytes;
    const cls = (rec.status / 100) | 0;
    if (cls >= 1 && cls <= 5) this.statusClasses[i * 5 + cls - 1]++;
    addToRegisters(this.minuteSources, ((i / 60) | 0) * MINUTE_M, MINUTE_P, 32 - MINUTE_P, rec.ipHash);
    this.sources.add(rec.ipHash);
    this.firstSeen.add(rec.ipHash, t);
    return true;
  }

  bad(sample: () => string): void {
    this.badLines++;
    if (this.badSamples.length < 20) this.badSamples.push(sample().slice(0, 500));
  }

  private grow(t: number): void {
    const newBase = this.cap === 0 ? Math.floor(t / 60) * 60 - 3600 : Math.min(this.base, Math.floor(t / 60) * 60 - 3600);
    const end = Math.max(this.base + this.cap, t + 1);
    const newCap = Math.ceil(Math.max(end - newBase, this.cap * 2, 7200) / 60) * 60;
    const shift = this.base - newBase;
    const copy = <T extends Float64Array | Uint8Array>(old: T, make: (n: number) => T, per: number): T => {
      const next = make(newCap * per);
      if (this.cap > 0) next.set(old, shift * per);
      return next;
    };
    this.requests = copy(this.requests, (n) => new Float64Array(n), 1);
    this.bytes = copy(this.bytes, (n) => new Float64Array(n), 1);
    this.statusClasses = copy(this.statusClasses, (n) => new Float64Array(n), 5);
    const minutes = new Uint8Array((newCap / 60) * MINUTE_M);
    if (this.cap > 0) minutes.set(this.minuteSources, (shift / 60) * MINUTE_M);
    this.minuteSources = minutes;
    this.base = newBase;
    this.cap = newCap;
  }

  data(): TimelineData {
    return {
      base: this.base,
      length: this.cap,
      requests: this.requests,
      bytes: this.bytes,
      statusClasses: this.statusClasses,
      minuteSources: this.minuteSources,
      sources: this.sources.registers,
      firstSeen: this.firstSeen.cells,
      index: this.index,
      lines: this.lines,
      badLines: this.badLines,
      badSamples: this.badSamples,
    };
  }
}

/** Merges partial timelines (from workers) into one, trimmed to the seconds with data. */
export function mergeTimelines(parts: readonly TimelineData[]): TimelineData {
  const used = parts.filter((p) => p.length > 0);
  const lines = parts.reduce((s, p) => s + p.lines, 0);
  const badLines = parts.reduce((s, p) => s + p.badLines, 0);
  const badSamples = parts.flatMap((p) => p.badSamples).slice(0, 20);
  const sources = new HyperLogLog(14);
  for (const p of parts) sources.merge(p.sources);
  const firstSeen = new FirstSeenSketch(parts[0]?.firstSeen);
  for (const p of parts.slice(1)) firstSeen.merge(p.firstSeen);
  const index = parts.flatMap((p) => p.index);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const p of used) {
    for (let i = 0; i < p.length; i++) if (p.requests[i] > 0) { lo = Math.min(lo, p.base + i); break; }
    for (let i = p.length - 1; i >= 0; i--) if (p.requests[i] > 0) { hi = Math.max(hi, p.base + i); break; }
  }
  if (!Number.isFinite(lo)) {
    return { base: 0, length: 0, requests: new Float64Array(0), bytes: new Float64Array(0), statusClasses: new Float64Array(0), minuteSources: new Uint8Array(0), sources: sources.registers, firstSeen: firstSeen.cells, index, lines, badLines, badSamples };
  }
  const base = Math.floor(lo / 60) * 60;
  const length = Math.ceil((hi + 1 - base) / 60) * 60;
  const out: TimelineData = {
    base,
    length,
    requests: new Float64Array(length),
    bytes: new Float64Array(length),
    statusClasses: new Float64Array(length * 5),
    minuteSources: new Uint8Array((length / 60) * MINUTE_M),
    sources: sources.registers,
    firstSeen: firstSeen.cells,
    index,
    lines,
    badLines,
    badSamples,
  };
  for (const p of used) {
    const from = Math.max(0, base - p.base);
    const to = Math.min(p.length, base + length - p.base);
    for (let i = from; i < to; i++) {
      const j = p.base + i - base;
      out.requests[j] += p.requests[i];
      out.bytes[j] += p.bytes[i];
      for (let c = 0; c < 5; c++) out.statusClasses[j * 5 + c] += p.statusClasses[i * 5 + c];
    }
    for (let m = Math.floor(from / 60); m < Math.ceil(to / 60); m++) {
      const j = (p.base - base) / 60 + m;
      mergeRegisters(out.minuteSources, j * MINUTE_M, p.minuteSources, m * MINUTE_M, MINUTE_M);
    }
  }
  return out;
}

export function minuteDistinct(data: TimelineData, minute: number): number {
  return estimate(data.minuteSources, minute * MINUTE_M, MINUTE_M);
}
