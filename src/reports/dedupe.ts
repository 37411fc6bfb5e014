import { KeyTimeTable } from './key-time-table.js';

/**
 * "One report per reporter per service per window", in event time. Keeps the event time of
 * the last accepted report per key in a bounded table (key-time-table.ts), so a flood of distinct fingerprints
 * costs memory up to `maxKeys` and no more (idle keys are forgotten first).
 * Pure: time comes in with each call.
 */
export class DedupeWindow {
  private readonly last: KeyTimeTable;

  constructor(
    readonly windowMs: number,
    readonly maxKeys: number,
  ) {
    this.last = new KeyTimeTable(maxKeys);
  }

  /**
   * True (and remembered) when no report of this reporter fingerprint for this service lies
   * within the window of `ts`.
   */
  admit(serviceId: number, fingerprint: string, ts: number): boolean {
    const prev = this.last.get(fingerprint, serviceId);
    if (prev !== undefined && Math.abs(ts - prev) < this.windowMs) return false;
    this.last.set(fingerprint, ts, serviceId);
    return true;
  }

  /** Records an already accepted report (warm-up from stored rows). */
  seed(serviceId: number, fingerprint: string, ts: number): void {
    const prev = this.last.get(fingerprint, serviceId);
    if (prev === undefined || prev < ts) this.last.set(fingerprint, ts, serviceId);
  }

  /** Forgets a report admitted by mistake (it was then refused for another reason). */
  forget(serviceId: number, fingerprint: string, ts: number): void {
    if (this.last.get(fingerprint, serviceId) === ts) this.last.delete(fingerprint, serviceId);
  }

  get size(): number {
    return this.last.size;
  }
}
