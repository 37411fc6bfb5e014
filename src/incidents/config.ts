import Type, { type Static } from 'typebox';
import { DEFAULT_ENGINE_OPTIONS, type EngineOptions } from './engine.js';

/** `incidents:` in the config: how waves merge and when minutes count as complete. */
export const IncidentsSection = Type.Object(
  {
    /** A new alarm this soon after an incident closed reopens it as a new phase. */
    mergeWindowMinutes: Type.Integer({ minimum: 0, maximum: 7 * 1440, default: 240 }),
    /** Reports at this multiple of the expected count make a phase a major outage. */
    majorRatio: Type.Number({ minimum: 1, maximum: 10_000, default: 10 }),
    /**
     * Distinct fresh sources (networks, /24 or /64, or integrators' reporter ids) a spike
     * needs to open an incident; fewer make it a spam suspicion. Besides this minimum the
     * fresh sources alone must exceed the detection threshold.
     */
    minSources: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 5 }),
    /** How often wall clock is checked for completed minutes. */
    tickSeconds: Type.Number({ minimum: 0.1, maximum: 3600, default: 5 }),
    /** A service's ingest must be quiet this long before wall clock completes its minute. */
    settleSeconds: Type.Number({ minimum: 0, maximum: 3600, default: 5 }),
  },
  { additionalProperties: false },
);
export type IncidentsSection = Static<typeof IncidentsSection>;

export function incidentsDefaults(partial: Partial<IncidentsSection> = {}): IncidentsSection {
  return { mergeWindowMinutes: 240, majorRatio: 10, minSources: 5, tickSeconds: 5, settleSeconds: 5, ...partial };
}

export function engineOptions(c: IncidentsSection): EngineOptions {
  return { ...DEFAULT_ENGINE_OPTIONS, mergeWindowMs: c.mergeWindowMinutes * 60_000, majorRatio: c.majorRatio, minSources: c.minSources };
}
