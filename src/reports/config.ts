import Type, { type Static } from 'typebox';
import Value from 'typebox/value';

/** `reports:` in the config: anti-abuse limits and the ingest queue. */
export const ReportsSection = Type.Object(
  {
    /** One report per reporter fingerprint per service within this many minutes (event time). */
    dedupeMinutes: Type.Number({ minimum: 0, maximum: 1440, default: 15 }),
    /** Per client address: sustained reports per minute, and the burst allowed at once. */
    ratePerMinute: Type.Number({ minimum: 0, maximum: 1_000_000, default: 30 }),
    rateBurst: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 10 }),
    /** Per network (the address's /24 or /64, see prefixLengthV4/V6): all its addresses together. */
    prefixRatePerMinute: Type.Number({ minimum: 0, maximum: 1_000_000, default: 120 }),
    prefixRateBurst: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 40 }),
    /** Per network and service: what one network may report about one service. */
    serviceRatePerMinute: Type.Number({ minimum: 0, maximum: 1_000_000, default: 10 }),
    serviceRateBurst: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 20 }),
    /** A source (network, or integrator reporter) that has not reported a service for this long counts as a new source again. */
    sourceWindowMinutes: Type.Number({ minimum: 1, maximum: 1440, default: 15 }),
    /** How addresses are grouped into networks for the limits above and for counting distinct sources. */
    prefixLengthV4: Type.Integer({ minimum: 8, maximum: 32, default: 24 }),
    prefixLengthV6: Type.Integer({ minimum: 16, maximum: 128, default: 64 }),
    /** Memory bounds of the in-memory abuse state (oldest entries are dropped first); each limit keeps up to maxTrackedClients keys. */
    maxTrackedClients: Type.Integer({ minimum: 100, maximum: 10_000_000, default: 100_000 }),
    maxTrackedFingerprints: Type.Integer({ minimum: 100, maximum: 20_000_000, default: 500_000 }),
    /** Group commit: wait at most this long to gather a batch (0 = next event-loop turn); a quiet server does not wait. */
    flushDelayMs: Type.Integer({ minimum: 0, maximum: 50, default: 2 }),
    /** Commit at once when this many reports are waiting. */
    maxBatchSize: Type.Integer({ minimum: 1, maximum: 100_000, default: 2_000 }),
    /** Reports waiting for a commit beyond which new ones are refused (429 `overloaded`). */
    maxQueued: Type.Integer({ minimum: 1, maximum: 10_000_000, default: 200_000 }),
    /** Worker threads that parse large batch bodies beside the main thread (0: parse on the main thread). */
    parseWorkers: Type.Integer({ minimum: 0, maximum: 16, default: 1 }),
    /** Lines accepted by one `POST /api/v1/reports:batch`. */
    maxBatchLines: Type.Integer({ minimum: 1, maximum: 100_000, default: 10_000 }),
  },
  { additionalProperties: false },
);
export type ReportsSection = Static<typeof ReportsSection>;

/** The section with every default applied (used when the config omits it, and in tests). */
export function reportsDefaults(partial: Partial<ReportsSection> = {}): ReportsSection {
  return Value.Default(ReportsSection, { ...partial }) as ReportsSection;
}
