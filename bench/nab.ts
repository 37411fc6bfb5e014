/**
 * `npm run bench:nab`: the Stormwatch detector on the NAB subset in ../shared/nab, scored with
 * NAB's method (src/nab), beside two baselines scored in the same run (null, windowed Gaussian)
 * as a check of the scorer, and the parts of its score on their own. Each detector gets the
 * file's probationary period, as NAB gives it to every detector. Writes bench/results/nab.json.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDetector } from '../src/detect/detector.js';
import { findCorpus, loadCorpus } from '../src/nab/load-corpus.js';
import { createNullDetector } from '../src/nab/null-detector.js';
import { createWindowedGaussian } from '../src/nab/windowed-gaussian.js';
import { measureThroughput, runFile, scoreDetector } from '../src/nab/run-benchmark.js';
import type { DetectorFactory, DetectorResult } from '../src/nab/run-benchmark.js';
import { PROFILE_NAMES } from '../src/nab/profiles.js';
import { resultsPath, writeResults } from './results-file.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = findCorpus(repo);

/** Full-corpus numbers from SCORING.md §9 (58 files, 116 windows): not comparable with the subset. */
const PUBLISHED: [string, number, number, number][] = [
  ['ARTime', 74.9, 65.1, 80.4],
  ['Numenta HTM', 70.5, 62.6, 75.2],
  ['CAD OSE', 69.9, 67.0, 73.2],
  ['earthgecko Skyline', 58.2, 46.2, 63.9],
  ['KNN CAD', 58.0, 43.4, 64.8],
  ['Relative Entropy', 54.6, 47.6, 58.8],
  ['Random Cut Forest', 51.7, 38.4, 59.7],
  ['Twitter ADVec', 47.1, 33.6, 53.5],
  ['Windowed Gaussian', 39.6, 20.9, 47.4],
  ['Etsy Skyline', 35.7, 27.1, 44.5],
  ['Null', 0, 0, 0],
];

/**
 * Published per-file results of three detectors (numenta/NAB results/<detector>/<detector>_<profile>_scores.csv:
 * raw score per file at the detector's own threshold, chosen by NAB's optimiser on all 58 files),
 * summed over the 44 files of this subset and normalised with its 83 windows (artificialNoAnomaly:
 * false-positive rows). The same files as ours, thresholds chosen on a superset of them.
 */
type Trio = [number, number, number];
const PUBLISHED_ON_SUBSET: { name: string; all: Trio; categories: Record<string, Trio | string> }[] = [
  {
    name: 'ARTime',
    all: [75.3, 65.4, 80.7],
    categories: { realTweets: [81.8, 70.1, 87.9], realAWSCloudwatch: [69.5, 59.0, 75.2], realAdExchange: [75.1, 70.8, 78.7], artificialWithAnomaly: [70.3, 60.6, 74.7], artificialNoAnomaly: '1 FP' },
  },
  {
    name: 'CAD OSE',
    all: [72.1, 69.8, 75.4],
    categories: { realTweets: [74.0, 73.1, 76.6], realAWSCloudwatch: [71.9, 67.3, 75.7], realAdExchange: [71.1, 69.7, 73.6], artificialWithAnomaly: [69.5, 67.1, 74.1], artificialNoAnomaly: '4 FP' },
  },
  {
    name: 'Numenta HTM',
    all: [64.8, 58.2, 68.6],
    categories: { realTweets: [67.5, 59.2, 72.4], realAWSCloudwatch: [67.6, 64.0, 70.8], realAdExchange: [50.3, 41.9, 52.6], artificialWithAnomaly: [69.3, 62.1, 74.0], artificialNoAnomaly: '0 FP' },
  },
];

if (root === undefined) {
  console.log('bench:nab: no NAB data in ../shared/nab (or $STORMWATCH_NAB_DIR); skipping the benchmark.');
  process.exit(0);
}

const corpus = loadCorpus(root);
const points = corpus.reduce((n, f) => n + f.values.length, 0);
const windows = corpus.reduce((n, f) => n + f.windows.length, 0);
console.log(`NAB subset: ${corpus.length} files, ${points} points, ${windows} windows (${root})`);

