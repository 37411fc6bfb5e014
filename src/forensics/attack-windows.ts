import { createDetector } from '../detect/detector.js';

/** A period of abnormal request volume, in Unix seconds, `end` exclusive. */
export interface AttackWindow {
  start: number;
  end: number;
  peakRps: number;
  /** Requests per second the detector expected just before the window. */
  baselineRps: number;
  requests: number;
  /** Requests above the baseline over the window. */
  extraRequests: number;
}

export interface WindowOptions {
  /** Detector bucket width in seconds. */
  bucketSeconds: number;
  /** Alarm periods closer than this merge into one window. */
  mergeGapSeconds: number;
  /** Windows shorter than this after refinement are dropped. */
  minSeconds: number;
  /** Peak rps must be at least this multiple of the baseline (filters mild surges). */
  minPeakRatio: number;
}

export const DEFAULT_WINDOW_OPTIONS: Readonly<WindowOptions> = Object.freeze({
  bucketSeconds: 10,
  mergeGapSeconds: 120,
  minSeconds: 20,
  minPeakRatio: 2,
});

/**
 * Finds attack windows in a per-second request series: the project's streaming detector
 * runs over `bucketSeconds` buckets and its alarm periods become candidate windows. The
 * detector opens its alarm a few buckets late and closes it after a hold-off, so the edges
 * are then refined on the per-second series: the window is the longest run around the alarm
 * where the 5-second mean stays above halfway (in log terms) between baseline and plateau.
 */
export function findAttackWindows(base: number, requests: Float64Array, options: Partial<WindowOptions> = {}): AttackWindow[] {
  const o = { ...DEFAULT_WINDOW_OPTIONS, ...options };
  const b = o.bucketSeconds;
  const buckets = Math.floor(requests.length / b);
  const detector = createDetector();
  const alarms: { from: number; to: number; expected: number }[] = [];
  let open: { from: number; to: number; expected: number } | null = null;
  let lastExpected = 0;
  for (let k = 0; k < buckets; k++) {
    let sum = 0;
    for (let i = k * b; i < (k + 1) * b; i++) sum += requests[i];
    const out = detector.update({ t: (base + k * b) * 1000, value: sum });
    if (out.alarm && !open) open = { from: k, to: k + 1, expected: lastExpected };
    else if (out.alarm && open) open.to = k + 1;
    else if (!out.alarm && open) {
      alarms.push(open);
      open = null;
    }
    if (!out.alarm) lastExpected = out.expected;
  }
  if (open) alarms.push(open);

  const merged: typeof alarms = [];
  for (const a of alarms) {
    const prev = merged[merged.length - 1];
    if (prev && (a.from - prev.to) * b <= o.mergeGapSeconds) prev.to = a.to;
    else merged.push({ ...a });
  }

  const smooth = movingMean(requests, 5);
  const windows: AttackWindow[] = [];
  for (const a of merged) {
    const baseline = Math.max(a.expected / b, median(requests, Math.max(0, a.from * b - 600), a.from * b - 60));
    const plateau = quantile(requests, a.from * b, a.to * b, 0.75);
    if (plateau < o.minPeakRatio * Math.max(baseline, 1)) continue;
    const threshold = Math.sqrt(Math.max(baseline, 0.5) * plateau);
    let peakAt = a.from * b;
    for (let i = a.from * b; i < a.to * b; i++) if (smooth[i] > smooth[peakAt]) peakAt = i;
    let s = peakAt;
    while (s > 0 && smooth[s - 1] > threshold) s--;
    let e = peakAt;
    const hardEnd = Math.min(requests.length, a.to * b + 600);
    // Walk across short dips (bots pausing) but stop once the rate stays low for a while.
    let below = 0;
    for (let i = peakAt; i < hardEnd; i++) {
      if (smooth[i] > threshold) {
        e = i;
        below = 0;
      } else if (++below > 30) break;
    }
    const start = s;
    const end = e + 1;
    if (end - start < o.minSeconds) continue;
    const prev = windows[windows.length - 1];
    if (prev && base + start <= prev.end) {
      prev.end = Math.max(prev.end, base + end);
      continue;
    }
    windows.push({ start: base + start, end: base + end, peakRps: 0, baselineRps: baseline, requests: 0, extraRequests: 0 });
  }
  for (const w of windows) {
    let peak = 0;
    let total = 0;
    for (let i = w.start - base; i < w.end - base; i++) {
      peak = Math.max(peak, requests[i]);
      total += requests[i];
    }
    w.peakRps = peak;
    w.requests = total;
    w.extraRequests = Math.max(0, Math.round(total - w.baselineRps * (w.end - w.start)));
    w.baselineRps = Math.round(w.baselineRps * 100) / 100;
  }
  return windows;
}

function movingMean(xs: Float64Array, width: number): Float64Array {
  const n = xs.length;
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + xs[i];
  const half = Math.floor(width / 2);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const lo = Math.max(0, i - half);
    const hi = Math.min(n, i + half + 1);
    out[i] = (prefix[hi] - prefix[lo]) / (hi - lo);
  }
  return out;
}

function median(xs: Float64Array, from: number, to: number): number {
  return quantile(xs, from, to, 0.5);
}

function quantile(xs: Float64Array, from: number, to: number, q: number): number {
  if (to <= from) return 0;
  const sorted = Array.from(xs.subarray(Math.max(0, from), Math.max(0, to))).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0;
}
