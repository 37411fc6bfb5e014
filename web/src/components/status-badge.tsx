import type { ServiceStatus } from '../api/types.js';

const LABEL: Record<ServiceStatus, string> = { operational: 'Operational', degraded: 'Degraded', major_outage: 'Major outage' };
/** Each status has its own shape as well as its colour, for readers who cannot tell the colours apart. */
const ICON: Record<ServiceStatus, string> = { operational: '●', degraded: '▲', major_outage: '✖' };

export function statusLabel(s: ServiceStatus): string {
  return LABEL[s];
}

export function StatusBadge({ status, large = false }: { status: ServiceStatus; large?: boolean }) {
  return (
    <span class={`status status-${status}${large ? ' status-large' : ''}`} data-status={status}>
      <span aria-hidden="true" class="status-icon">
        {ICON[status]}
      </span>{' '}
      {LABEL[status]}
    </span>
  );
}
