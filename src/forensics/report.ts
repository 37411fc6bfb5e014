import type { AttackWindow } from './attack-windows.js';
import { attribute, attributionSummary, type Breakdown, type Geo } from './attribution.js';
import { isFloodAgent, scoreBotnet } from './botnet-score.js';
import { estimate } from './hyperloglog.js';
import { minuteDistinct, type TimelineData } from './timeline.js';
import type { WindowTally } from './window-collector.js';

export interface Ranked {
  value: string;
  requests: number;
}

export interface AttackReport {
  start: string;
  end: string;
  start_unix: number;
  end_unix: number;
  duration_s: number;
  peak_rps: number;
  baseline_rps: number;
  requests: number;
  extra_requests: number;
  /** Distinct source addresses in the window. */
  sources: number;
  new_source_share: number;
  countries: Breakdown[];
  country_count: number;
  asns: Breakdown[];
  asn_count: number;
  top_ips: { ip: string; requests: number; country: string | null; asn: number | null }[];
  top_prefixes: Breakdown[];
  user_agents: Ranked[];
  paths: Ranked[];
  methods: Ranked[];
  statuses: Ranked[];
  /** Requests per minute per source, over the sources tracked exactly. */
  source_rate_per_min: { p50: number; p90: number; p99: number; max: number };
  botnet_score: number;
  reasons: string[];
  indicators: Record<string, number>;
  attribution: string;
  blocklist_threshold?: number;
  blocked_sources?: number;
}

/** Per-second series, kept for logs spanning up to two days (null beyond, to bound size). */
export interface PerSecond {
  start: number;
  requests: number[];
  bytes: number[];
  /** status[c][i]: responses of class (c+1)xx in second i. */
  status: number[][];
}

export interface MinutePoint {
  t: number;
  requests: number;
  sources: number;
  bytes: number;
  status: [number, number, number, number, number];
}

/** The whole report; `--json` writes exactly this. */
export interface ForensicsReport {
  generated_at: string;
  inputs: string[];
  format: string;
  lines: number;
  bad_lines: number;
  bad_samples: string[];
  first: string | null;
  last: string | null;
  sources: number;
  attacks: AttackReport[];
  timeline: { per_minute: MinutePoint[]; per_second: PerSecond | null };
  data_sources: string[];
}

const TOP = 20;

function ranked(m: Map<string, number>, n = TOP): Ranked[] {
  return [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([value, requests]) => ({ value, requests }));
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0;
}

const iso = (sec: number): string => new Date(sec * 1000).toISOString().replace('.000Z', 'Z');

/** Turns one window's tallies into its section of the report. */
export function buildAttackReport(w: AttackWindow, tally: WindowTally, geo: Geo, seenBefore: (ip: string) => boolean): AttackReport {
  const a = attribute(tally.sources, geo);
  const distinct = tally.sources.size >= 100_000 ? estimate(tally.sourceHll, 0, tally.sourceHll.length) : tally.sources.size;
  let fresh = 0;
  for (const s of a.sources) if (!seenBefore(s.ip)) fresh++;
  const newShare = a.sources.length ? fresh / a.sources.length : 0;
  const minutes = Math.max(1, (w.end - w.start) / 60);
  const rates = a.sources.map((s) => s.requests / minutes).sort((x, y) => x - y);
  const top10 = a.sources.slice(0, 10).reduce((s, x) => s + x.requests, 0);
  let floodAgentRequests = 0;
  for (const [ua, n] of tally.userAgents) if (isFloodAgent(ua)) floodAgentRequests += n;
  const req = Math.max(1, tally.requests);
  const verdict = scoreBotnet({
    sources: distinct,
    requests: tally.requests,
    top10Share: top10 / req,
    newSourceShare: newShare,
    floodAgentShare: floodAgentRequests / req,
    queryShare: tally.withQuery / req,
    targetVariety: estimate(tally.targetHll, 0, tally.targetHll.length) / req,
    hostingShare: a.hostingShare,
    countries: a.countries.filter((c) => c.key !== '??').length,
  });
  const round = (x: number): number => Math.round(x * 100) / 100;
  return {
    start: iso(w.start),
    end: iso(w.end),
    start_unix: w.start,
    end_unix: w.end,
    duration_s: w.end - w.start,
    peak_rps: w.peakRps,
    baseline_rps: w.baselineRps,
    requests: w.requests,
    extra_requests: w.extraRequests,
    sources: distinct,
    new_source_share: round(newShare * 100) / 100,
    countries: a.countries.slice(0, 50),
    country_count: a.countries.filter((c) => c.key !== '??').length,
    asns: a.asns.slice(0, 50),
    asn_count: a.asns.length,
    top_ips: a.sources.slice(0, 50),
    top_prefixes: a.prefixes.slice(0, 30),
    user_agents: ranked(tally.userAgents).map((r) => ({ ...r, value: r.value || '(none)' })),
    paths: ranked(tally.paths),
    methods: ranked(tally.methods),
    statuses: ranked(tally.statuses),
    source_rate_per_min: { p50: round(quantile(rates, 0.5)), p90: round(quantile(rates, 0.9)), p99: round(quantile(rates, 0.99)), max: round(rates[rates.length - 1] ?? 0) },
    botnet_score: verdict.score,
    reasons: verdict.reasons,
    indicators: verdict.indicators,
    attribution: attributionSummary(a, distinct, newShare),
  };
}

export function timelinePoints(data: TimelineData): ForensicsReport['timeline'] {
  const per_minute: MinutePoint[] = [];
  for (let m = 0; m < data.length / 60; m++) {
    let requests = 0;
    let bytes = 0;
    const status: MinutePoint['status'] = [0, 0, 0, 0, 0];
    for (let i = m * 60; i < (m + 1) * 60; i++) {
      requests += data.requests[i];
      bytes += data.bytes[i];
      for (let c = 0; c < 5; c++) status[c] += data.statusClasses[i * 5 + c];
    }
    per_minute.push({ t: data.base + m * 60, requests, sources: requests ? minuteDistinct(data, m) : 0, bytes, status });
  }
  const perSecond: PerSecond | null =
    data.length <= 2 * 86400
      ? {
          start: data.base,
          requests: Array.from(data.requests),
          bytes: Array.from(data.bytes),
          status: [0, 1, 2, 3, 4].map((c) => Array.from({ length: data.length }, (_, i) => data.statusClasses[i * 5 + c])),
        }
      : null;
  return { per_minute, per_second: perSecond };
}

export { iso };
