import type { StatusReason } from '../api/types.js';

/** The deciding reason in one muted line (home rows), the others counted. */
export function StatusReasonLine({ reasons }: { reasons: StatusReason[] }) {
  const deciding = reasons.filter((r) => r.effective);
  if (deciding.length === 0) return null;
  const more = deciding.length - 1;
  return (
    <span class="status-reason muted small" data-testid="status-reason">
      {deciding[0].text}
      {more > 0 ? ` (+${more} more)` : ''}
    </span>
  );
}

const SOURCE: Record<StatusReason['source'], string> = { operator: 'Operator', maintenance: 'Maintenance', crowd: 'Reports', probe: 'Checks' };

/** Every reason with where it comes from; checks link to their page, crowd reasons to their incident. */
export function StatusReasons({ reasons }: { reasons: StatusReason[] }) {
  if (reasons.length === 0) return null;
  return (
    <ul class="status-reasons" data-testid="status-reasons">
      {reasons.map((r) => (
        <li key={`${r.source}-${r.checkId ?? r.incidentId ?? r.text}`} data-source={r.source} data-status={r.status} class={r.effective ? '' : 'muted'}>
          <strong>{SOURCE[r.source]}:</strong>{' '}
          {r.checkId ? <a href={`/checks/${encodeURIComponent(r.checkId)}`}>{r.text}</a> : r.incidentId ? <a href={`/incidents/${encodeURIComponent(r.incidentId)}`}>{r.text}</a> : r.text}
          {r.effective ? '' : ' (also observed)'}
        </li>
      ))}
    </ul>
  );
}
