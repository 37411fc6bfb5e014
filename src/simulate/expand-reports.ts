import type { ReportCell, Scenario, ScenarioOptions } from './scenario.js';

/** One line of `POST /api/v1/reports:batch` (NDJSON), as the simulator writes it. */
export interface BatchReport {
  service: string;
  problem: string;
  region: string;
  /** Event time, ISO 8601. */
  ts: string;
  reporter?: string;
  /** The address the report came from (admin imports of spam scenarios). */
  source?: string;
}

/** A cell's reports, spread evenly over its minute so the event times look like traffic. */
export function expandCell(service: string, c: ReportCell): BatchReport[] {
  const out: BatchReport[] = [];
  for (let k = 0; k < c.count; k++) {
    const ts = new Date(c.minute + Math.floor((k * 60_000) / c.count)).toISOString();
    const reporter = c.reporter && c.rotateReporter ? `${c.reporter}/${c.minute / 60_000}/${k}` : c.reporter;
    const source = c.addresses && c.addresses.length > 0 ? c.addresses[k % c.addresses.length] : undefined;
    out.push({ service, problem: c.problem, region: c.region, ts, ...(reporter ? { reporter } : {}), ...(source ? { source } : {}) });
  }
  return out;
}

/**
 * The scenario's reports in batches of at most `maxLines`, in event-time order. A batch ends
 * at a minute boundary whenever the next minute still fits, so a minute is rarely split
 * across requests (only minutes with more than `maxLines` reports are).
 */
export function* reportBatches(scenario: Scenario, options: ScenarioOptions, maxLines: number): Generator<BatchReport[]> {
  let batch: BatchReport[] = [];
  for (const cells of scenario.minutes(options)) {
    const minute = cells.flatMap((c) => expandCell(scenario.service.slug, c));
    minute.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
    if (batch.length + minute.length > maxLines && batch.length > 0) {
      yield batch;
      batch = [];
    }
    for (let i = 0; i < minute.length; i += maxLines) {
      const part = minute.slice(i, i + maxLines);
      if (batch.length + part.length > maxLines) {
        yield batch;
        batch = [];
      }
      batch.push(...part);
    }
  }
  if (batch.length > 0) yield batch;
}
