import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { HistoryBucket } from '../api/checks.js';
import { latencyGrid, withSeconds } from '../model/latency-grid.js';
import { formatDateTime, timeAxisLabels } from '../model/time-labels.js';
import { cssVar, mountPlot, type PlotHost } from './plot-host.js';

interface Props {
  location: string;
  buckets: HistoryBucket[];
  bucketMs: number;
  /** The charted span, the same for every location of a check. */
  from: number;
  to: number;
  now: number;
}

/** Narrow boxes (a phone) get a lower chart. */
function latencySize(boxWidth: number): { width: number; height: number } {
  return { width: Math.max(240, boxWidth), height: boxWidth < 420 ? 150 : 180 };
}

/**
 * One location's response time: the mean of the successful runs per bucket, the slowest as a
 * dashed line, and a red mark under each bucket with failed runs (taller the more of its runs
 * failed). Buckets without runs are gaps, not zeros.
 */
export function LatencyChart({ location, buckets, bucketMs, from, to, now }: Props) {
  const host = useRef<PlotHost>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const grid = latencyGrid(buckets, bucketMs, from, to);
    return mountPlot(el, ({ width, height }) => {
      const ink = cssVar('--ink');
      const line = cssVar('--grid');
      const bad = cssVar('--bad');
      const opts: uPlot.Options = {
        width,
        height,
        cursor: { drag: { x: false, y: false } },
        legend: { show: true, live: true },
        scales: { x: { time: true, range: (): uPlot.Range.MinMax => [from / 1000, to / 1000] }, y: { range: (_u, _min, max) => [0, Math.max(10, max * 1.1)] } },
        axes: [
          // Labels with seconds ("09:55:30") need more room than uPlot's default spacing.
          { stroke: ink, grid: { stroke: line, width: 1 }, ticks: { stroke: line }, size: 44, space: 80, values: (_u, splits) => withSeconds(timeAxisLabels(splits.map((s) => s * 1000), now), splits.map((s) => s * 1000)) },
          {
            stroke: ink,
            grid: { stroke: line, width: 1 },
            ticks: { stroke: line },
            values: (_u, splits) => splits.map((v) => `${Math.round(v).toLocaleString()} ms`),
            // Wide enough for the longest label ("1,200 ms"), which a fixed size would clip.
            size: (_u, values) => 14 + 7.5 * Math.max(4, ...(values ?? []).map((v) => String(v).length)),
          },
        ],
        series: [
          { value: (_u, v) => (v == null ? '—' : formatDateTime(v * 1000, now)) },
          { label: 'Mean', stroke: cssVar('--bar'), width: 2, points: { show: false }, value: (_u, v) => (v == null ? '—' : `${Math.round(v)} ms`) },
          { label: 'Slowest', stroke: cssVar('--baseline'), width: 1, dash: [4, 4], points: { show: false }, value: (_u, v) => (v == null ? '—' : `${Math.round(v)} ms`) },
        ],
        hooks: {
          draw: [
            (u) => {
              const ctx = u.ctx;
              const dpr = devicePixelRatio;
              const bottom = u.bbox.top + u.bbox.height;
              ctx.save();
              ctx.fillStyle = bad;
              for (const b of grid.failed) {
                const x0 = u.valToPos(b.start / 1000, 'x', true);
                const x1 = u.valToPos((b.start + bucketMs) / 1000, 'x', true);
                const h = (3 + 9 * b.share) * dpr;
                ctx.fillRect(x0, bottom - h, Math.max(2 * dpr, x1 - x0 - dpr), h);
              }
              ctx.restore();
            },
          ],
        },
      };
      return new uPlot(opts, [grid.xs, grid.mean, grid.max] as uPlot.AlignedData, el);
    }, latencySize);
  }, [buckets, bucketMs, from, to, now]);

  const failed = buckets.reduce((n, b) => n + b.failures, 0);
  const runs = buckets.reduce((n, b) => n + b.runs, 0);
  return (
    <figure class="chart latency">
      <figcaption>
        <strong>{location}</strong> <span class="muted small">{runs.toLocaleString()} runs{failed > 0 ? `, ${failed.toLocaleString()} failed (red marks)` : ''}</span>
      </figcaption>
      <div ref={host} class="latency-canvas" data-testid="latency-chart" data-location={location} data-runs={String(runs)} data-failed={String(failed)} />
    </figure>
  );
}
