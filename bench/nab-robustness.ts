/**
 * `npm run bench:nab-robustness`: is the default configuration a robust choice or a lucky one?
 *
 * 1. Sensitivity: every knob that shapes `score` one step down and one step up, the others at
 *    their defaults: the three NAB profiles and the standard score per category.
 * 2. Leave one category out: for each category with windows, each knob's value (lower, default
 *    or higher) is chosen by the standard score on the OTHER categories (artificialNoAnomaly
 *    always in), with NAB's threshold optimised there too; the chosen values are combined and
 *    the held-out category is scored with that configuration at that threshold. Nothing about
 *    the held-out category's labels reaches either choice. (The defaults themselves were
 *    designed looking at every category: see docs/detection.md.)
 *
 * Writes bench/results/nab-robustness.json. Takes a few minutes (about 80 runs of the corpus).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDetector, DEFAULT_DETECTOR_OPTIONS } from '../src/detect/detector.js';
import type { DetectorOptions } from '../src/detect/detector.js';
import { findCorpus, loadCorpus } from '../src/nab/load-corpus.js';
import { rowScores, scoreSplit } from '../src/nab/held-out.js';
import { PROFILES, PROFILE_NAMES } from '../src/nab/profiles.js';
import { normalise } from '../src/nab/threshold-sweep.js';
import { runFile, scoreDetector } from '../src/nab/run-benchmark.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = findCorpus(repo);
if (root === undefined) {
  console.log('bench:nab-robustness: no NAB data in ../shared/nab (or $STORMWATCH_NAB_DIR); skipping.');
  process.exit(0);
}

const H = 3_600_000;
const D = 24 * H;
type Knob = keyof DetectorOptions;
/** One step down and up from each default: about a factor 1.5–2 for scales, ±1 for counts. */
const STEPS: [Knob, number, number][] = [
  // Resonance novelty, which drives the score (the window must stay a power of two).
  ['resonanceWindow', 4, 16],
  ['resonanceWindows', 10, 16],
  ['resonanceLevels', 60, 100],
  ['resonanceChomp', 0.05, 0.1],
  ['resonanceInitialRho', 0.7, 0.9],
  ['resonancePad', 0.5, 2],
  ['resonanceExpandPad', 0.125, 0.5],
  ['resonanceCategories', 64, 256],
  // The coarse network (0: off; 3: blocks of three steps instead of two).
  ['resonanceCoarse', 0, 3],
  // Its chomp: standard deviations of the noise of its block means it covers (0 would be off).
  ['resonanceCoarseNoise', 4, 6],
  ['onsetGate', 0.3, 0.7],
  ['reportMaskWindows', 0.75, 3],
  // The recent range, which weighs every score.
  ['recentSpanMs', 3 * D, 14 * D],
  ['recentQuantile', 0.005, 0.02],
  ['inRecentWeight', 0.3, 0.7],
  ['recentExcessFull', 0.125, 0.5],
  // The onset score (the second opinion, from `onsetGate` up).
  ['clip', 2.5, 4],
  ['levelTauMs', 12 * H, 48 * H],
  ['fastTauMs', 0.5 * H, 2 * H],
  ['scaleTauMs', 12 * H, 48 * H],
  ['dailyMemory', 3, 6],
  ['weeklyMemory', 4, 16],
  ['warmup', 6, 24],
  ['spreadFloor', 0.025, 0.1],
  ['runAlpha', 0.2, 0.5],
  ['rangeTauMs', 7 * D, 28 * D],
  ['rangeSdFloor', 0.25, 1],
  ['rangeFloor', 3, 5],
  ['surpriseTauMs', 2 * D, 7 * D],
  ['surpriseClip', 4, 8],
  ['peakTauMs', 36 * H, 72 * H],
  ['halfScoreZ', 4, 9],
  ['contextLength', 5, 7],
  ['contextBin', 2, 3],
  ['contextLevels', 4, 8],
  ['contextRangeZ', 2, 4],
  ['contextEvidence', 3, 6],
  ['noveltyRateAlpha', 0.02, 0.1],
  ['noveltyPower', 3, 6],
  ['contextLearn', 100, 600],
  ['contextRegrid', 1.2, 2],
  ['contextShift', 0.25, 1],
  ['contextMemoryMs', 7 * D, 60 * D],
  ['recurringSlots', 6, 24],
  ['recurringGate', 3, 6],
];

/** Normalised points a step must add on the training categories to be kept. */
const MARGIN = 0.5;

const corpus = loadCorpus(root);
const categories = [...new Set(corpus.map((f) => f.category))].filter((c) => corpus.some((f) => f.category === c && f.windows.length > 0));
const std = PROFILES.standard;
const rows = rowScores(corpus, std);
const all = corpus.map((_, i) => i);
const inCategory = (c: string): number[] => all.filter((i) => corpus[i].category === c);
const withoutCategory = (c: string): number[] => all.filter((i) => corpus[i].category !== c);

interface Run {
  options: Partial<DetectorOptions>;
  scores: Float64Array[];
  profiles: Record<string, number>;
  categories: Record<string, number>;
}
function run(options: Partial<DetectorOptions>): Run {
  // NAB gives each detector the file's probationary period; resonance novelty learns from it.
  const scores = corpus.map((f) => runFile((probation) => createDetector({ learnPoints: probation, ...options }), f));
  const r = scoreDetector(corpus, scores);
  const cats: Record<string, number> = {};
  for (const c of categories) cats[c] = r.profiles.standard.categories[c].score ?? Number.NaN;
  return { options, scores, profiles: Object.fromEntries(PROFILE_NAMES.map((p) => [p, r.profiles[p].score])), categories: cats };
}

