import type { Detector } from '../detect/detector.js';
import type { CorpusFile } from './load-corpus.js';
import { PROFILES, PROFILE_NAMES } from './profiles.js';
import type { ProfileName } from './profiles.js';
import { scoreCorpus } from './score-corpus.js';
import { normalise } from './threshold-sweep.js';

/** Runs one detector over one file from scratch, one record at a time (no look-ahead). */
export function runFile(create: () => Detector, file: CorpusFile): Float64Array {
  const d = create();
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

/** Points per second over the whole corpus, best of `repeats` passes (the machine is shared). */
export function measureThroughput(create: () => Detector, corpus: readonly CorpusFile[], repeats: number): number {
  let points = 0;
  for (const f of corpus) points += f.values.length;
  let best = 0;
  for (let r = 0; r < repeats; r++) {
    const start = process.hrtime.bigint();
    let sink = 0;
    for (const f of corpus) {
      const d = create();
      const { times, values } = f;
      for (let i = 0; i < values.length; i++) sink += d.update({ t: times[i], value: values[i] }).score;
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (Number.isNaN(sink)) throw new Error('detector produced NaN');
    best = Math.max(best, points / seconds);
  }
  return best;
}
