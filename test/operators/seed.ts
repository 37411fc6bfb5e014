import type { Incident } from '../../src/incidents/incident.js';
import type { Store } from '../../src/store/store.js';

/** An automatic incident as the engine would have saved it, with the service's engine status. */
export async function saveAutomatic(store: Store, inc: Partial<Incident> & { id: string; service: string; openedAt: number }, level: 'operational' | 'degraded' | 'major_outage' = 'degraded'): Promise<Incident> {
  const full: Incident = {
    status: 'open', severity: 'degraded', title: `${inc.service}: problems reported`, peak: 50, reports: 500,
    phases: [{ start: inc.openedAt, detectedAt: inc.openedAt + 120_000, peak: 50 }], breakdown: [{ problem: 'app', count: 500, percent: 100 }],
    regions: [{ region: 'GB', count: 500 }], updatedAt: inc.openedAt + 120_000, ...inc,
  };
  await store.incidents.save({ service: inc.service, lastMinute: full.updatedAt, status: level, detector: {}, engine: {}, updatedAt: full.updatedAt }, [full], []);
  return full;
}