const f1 = (x: number): string => (Number.isNaN(x) ? '—' : x.toFixed(1));
const short = (c: string): string => c.replace(/^real/, '').replace('artificialWithAnomaly', 'artWith').replace('AWSCloudwatch', 'AWS');
const cell = (r: Run): string => `${PROFILE_NAMES.map((p) => f1(r.profiles[p])).join(' / ')} (${categories.map((c) => `${short(c)} ${f1(r.categories[c])}`).join(', ')})`;

console.log(`NAB subset: ${corpus.length} files (${root})`);
const base = run({});
console.log(`defaults: ${cell(base)}\n\nSensitivity (standard / low FP / low FN, then standard per category):`);
const sensitivity = STEPS.map(([knob, lower, higher]) => {
  const lo = run({ [knob]: lower });
  const hi = run({ [knob]: higher });
  console.log(`${knob} (${fmtValue(knob, DEFAULT_DETECTOR_OPTIONS[knob])})\n  ${fmtValue(knob, lower)}: ${cell(lo)}\n  ${fmtValue(knob, higher)}: ${cell(hi)}`);
  return { knob, lower, higher, runs: [lo, hi] as const };
});

console.log('\nLeave one category out (knobs and threshold chosen on the other categories):');
const heldOut = categories.map((c) => {
  const train = withoutCategory(c);
  const test = inCategory(c);
  const trainScore = (r: Run): number => scoreSplit(r.scores, rows, train, test, std).train;
  // Forward selection: steps in order of their gain on the training categories, each kept
  // only if the configuration with it beats the one without by MARGIN (single runs flip a
  // window or two, about 1.2 points each, on small changes).
  const candidates = sensitivity
    .flatMap((s) => s.runs.map((r, k) => ({ knob: s.knob, value: k === 0 ? s.lower : s.higher, gain: trainScore(r) })))
    .sort((a, b) => b.gain - a.gain);
  let current = base;
  let currentTrain = trainScore(base);
  const chosen: Partial<DetectorOptions> = {};
  for (const cand of candidates) {
    if (cand.gain <= trainScore(base) + MARGIN) break;
    if (cand.knob in chosen) continue;
    const trial = run({ ...chosen, [cand.knob]: cand.value });
    const score = trainScore(trial);
    if (score > currentTrain + MARGIN) {
      Object.assign(chosen, { [cand.knob]: cand.value });
      current = trial;
      currentTrain = score;
    }
  }
  const split = scoreSplit(current.scores, rows, train, test, std);
  const defaultsSplit = scoreSplit(base.scores, rows, train, test, std);
  console.log(
    `${c.padEnd(24)} held out ${f1(split.test)} (train ${f1(split.train)}); defaults at the train threshold ${f1(defaultsSplit.test)} ` +
      `(in-sample ${f1(base.categories[c])}); chosen ${JSON.stringify(chosen)}`,
  );
  return { category: c, heldOut: split.test, train: split.train, threshold: split.threshold, defaultsAtTrainThreshold: defaultsSplit.test, inSample: base.categories[c], chosen, split, defaultsSplit };
});
// Every category scored while held out, pooled as one corpus (the 0 false positives or not of
// artificialNoAnomaly are part of every training set, so they are left out here).
const pooled = (pick: (h: (typeof heldOut)[number]) => { testRaw: number; testWindows: number }): number => {
  const raw = heldOut.reduce((n, h) => n + pick(h).testRaw, 0);
  const w = heldOut.reduce((n, h) => n + pick(h).testWindows, 0);
  return normalise(raw, w, std);
};
const pooledTuned = pooled((h) => h.split);
const pooledDefaults = pooled((h) => h.defaultsSplit);
console.log(`all categories, each held out: ${f1(pooledTuned)} with knobs chosen on the others, ${f1(pooledDefaults)} with the defaults (in-sample ${f1(base.profiles.standard)})`);

const out = {
  defaults: { profiles: base.profiles, categories: base.categories },
  sensitivity: sensitivity.map((s) => ({
    knob: s.knob,
    default: DEFAULT_DETECTOR_OPTIONS[s.knob],
    lower: { value: s.lower, profiles: s.runs[0].profiles, categories: s.runs[0].categories },
    higher: { value: s.higher, profiles: s.runs[1].profiles, categories: s.runs[1].categories },
  })),
  leaveOneCategoryOut: heldOut.map(({ split: _s, defaultsSplit: _d, ...h }) => h),
  pooledHeldOut: { knobsChosenOnOthers: pooledTuned, defaults: pooledDefaults },
  node: process.version,
  date: new Date().toISOString(),
};
mkdirSync(join(repo, 'bench', 'results'), { recursive: true });
writeFileSync(join(repo, 'bench', 'results', 'nab-robustness.json'), `${JSON.stringify(out, null, 2)}\n`);
console.log('wrote bench/results/nab-robustness.json');

function fmtValue(knob: Knob, v: number): string {
  if (knob.endsWith('Ms')) return v % D === 0 ? `${v / D} d` : `${v / H} h`;
  return Number.isInteger(v) ? String(v) : String(Math.round(v * 1000) / 1000);
}
