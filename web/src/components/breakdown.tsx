import type { ProblemShare } from '../api/types.js';

/** Whole percent, but a share that is there never reads as 0%. */
export function formatPercent(p: number, count: number): string {
  return count > 0 && p < 0.5 ? '<1%' : `${Math.round(p)}%`;
}

/** Problem shares as labelled bars: the numbers are always written, never colour only. */
export function Breakdown({ shares, title = 'What people report' }: { shares: ProblemShare[]; title?: string }) {
  return (
    <section class="card" aria-labelledby="breakdown-title">
      <h2 id="breakdown-title">{title}</h2>
      {shares.length === 0 ? (
        <p class="muted">No reports in this window.</p>
      ) : (
        <ul class="breakdown" data-testid="breakdown">
          {shares.map((s) => (
            <li key={s.problem} data-problem={s.problem} data-percent={Math.round(s.percent)}>
              <span class="breakdown-label">
                <strong>{formatPercent(s.percent, s.count)}</strong> {s.problem}
              </span>
              <span class="breakdown-bar" aria-hidden="true">
                <span style={{ width: `${Math.max(1, s.percent)}%` }} />
              </span>
              <span class="breakdown-count">{s.count.toLocaleString()}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
