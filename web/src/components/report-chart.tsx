import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { BaselinePoint, SeriesPoint } from '../api/types.js';
import { barXRange, countAxis } from '../model/chart-scales.js';
import { placePhaseLabels } from '../model/phase-labels.js';
import { formatDateTime, timeAxisLabels, zoneLabel } from '../model/time-labels.js';
import type { ShadedSpan } from '../model/window.js';
import { cssVar, mountPlot, type PlotHost } from './plot-host.js';

export type { ShadedSpan };

interface Props {
  points: SeriesPoint[];
  baseline: BaselinePoint[];
  phases: ShadedSpan[];
  stepLabel: string;
  /** Bucket width: each bar covers [t, t + stepMs). */
  stepMs: number;
  /** The viewer's present (server time): dates in other years show their year. */
  now: number;
}

/** Narrow boxes (a phone) get a lower chart. */
function reportSize(boxWidth: number): { width: number; height: number } {
  return { width: Math.max(280, boxWidth), height: boxWidth < 500 ? 220 : 300 };
}

/** Diagonal hatching: phases stay visible in greyscale and to readers who cannot see the tint. */
function hatch(ctx: CanvasRenderingContext2D, color: string): CanvasPattern | string {
  const c = document.createElement('canvas');
  c.width = c.height = 8;
  const g = c.getContext('2d');
  if (!g) return color;
  g.strokeStyle = color;
  g.lineWidth = 1.5;
  g.beginPath();
  g.moveTo(0, 8);
  g.lineTo(8, 0);
  g.stroke();
  return ctx.createPattern(c, 'repeat') ?? color;
}

/** Roughly one count tick per 40 CSS pixels of plot height. */
const TICK_SPACING_PX = 40;

/**
 * Reports as bars, with the baseline band (expected … threshold) and the dashed detection
 * threshold drawn first so the bars sit on top; incident phases are hatched behind all.
 * Times are the viewer's local time, the zone named under the chart.
 */
export function ReportChart({ points, baseline, phases, stepLabel, stepMs, now }: Props) {
  const host = useRef<PlotHost>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    return mountPlot(el, ({ width, height }) => {
      performance.mark('chart-render-start');
      const xs = points.map((p) => p.t / 1000);
      const byT = new Map(baseline.map((b) => [Math.floor(b.t / 1000), b]));
      // Report counts are never negative, so neither is the band drawn around them.
      const band = (v: number | undefined): number | null => (v === undefined ? null : Math.max(0, v));
      const expected = xs.map((x) => band(byT.get(x)?.expected));
      const upper = xs.map((x) => band(byT.get(x)?.upper));
      const reports = points.map((p) => p.total);
      const xRange = barXRange(
        points.map((p) => p.t),
        stepMs,
      );
      const ink = cssVar('--ink');
      const grid = cssVar('--grid');
      const shade = cssVar('--incident');
      const maxTicks = (u: uPlot): number => Math.max(2, Math.floor(u.bbox.height / devicePixelRatio / TICK_SPACING_PX));
      const opts: uPlot.Options = {
        width,
        height,
        cursor: { drag: { x: false, y: false } },
        legend: { show: true, live: true },
        scales: {
          x: { time: true, ...(xRange ? { range: (): uPlot.Range.MinMax => xRange } : {}) },
          y: { range: (u, _min, max) => [0, countAxis(max, maxTicks(u)).top] },
        },
        axes: [
          {
            stroke: ink,
            grid: { stroke: grid, width: 1 },
            ticks: { stroke: grid },
            size: 52,
            values: (_u, splits) => timeAxisLabels(splits.map((s) => s * 1000), now),
          },
          {
            stroke: ink,
            grid: { stroke: grid, width: 1 },
            ticks: { stroke: grid },
            splits: (u, _axis, _min, max) => countAxis(max, maxTicks(u)).ticks,
            values: (_u, splits) => splits.map((v) => v.toLocaleString()),
            // Wide enough for the longest tick label ("12,000"), which a fixed size would clip.
            size: (_u, values) => 18 + 8 * Math.max(2, ...(values ?? []).map((v) => String(v).length)),
          },
        ],
        series: [
          { value: (_u, v) => (v == null ? '—' : formatDateTime(v * 1000, now)) },
          { label: 'Expected', stroke: cssVar('--baseline'), width: 1, points: { show: false } },
          { label: 'Threshold', stroke: cssVar('--threshold'), width: 1.5, dash: [6, 4], points: { show: false } },
          {
            label: `Reports per ${stepLabel}`,
            stroke: cssVar('--bar'),
            fill: cssVar('--bar'),
            width: 0,
            paths: uPlot.paths.bars?.({ size: [0.85, 64], align: 1 }),
            points: { show: false },
          },
        ],
        bands: [{ series: [2, 1], fill: cssVar('--band') }],
        hooks: {
          draw: [],
          drawClear: [
            (u) => {
              const ctx = u.ctx;
              const pattern = hatch(ctx, shade);
              const dpr = devicePixelRatio;
              const right = u.bbox.left + u.bbox.width;
              ctx.save();
              ctx.font = `${12 * dpr}px system-ui, sans-serif`;
              const visible = [];
              for (const span of phases) {
                const left = Math.max(u.bbox.left, u.valToPos(span.start / 1000, 'x', true));
                const end = Math.min(right, u.valToPos(span.end / 1000, 'x', true));
                if (end <= left) continue;
                ctx.fillStyle = pattern;
                ctx.fillRect(left, u.bbox.top, end - left, u.bbox.height);
                visible.push({ x0: left, x1: end, label: span.label });
              }
              // Up to three lines of labels, each placed where it overlaps no other (the 7-day view packs the waves of a day into a few pixels).
              const labels = placePhaseLabels(visible, (t) => ctx.measureText(t).width, right, { rows: 3, gap: 4 * dpr, pad: 3 * dpr });
              ctx.fillStyle = ink;
              for (const l of labels) ctx.fillText(l.text, l.x, u.bbox.top + (14 + 14 * l.row) * dpr);
              el.dataset.phaseLabels = labels.map((l) => `${l.row}:${Math.round(l.x)}:${Math.round(l.width)}`).join(' ');
              ctx.restore();
            },
          ],
        },
      };
      let measured = false;
      // uPlot draws in a microtask after construction; the measure ends after that first draw.
      opts.hooks?.draw?.push(() => {
        if (measured) return;
        measured = true;
        performance.mark('chart-render-end');
        const m = performance.measure('chart-render', 'chart-render-start', 'chart-render-end');
        el.dataset.points = String(points.length);
        el.dataset.renderMs = m.duration.toFixed(2);
      });
      return new uPlot(opts, [xs, expected, upper, reports] as uPlot.AlignedData, el);
    }, reportSize);
  }, [points, baseline, phases, stepLabel, stepMs, now]);

  const total = points.reduce((a, p) => a + p.total, 0);
  const peak = points.reduce((a, p) => Math.max(a, p.total), 0);
  const zone = zoneLabel(now);
  return (
    <figure class="chart">
      <div ref={host} class="chart-canvas" data-testid="report-chart" data-phases={String(phases.length)} data-total={String(total)} data-zone={zone} />
      <figcaption>
        {total.toLocaleString()} reports, peak {peak.toLocaleString()} per {stepLabel}
        {phases.length > 0 ? `; ${phases.length} incident phase${phases.length > 1 ? 's' : ''} hatched` : ''}. The shaded band runs from the expected
        value to the dashed detection threshold. Times in {zone}.
      </figcaption>
    </figure>
  );
}
