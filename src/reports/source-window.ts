import { KeyTimeTable } from './key-time-table.js';

/**
 * Which reports come from a source new to a service: a source (a network, or an integrator's
 * reporter id) that has not reported the service within the window. A source that keeps
 * reporting stays known (every report refreshes it), so a flood from one network counts as
 * one source however long it lasts. Detection weighs spikes by these counts
 * (src/incidents/source-evidence.ts). Bounded like dedupe; a forgotten source counts as new
 * again, which errs towards the crowd. Pure: event time comes in with each call.
 */
export class SourceWindow {
  private readonly last: KeyTimeTable;

  constructor(
    readonly windowMs: number,
    maxKeys: number,
  ) {
    this.last = new KeyTimeTable(maxKeys);
  }

  /** True when `source` had not reported `serviceId` within the window of `ts`; remembers it either way. */
  isNew(serviceId: number, source: string, ts: number): boolean {
    const prev = this.last.get(source, serviceId);
    if (prev === undefined || Math.abs(ts - prev) >= this.windowMs) {
      this.last.set(source, ts, serviceId);
      return true;
    }
    if (ts > prev) this.last.set(source, ts, serviceId);
    return false;
  }
}