const detectors: Record<'stormwatch' | 'windowedGaussian' | 'null', DetectorFactory> = {
  stormwatch: (probation) => createDetector({ learnPoints: probation }),
  windowedGaussian: () => createWindowedGaussian(),
  null: () => createNullDetector(),
};
/** The parts of the score on their own, and the product's default learning period (no file length). */
const variants: Record<string, { note: string; create: DetectorFactory }> = {
  withoutReportMask: { note: 'without the report mask (both opinions of one event count)', create: (probation) => createDetector({ learnPoints: probation, reportMaskWindows: 0 }) },
  withoutRecentRange: { note: 'without the recent range (every resonance score in full)', create: (probation) => createDetector({ learnPoints: probation, inRecentWeight: 1 }) },
  withoutCoarseResonance: { note: 'without the coarse resonance network (block means at twice the step)', create: (probation) => createDetector({ learnPoints: probation, resonanceCoarse: 0 }) },
  withoutCoarseNoise: { note: 'the coarse chomp not covering the noise of block means', create: (probation) => createDetector({ learnPoints: probation, resonanceCoarseNoise: 0 }) },
  resonanceOnly: { note: 'resonance novelty alone', create: (probation) => createDetector({ learnPoints: probation, onsetGate: 2, inRecentWeight: 1 }) },
  onsetOnly: { note: 'onset score alone (the score before resonance novelty)', create: () => createDetector({ resonanceWindow: 0 }) },
  fixedLearning: { note: 'learning 750 rows, whatever the file (no probationary period given)', create: () => createDetector() },
};
const results = {} as Record<keyof typeof detectors, DetectorResult>;
for (const [name, create] of Object.entries(detectors) as [keyof typeof detectors, DetectorFactory][]) {
  results[name] = scoreDetector(corpus, corpus.map((f) => runFile(create, f)));
}
const variantResults = Object.fromEntries(Object.entries(variants).map(([name, v]) => [name, scoreDetector(corpus, corpus.map((f) => runFile(v.create, f)))]));

const repeats = 5;
const ours = measureThroughput(detectors.stormwatch, corpus, repeats);
const peer = measureThroughput(detectors.windowedGaussian, corpus, repeats);

const fmt = (x: number | null): string => (x === null ? '—' : x.toFixed(1)).padStart(6);
const names = Object.keys(detectors) as (keyof typeof detectors)[];
const categoryNames = [...new Set(corpus.map((f) => f.category))];
const trio = (name: keyof typeof detectors, category?: string): string =>
  PROFILE_NAMES.map((p) => {
    const r = results[name].profiles[p];
    if (category === undefined) return fmt(r.score);
    const c = r.categories[category];
    return c.score === null ? `${c.falsePositives} FP`.padStart(6) : fmt(c.score);
  }).join(' ');
console.log('\nNormalised NAB scores on this subset (null = 0, perfect = 100): standard / low FP / low FN. Each detector at its own');
console.log('corpus-wide thresholds; a category normalised with its own window count; artificialNoAnomaly has no windows: false positives.');
console.log(`${'files'.padEnd(30)}${'windows'.padStart(8)}  ${names.map((n) => n.padEnd(22)).join('')}`);
console.log(`${`all ${corpus.length} files`.padEnd(30)}${String(windows).padStart(8)}  ${names.map((n) => `${trio(n)}  `).join('')}`);
for (const cat of categoryNames) {
  const files = corpus.filter((f) => f.category === cat);
  const w = files.reduce((n, f) => n + f.windows.length, 0);
  console.log(`${`${cat} (${files.length})`.padEnd(30)}${String(w).padStart(8)}  ${names.map((n) => `${trio(n, cat)}  `).join('')}`);
}
const std = (r: DetectorResult, category?: string): string => {
  const p = r.profiles.standard;
  if (category === undefined) return fmt(p.score);
  const c = p.categories[category];
  return c.score === null ? `${c.falsePositives} FP`.padStart(6) : fmt(c.score);
};
const short = (c: string): string => c.replace(/^real/, '').replace('artificialWithAnomaly', 'artWith').replace('artificialNoAnomaly', 'artNo').slice(0, 6);
console.log('\nThe parts of the score, standard:');
console.log(`${''.padEnd(72)}${'all'.padStart(6)}  ${categoryNames.map((c) => short(c).padStart(6)).join(' ')}`);
for (const [name, v] of Object.entries(variants)) {
  console.log(`${v.note.padEnd(72)}${std(variantResults[name])}  ${categoryNames.map((c) => std(variantResults[name], c)).join(' ')}`);
}
// The published sums below are over the 44 files of ../shared/nab; a run on another corpus (the full 58 files, say) can
// compare them per category only.
const isSubset = corpus.length === 44 && windows === 83;
console.log(
  `\nPublished per-file results summed over the 44-file subset (each at its own threshold, chosen on all 58 files), std / low FP / low FN${isSubset ? '' : `; this run has ${corpus.length} files and ${windows} windows, so compare the categories, not "all"`}:`,
);
console.log(`${''.padEnd(30)}${'all'.padStart(20)}  ${categoryNames.map((c) => short(c).padStart(20)).join('  ')}`);
for (const d of PUBLISHED_ON_SUBSET) {
  const cell = (t: Trio | string): string => (typeof t === 'string' ? t.padStart(6) : t.map(fmt).join(' '));
  console.log(`${d.name.padEnd(30)}${cell(d.all)}  ${categoryNames.map((c) => cell(d.categories[c] ?? '—')).join('  ')}`);
}
const isFullCorpus = corpus.length === 58 && windows === 116;
console.log(
  `\nPublished scoreboard: the FULL corpus, 58 files and 116 windows (${isFullCorpus ? 'as in this run; their thresholds were chosen by NAB as ours are' : `this run: ${corpus.length} files; not directly comparable`})`,
);
for (const [name, a, b, c] of PUBLISHED) console.log(`${name.padEnd(30)}${fmt(a)} ${fmt(b)} ${fmt(c)}`);
const mp = (x: number): string => `${(x / 1e6).toFixed(2)} M`;
console.log(
  `\nthroughput (single thread, best of ${repeats}; points per CPU second, then per elapsed second): stormwatch ${mp(ours.cpu)} (${mp(ours.wall)}), ` +
    `windowed Gaussian ${mp(peer.cpu)} (${mp(peer.wall)}); ratio ${(ours.cpu / peer.cpu).toFixed(2)}`,
);

