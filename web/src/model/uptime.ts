import type { ServiceStatus, UptimeDay } from '../api/types.js';
import { STATUS_RANK } from './status-subject.js';

export interface Uptime {
  days: UptimeDay[];
  percent: number;
}

/**
 * A group status page's bars: per day the worst status and the longest downtime of its
 * services (the server computes each service's uptime from every signal), and the lowest share.
 */
export function mergeUptime(parts: readonly Uptime[]): Uptime {
  if (parts.length === 0) return { days: [], percent: 100 };
  const byDay = new Map<number, UptimeDay>();
  for (const part of parts) {
    for (const d of part.days) {
      const prev = byDay.get(d.day);
      const worst = worse(prev?.worst, d.worst);
      byDay.set(d.day, { day: d.day, downMs: Math.max(prev?.downMs ?? 0, d.downMs), ...(worst ? { worst } : {}) });
    }
  }
  return { days: [...byDay.values()].sort((a, b) => a.day - b.day), percent: Math.min(...parts.map((p) => p.percent)) };
}

function worse(a: ServiceStatus | undefined, b: ServiceStatus | undefined): ServiceStatus | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return STATUS_RANK[b] > STATUS_RANK[a] ? b : a;
}
