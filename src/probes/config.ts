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
  },
  { additionalProperties: false },
);
export type ProbesSection = Static<typeof ProbesSection>;