const summary = (r: DetectorResult) => Object.fromEntries(PROFILE_NAMES.map((p) => [p, r.profiles[p]]));
const categoryEntry = (name: keyof typeof detectors, cat: string) =>
  Object.fromEntries(
    PROFILE_NAMES.map((p) => {
      const c = results[name].profiles[p].categories[cat];
      return [p, { score: c.score, rawScore: c.rawScore, falsePositives: c.falsePositives }];
    }),
  );
const categories = Object.fromEntries(
  categoryNames.map((cat) => {
    const files = corpus.filter((f) => f.category === cat);
    return [
      cat,
      {
        files: files.length,
        points: files.reduce((n, f) => n + f.values.length, 0),
        windows: files.reduce((n, f) => n + f.windows.length, 0),
        ...Object.fromEntries(names.map((n) => [n, categoryEntry(n, cat)])),
      },
    ];
  }),
);
const out = {
  subset: { files: corpus.length, points, windows },
  standard: results.stormwatch.profiles.standard.score,
  reward_low_FP_rate: results.stormwatch.profiles.reward_low_FP_rate.score,
  reward_low_FN_rate: results.stormwatch.profiles.reward_low_FN_rate.score,
  categories,
  points_per_s: Math.round(ours.cpu),
  points_per_s_elapsed: Math.round(ours.wall),
  peer_points_per_s: { windowedGaussian: Math.round(peer.cpu), windowedGaussianElapsed: Math.round(peer.wall), ratio: ours.cpu / peer.cpu },
  variants: Object.fromEntries(
    Object.entries(variants).map(([name, v]) => [
      name,
      { note: v.note, ...summary(variantResults[name]), categories: Object.fromEntries(categoryNames.map((c) => [c, variantResults[name].profiles.standard.categories[c]])) },
    ]),
  ),
  published_on_subset: {
    note: 'numenta/NAB per-file raw scores at each detector’s own 58-file threshold, summed over these 44 files, normalised with 83 windows',
    detectors: PUBLISHED_ON_SUBSET,
  },
  profiles: summary(results.stormwatch),
  files: results.stormwatch.files,
  baselines: { windowedGaussian: summary(results.windowedGaussian), null: summary(results.null) },
  published_full_corpus: {
    note: 'NAB v1.0 scoreboard over all 58 files (116 windows); this subset has fewer files, so the figures are not directly comparable',
    detectors: PUBLISHED.map(([name, standard, lowFP, lowFN]) => ({ name, standard, reward_low_FP_rate: lowFP, reward_low_FN_rate: lowFN })),
  },
  node: process.version,
  date: new Date().toISOString(),
};
// The last runs' figures are kept beside the latest (throughput varies with the machine's load).
writeResults(resultsPath('nab'), out, { leaveOut: ['files', 'published_full_corpus', 'variants', 'published_on_subset'] });
console.log('wrote bench/results/nab.json');
