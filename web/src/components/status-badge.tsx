import type { ServiceStatus } from '../api/types.js';

const LABEL: Record<ServiceStatus, string> = {
  operational: 'Operational',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
  under_maintenance: 'Under maintenance',
};
/** Each status has its own shape as well as its colour, for readers who cannot tell the colours apart. */
const ICON: Record<ServiceStatus, string> = { operational: '●', degraded_performance: '▲', partial_outage: '◆', major_outage: '✖', under_maintenance: '■' };

export function statusLabel(s: ServiceStatus): string {
  return LABEL[s];
}

export function StatusBadge({ status, large = false }: { status: ServiceStatus; large?: boolean }) {
  return (
    <span class={`status status-${status}${large ? ' status-large' : ''}`} data-status={status} data-testid="status-badge">
      <span aria-hidden="true" class="status-icon">
        {ICON[status]}
      </span>{' '}
      {LABEL[status]}
    </span>
  );
}
