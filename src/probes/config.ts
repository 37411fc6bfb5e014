import Type, { type Static } from 'typebox';

/** `probes:` in the config: the agent built into the server. */
export const ProbesSection = Type.Object(
  {
    /** Run the built-in agent, so one machine probes out of the box. */
    localAgent: Type.Boolean({ default: true }),
    location: Type.String({ minLength: 1, maxLength: 120, default: 'local' }),
    concurrency: Type.Integer({ minimum: 1, maximum: 1024, default: 32 }),
    /** Days of probe results kept; older ones are deleted hourly. */
    retentionDays: Type.Integer({ minimum: 1, maximum: 3650, default: 30 }),
    /** A check fails its service when at least this many locations are down (all, when fewer report). */
    quorum: Type.Integer({ minimum: 1, maximum: 1000, default: 2 }),
    /** Failed runs in a row before a location counts as down. */
    failuresBefore: Type.Integer({ minimum: 1, maximum: 100, default: 3 }),
    /** Good runs in a row before a down location counts as up again. */
    recoveriesBefore: Type.Integer({ minimum: 1, maximum: 100, default: 2 }),
    /** Share of the reporting locations down that makes a failing check a major outage (else partial). */
    majorShare: Type.Number({ minimum: 0, maximum: 1, default: 0.75 }),
  },
  { additionalProperties: false },
);
export type ProbesSection = Static<typeof ProbesSection>;
