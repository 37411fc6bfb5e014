import { makeBadge } from 'badge-maker';

/**
 * README badges in the shields.io look (badge-maker is shields.io's own renderer): the
 * current status and the 90-day uptime of a service.
 */
const STATUS: Record<string, { text: string; color: string }> = {
  operational: { text: 'operational', color: 'brightgreen' },
  degraded_performance: { text: 'degraded', color: 'yellow' },
  partial_outage: { text: 'partial outage', color: 'orange' },
  major_outage: { text: 'major outage', color: 'red' },
  under_maintenance: { text: 'maintenance', color: 'blue' },
};

export function statusBadge(label: string, status: string): string {
  const s = STATUS[status] ?? { text: status, color: 'lightgrey' };
  return makeBadge({ label, message: s.text, color: s.color, style: 'flat' });
}

/** Two decimals, and the colour shields.io uses for uptime. */
export function uptimeBadge(label: string, percent: number | undefined): string {
  if (percent === undefined) return makeBadge({ label, message: 'no data', color: 'lightgrey', style: 'flat' });
  const color = percent >= 99.9 ? 'brightgreen' : percent >= 99 ? 'green' : percent >= 97 ? 'yellowgreen' : percent >= 95 ? 'yellow' : 'red';
  return makeBadge({ label, message: `${formatPercent(percent)}%`, color, style: 'flat' });
}

/** 100 only when nothing was down: 99.996 reads 99.99, not 100. */
export function formatPercent(p: number): string {
  return (Math.floor(p * 100) / 100).toFixed(2);
}
