import { findAttackWindows, type WindowOptions } from './attack-windows.js';
import type { Geo } from './attribution.js';
import { selectBlocked } from './blocklist.js';
import { detectFormat } from './detect-format.js';
import { estimate } from './hyperloglog.js';
import { openInputs, planTasks, readSample } from './input-files.js';
import type { JsonFieldNames } from './json-parser.js';
import type { LogFormat } from './line-parser.js';
import { buildAttackReport, iso, timelinePoints, type ForensicsReport } from './report.js';
import { runTimelinePass, runWindowPass } from './run-passes.js';
import { seenBefore } from './window-collector.js';
import { planWindowTasks } from './window-tasks.js';

/** Progress in input bytes; the CLI draws a bar with it on a terminal. */
export interface ProgressSink {
  start(totalBytes: number, label: string): void;
  add(bytes: number): void;
  stop(): void;
}

export interface AnalyzeOptions {
  inputs: readonly string[];
  format?: LogFormat | 'auto';
  jsonFields?: JsonFieldNames;
  /**
   * Worker threads per pass; default 1. On the 2-core benchmark machine two workers were
   * slower (thread start-up, merging the 32 MB first-seen sketches, a busy second core).
   */
  workers?: number;
  /** Offline geography; loaded by the caller so tests and the CLI can share one copy. */
  geo?: () => Geo;
  progress?: ProgressSink;
  windows?: Partial<WindowOptions>;
  stdin?: NodeJS.ReadableStream;
}

export interface AnalyzeResult {
  report: ForensicsReport;
  /** Sources to block over all attack windows. */
  blocklist: string[];
}

export const DATA_SOURCES = [
  'Countries: @ip-location-db/geo-whois-asn-country-mmdb 2.3.2026061719 (RIR whois, GeoFeed and ASN data; CC BY 4.0, NRO, nro.net)',
  'ASNs: @ip-location-db/asn 2.3.2026061719 (RouteViews, the five RIRs and DB-IP ASN Lite; CC BY 4.0, routeviews.org and DB-IP.com)',
];

/**
 * `stormwatch analyze`: two passes over the inputs. The first builds the per-second
 * timeline (on which the detector finds the attack windows) and notes when each source
 * first appeared; the second re-reads only the byte ranges around the windows and tallies
 * sources, agents and paths inside them (so memory follows the attack, not the log).
 */
export async function analyzeLogs(options: AnalyzeOptions): Promise<AnalyzeResult> {
  const { files, cleanup } = await openInputs(options.inputs, options.stdin);
  try {
    if (files.length === 0) throw new Error('no input files');
    const format = !options.format || options.format === 'auto' ? detectFormat(await readSample(files[0]), options.jsonFields) : options.format;
    const workers = options.workers ?? 1;
    const tasks = planTasks(files, workers);
    const pass = { format, jsonFields: options.jsonFields };
    const totalBytes = files.reduce((s, f) => s + f.size, 0);

    options.progress?.start(totalBytes, 'timeline');
    const timeline = await runTimelinePass(tasks, pass, workers, (n) => options.progress?.add(n));
    options.progress?.stop();

    const windows = findAttackWindows(timeline.base, timeline.requests, options.windows);
    const report: ForensicsReport = {
      generated_at: new Date().toISOString(),
      inputs: files.map((f) => f.name),
      format,
      lines: timeline.lines,
      bad_lines: timeline.badLines,
      bad_samples: timeline.badSamples,
      first: timeline.length ? iso(timeline.base + firstNonZero(timeline.requests)) : null,
      last: timeline.length ? iso(timeline.base + lastNonZero(timeline.requests)) : null,
      sources: estimate(timeline.sources, 0, timeline.sources.length),
      attacks: [],
      timeline: timelinePoints(timeline),
      data_sources: DATA_SOURCES,
    };
    const blocked = new Set<string>();
    if (windows.length > 0) {
      const spans = windows.map((w) => ({ start: w.start, end: w.end }));
      const windowTasks = planWindowTasks(files, timeline.index, spans, workers);
      options.progress?.start(windowTasks.reduce((s, t) => s + (Number.isFinite(t.end) ? t.end - t.start : t.file.size - t.start), 0), 'attack windows');
      const pending = runWindowPass(windowTasks, pass, spans, workers, (n) => options.progress?.add(n));
      // Loading the geo tables takes a few hundred ms; with worker threads it overlaps the pass.
      const geo = options.geo?.() ?? {};
      const windowData = await pending;
      options.progress?.stop();
      windows.forEach((w, k) => {
        const before = seenBefore(timeline.firstSeen, w.start);
        const attack = buildAttackReport(w, windowData.tallies[k], geo, before);
        const selection = selectBlocked(windowData.tallies[k].sources, before);
        attack.blocklist_threshold = selection.threshold;
        attack.blocked_sources = selection.ips.length;
        for (const ip of selection.ips) blocked.add(ip);
        report.attacks.push(attack);
      });
    }
    return { report, blocklist: [...blocked].sort() };
  } finally {
    cleanup();
  }
}

function firstNonZero(xs: Float64Array): number {
  for (let i = 0; i < xs.length; i++) if (xs[i] > 0) return i;
  return 0;
}

function lastNonZero(xs: Float64Array): number {
  for (let i = xs.length - 1; i >= 0; i--) if (xs[i] > 0) return i;
  return 0;
}
