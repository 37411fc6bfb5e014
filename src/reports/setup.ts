import type { Registry } from 'prom-client';
import type { Bus } from '../events/bus.js';
import { openCountryLookup, type CountryLookup } from '../geo/country.js';
import type { ServiceFields } from '../store/services-repo.js';
import type { Store } from '../store/store.js';
import type { Clock } from '../time/clock.js';
import { reportsDefaults, type ReportsSection } from './config.js';
import { ReportIngest } from './ingest.js';
import { ReportMetrics } from './report-metrics.js';
import { claimingWriterFor } from '../store/report-claims.js';

/** The ingest pipeline as a server component: warm-up at start, flush at stop. */
export interface ReportsComponent {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Upserts the config's services, then builds the ingest pipeline on the app's registry. */
export async function setupReports(input: {
  store: Store;
  bus: Bus;
  clock: Clock;
  registry: Registry;
  config: { services?: readonly ServiceFields[]; reports?: Partial<ReportsSection> };
  geo?: CountryLookup;
  /** Cluster mode: claim dedupe and rate limits in the database at commit (src/store/report-claims.ts). */
  sharedAbuseState?: boolean;
}): Promise<{ ingest: ReportIngest; component: ReportsComponent }> {
  const { store, clock } = input;
  if (input.config.services && input.config.services.length > 0) await store.services.upsertMany(input.config.services, 'config', clock.now());
  const secret = await store.settings.getOrCreateSecret('fingerprint_secret');
  let ingest: ReportIngest | undefined = undefined;
  const metrics = new ReportMetrics(input.registry, () => ingest?.queue.depth ?? 0);
  ingest = new ReportIngest({
    services: store.services,
    reports: store.reports,
    bus: input.bus,
    clock,
    geo: input.geo ?? openCountryLookup(),
    metrics,
    fingerprintSecret: secret.value,
    config: reportsDefaults(input.config.reports),
    ...(input.sharedAbuseState ? { sharedWriter: claimingWriterFor(store.db) } : {}),
  });
  const pipeline = ingest;
  return { ingest: pipeline, component: { name: 'reports-ingest', start: () => pipeline.start(), stop: () => pipeline.stop() } };
}
