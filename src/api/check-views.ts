import Type from 'typebox';
import { intervalMs, type Check } from '../probes/check.js';
import { bucketWidth, HISTORY_WINDOWS, summariseBuckets, type HistoryWindow } from '../probes/check-history.js';
import { certDaysLeft, type CheckReport } from '../status/check-report.js';
import { createStatusService } from '../status/setup.js';
import type { App } from './app.js';
import { CheckHistoryAnswer, CheckStatusesAnswer, CheckStatusJson, HistoryWindowParam } from './check-view-schemas.js';
import { op } from './contract.js';
import type { AppDeps } from './deps.js';
import { notFound } from './errors.js';
import { publicCheck, publicResults } from './public-check.js';

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const doc = { tags: ['probes'], access: 'public' } as const;
const RECENT_FAILURES = 50;

/**
 * What the dashboard's check pages read: each check's quorum verdict and locations (the
 * same verdict its service's status uses), and a check's history over 1 h, 24 h or 7 days
 * (latency per location in buckets, uptime per location and overall, recent failures).
 * Public, with targets masked like the matrix.
 */
export async function checkViewsRoutes(app: App, deps: AppDeps): Promise<void> {
  if (!deps.probes) return;
  const status = deps.status ?? createStatusService(deps.store, deps.clock);

  const statusJson = (check: Check, r: CheckReport, now: number): CheckStatusJson => {
    const { signal } = r;
    return {
      check: publicCheck(check),
      enabled: check.enabled,
      status: signal.status,
      ...(r.reason !== undefined ? { reason: r.reason } : {}),
      failing: signal.failing,
      total: signal.total,
      quorum: signal.quorum,
      classes: signal.classes,
      ...(signal.since !== undefined ? { since: signal.since } : {}),
      ...(r.lastAt !== undefined ? { lastAt: r.lastAt } : {}),
      ...(r.certExpiresAt !== undefined ? { certExpiresAt: r.certExpiresAt, certDaysLeft: certDaysLeft(r.certExpiresAt, now) } : {}),
      locations: r.locations,
    };
  };

  app.get(
    '/api/v1/check-statuses',
    op({
      ...doc,
      operationId: 'listCheckStatuses',
      summary: 'Every check with its quorum verdict and the standing of each location',
      querystring: Type.Object({ service: Type.Optional(Type.String({ maxLength: 63 })) }),
      response: { 200: CheckStatusesAnswer },
    }),
    async (request) => {
      const { service } = request.query;
      const checks = await deps.store.probes.listChecks(service ? { service } : {});
      const now = deps.clock.now();
      const reports = await status.checks(checks, now);
      return { checks: checks.map((c) => statusJson(c, reports.get(c.id)!, now)) };
    },
  );

  app.get(
    '/api/v1/checks/:id/status',
    op({ ...doc, operationId: 'getCheckStatus', summary: "One check's quorum verdict and the standing of each location", params: IdParams, response: { 200: CheckStatusJson }, errors: [404] }),
    async (request) => {
      const check = await deps.store.probes.getCheck(request.params.id);
      if (!check) throw notFound('check');
      const now = deps.clock.now();
      return statusJson(check, (await status.checks([check], now)).get(check.id)!, now);
    },
  );

  app.get(
    '/api/v1/checks/:id/history',
    op({
      ...doc,
      operationId: 'getCheckHistory',
      summary: 'Latency per location in buckets, uptime per location and overall, and recent failures, over the last 1 h, 24 h or 7 days',
      params: IdParams,
      querystring: Type.Object({ window: Type.Optional(HistoryWindowParam) }),
      response: { 200: CheckHistoryAnswer },
      errors: [404],
    }),
    async (request) => {
      const repo = deps.store.probes;
      const check = await repo.getCheck(request.params.id);
      if (!check) throw notFound('check');
      const window: HistoryWindow = request.query.window ?? '24h';
      const now = deps.clock.now();
      // Results stamped with this very millisecond count too.
      const to = now + 1;
      const from = to - HISTORY_WINDOWS[window];
      // A check younger than the window is charted from its first result, not as a flat empty day.
      const dataFrom = await repo.firstResultAt(check.id, from);
      const bucketMs = bucketWidth(now - (dataFrom ?? from), intervalMs(check));
      const [buckets, failures] = await Promise.all([repo.resultBuckets(check.id, from, to, bucketMs), repo.failuresBetween(check.id, from, to, RECENT_FAILURES)]);
      const { overall, locations } = summariseBuckets(buckets);
      return {
        check: publicCheck(check), window, from, to, ...(dataFrom !== undefined ? { dataFrom } : {}), bucketMs,
        uptime: overall, locations, failures: publicResults(check.target, failures),
      };
    },
  );
}
