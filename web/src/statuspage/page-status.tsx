import type { PageStatus } from '../api/client.js';

const LABEL: Record<PageStatus, string> = {
  operational: 'Operational',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
  under_maintenance: 'Under maintenance',
};
/** A shape per status as well as a colour. */
const ICON: Record<PageStatus, string> = { operational: '●', degraded_performance: '▲', partial_outage: '◆', major_outage: '✖', under_maintenance: '■' };
const BANNER: Record<PageStatus, string> = {
  operational: 'All systems operational',
  degraded_performance: 'Some people are having problems',
  partial_outage: 'Partial outage: it fails for some people or places',
  major_outage: 'Major outage: it is down for many people',
  under_maintenance: 'Planned work is under way',
};

export function PageStatusBadge({ status, large = false }: { status: PageStatus; large?: boolean }) {
  return (
    <span class={`status status-${status}${large ? ' status-large' : ''}`} data-status={status}>
      <span aria-hidden="true" class="status-icon">{ICON[status]}</span> {LABEL[status]}
    </span>
  );
}

export function StatusBanner({ status }: { status: PageStatus }) {
  return (
    <div class={`status-banner banner-${status}`} data-testid="status-banner" data-status={status}>
      <PageStatusBadge status={status} large />
      <span>{BANNER[status]}</span>
    </div>
  );
}
