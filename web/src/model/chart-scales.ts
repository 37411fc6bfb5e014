/**
 * The report chart's scales, as plain numbers: the x range that leaves room for every bar
 * (the newest one included) and integer count ticks. Pure, so the rules are tested
 * without a canvas.
 */

/**
 * The x range in seconds for bars drawn to the right of their bucket start: from the first
 * bucket's start to the last bucket's end. A range that stopped at the last bucket's start
 * (uPlot's default, the data's min and max) would cut the newest bar off the plot.
 */
export function barXRange(bucketStarts: readonly number[], stepMs: number): [number, number] | undefined {
  if (bucketStarts.length === 0) return undefined;
  return [bucketStarts[0] / 1000, (bucketStarts[bucketStarts.length - 1] + stepMs) / 1000];
}

/** 1, 2, 5, 10, 20, 50, ... up to 5e9: tick steps for whole counts. */
const STEPS: readonly number[] = Array.from({ length: 30 }, (_, i) => [1, 2, 5][i % 3] * 10 ** Math.floor(i / 3));

export interface CountAxis {
  /** Top of the y scale: a multiple of the step, at least `max`, and at least 1. */
  top: number;
  step: number;
  ticks: number[];
}

/**
 * A y axis for counts: ticks at whole numbers only (never "0.25 reports"), at most
 * `maxTicks` intervals, the smallest step that fits. `max` may be fractional (the expected
 * value is); the top is rounded up to a whole step.
 */
export function countAxis(max: number, maxTicks: number): CountAxis {
  const m = Number.isFinite(max) && max > 0 ? max : 1;
  const intervals = Math.max(1, Math.floor(maxTicks));
  const step = STEPS.find((s) => Math.ceil(m / s) <= intervals) ?? STEPS[STEPS.length - 1];
  const top = Math.max(step, Math.ceil(m / step) * step);
  const ticks: number[] = [];
  for (let v = 0; v <= top; v += step) ticks.push(v);
  return { top, step, ticks };
}
