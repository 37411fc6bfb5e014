import type { Detector } from '../detect/detector.js';
import { probationLength } from './labelled-file.js';
import type { CorpusFile } from './load-corpus.js';
import { PROFILES, PROFILE_NAMES } from './profiles.js';
import type { ProfileName } from './profiles.js';
import { scoreCorpus } from './score-corpus.js';
import { normalise } from './threshold-sweep.js';

/**
 * Makes a detector for one file. NAB gives every detector the file's probationary period
 * (SCORING.md §5: rows it may learn from, which are not scored); detectors may ignore it.
 */
export type DetectorFactory = (probationaryPeriod: number) => Detector;

/** Runs one detector over one file from scratch, one record at a time (no look-ahead). */
export function runFile(create: DetectorFactory, file: CorpusFile): Float64Array {
  const d = create(probationLength(file.values.length));
  const scores = new Float64Array(file.values.length);
  const { times, values } = file;
  for (let i = 0; i < values.length; i++) scores[i] = d.update({ t: times[i], value: values[i] }).score;
  return scores;
}

export interface ProfileResult {
  score: number;
  rawScore: number;
  threshold: number;
  /** Per category, at the corpus threshold, normalised with the category's own window count. */
  categories: Record<string, { score: number | null; rawScore: number; windows: number; falsePositives: number }>;
}

export interface FileDetail {
  name: string;
  rows: number;
  windows: number;
  /** Rows at or above the standard profile's threshold, outside probation. */
  detections: number;
  raw: Record<ProfileName, number>;
  windowsHit: Record<ProfileName, number>;
  falsePositives: Record<ProfileName, number>;
}

export interface DetectorResult {
  profiles: Record<ProfileName, ProfileResult>;
  files: FileDetail[];
}

/** Scores a detector's output on every file under the three NAB profiles. */
export function scoreDetector(corpus: readonly CorpusFile[], scores: readonly Float64Array[]): DetectorResult {
  const labelled = corpus.map((f, i) => ({ name: f.name, scores: scores[i], windows: f.windows }));
  const profiles = {} as Record<ProfileName, ProfileResult>;
  const files: FileDetail[] = corpus.map((f) => ({
    name: f.name,
    rows: f.values.length,
    windows: f.windows.length,
    detections: 0,
    raw: {} as Record<ProfileName, number>,
    windowsHit: {} as Record<ProfileName, number>,
    falsePositives: {} as Record<ProfileName, number>,
  }));
  for (const name of PROFILE_NAMES) {
    const cost = PROFILES[name];
    const result = scoreCorpus(labelled, cost);
    const categories: ProfileResult['categories'] = {};
    result.files.forEach((fs, i) => {
      files[i].raw[name] = fs.rawScore;
      files[i].windowsHit[name] = fs.windowsHit;
      files[i].falsePositives[name] = fs.falsePositives;
      if (name === 'standard') files[i].detections = fs.detections;
      const c = (categories[corpus[i].category] ??= { score: null, rawScore: 0, windows: 0, falsePositives: 0 });
      c.rawScore += fs.rawScore;
      c.windows += fs.windows;
      c.falsePositives += fs.falsePositives;
    });
    for (const c of Object.values(categories)) c.score = c.windows > 0 ? normalise(c.rawScore, c.windows, cost) : null;
    profiles[name] = { score: result.score, rawScore: result.rawScore, threshold: result.threshold, categories };
  }
  return { profiles, files };
}

export interface Throughput {
  /** Points per second of this thread's CPU time: what the detector costs. */
  cpu: number;
  /** Points per second of elapsed time: the above plus whatever else the machine was doing. */
  wall: number;
}

/**
 * Points per second over the whole corpus, best of `repeats` passes. The machine is shared
 * (other suites run beside it), so elapsed time mostly measures the scheduler; CPU time
 * (process.cpuUsage, user + system) is the detector's own cost. Both are reported.
 */
export function measureThroughput(create: DetectorFactory, corpus: readonly CorpusFile[], repeats: number): Throughput {
  let points = 0;
  for (const f of corpus) points += f.values.length;
  const best: Throughput = { cpu: 0, wall: 0 };
  for (let r = 0; r < repeats; r++) {
    const start = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    let sink = 0;
    for (const f of corpus) {
      const d = create(probationLength(f.values.length));
      const { times, values } = f;
      for (let i = 0; i < values.length; i++) sink += d.update({ t: times[i], value: values[i] }).score;
    }
    const used = process.cpuUsage(cpu);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (Number.isNaN(sink)) throw new Error('detector produced NaN');
    best.cpu = Math.max(best.cpu, points / ((used.user + used.system) / 1e6));
    best.wall = Math.max(best.wall, points / seconds);
  }
  return best;
}
