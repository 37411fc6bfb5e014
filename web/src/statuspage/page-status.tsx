import type { ServiceStatus } from '../api/types.js';
import { StatusBadge } from '../components/status-badge.js';

const BANNER: Record<ServiceStatus, string> = {
  operational: 'All systems operational',
  degraded_performance: 'Some people are having problems',
  partial_outage: 'Partial outage: it fails for some people or places',
  major_outage: 'Major outage: it is down for many people',
  under_maintenance: 'Planned work is under way',
};

export function StatusBanner({ status }: { status: ServiceStatus }) {
  return (
    <div class={`status-banner banner-${status}`} data-testid="status-banner" data-status={status}>
      <StatusBadge status={status} large />
      <span>{BANNER[status]}</span>
    </div>
  );
}
