import type { SeriesPoint } from '../api/types.js';

/** A 24 h trend as inline SVG: tiny, no chart library on the home page. */
export function Sparkline({ points, label }: { points: SeriesPoint[]; label: string }) {
  const w = 120;
  const h = 32;
  const max = Math.max(1, ...points.map((p) => p.total));
  const total = points.reduce((a, p) => a + p.total, 0);
  const step = points.length > 1 ? w / (points.length - 1) : w;
  const line = points.map((p, i) => `${(i * step).toFixed(1)},${(h - 2 - ((h - 4) * p.total) / max).toFixed(1)}`).join(' ');
  return (
    <svg class="sparkline" viewBox={`0 0 ${w} ${h}`} width={w} height={h} role="img" aria-label={`${label}: ${total} reports in 24 hours, peak ${max === 1 && total === 0 ? 0 : max} per hour`}>
      {points.length > 1 && <polygon points={`0,${h} ${line} ${w},${h}`} class="sparkline-area" />}
      {points.length > 1 && <polyline points={line} class="sparkline-line" fill="none" />}
    </svg>
  );
}
