import type { ReportsRepository } from '../store/reports-repo.js';
import type { ServicesRepository } from '../store/services-repo.js';
import type { MinuteSource } from './runner.js';

/** The runner reads rollups by service slug; the reports repository keys them by service id. */
export function storeMinuteSource(services: ServicesRepository, reports: ReportsRepository): MinuteSource {
  return {
    async minuteCounts(slug, from, to) {
      const svc = await services.get(slug);
      return svc ? reports.minuteCounts(svc.id, from, to) : [];
    },
    async firstMinute(slug) {
      const svc = await services.get(slug);
      return svc ? reports.firstMinute(svc.id) : undefined;
    },
  };
}
