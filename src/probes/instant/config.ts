import Type, { type Static } from 'typebox';
import Value from 'typebox/value';
import { DURATION_PATTERN, parseDuration } from '../duration.js';

/**
 * `instantChecks:` in the config. An instant check makes the server and every agent send
 * traffic on the requester's behalf, so it is off for anonymous callers, rate limited per
 * address and network, and never aimed at loopback, private, link-local or metadata
 * addresses unless the operator allows it (docs/probes.md).
 */
export const InstantChecksSection = Type.Object(
  {
    /** Anyone may run instant checks (the admin always may). */
    public: Type.Boolean({ default: false }),
    /** Targets that resolve to loopback, private, link-local or metadata addresses are allowed. */
    allowPrivateTargets: Type.Boolean({ default: false }),
    /** Instant checks one client address may start per minute (the admin is not limited). */
    ratePerMinute: Type.Number({ minimum: 0, maximum: 10_000, default: 6 }),
    /** ... and at once, before the rate applies. */
    rateBurst: Type.Integer({ minimum: 1, maximum: 10_000, default: 6 }),
    /** The same for a whole network (/24, /64), so rotating addresses within one does not help. */
    networkRatePerMinute: Type.Number({ minimum: 0, maximum: 100_000, default: 30 }),
    networkRateBurst: Type.Integer({ minimum: 1, maximum: 100_000, default: 30 }),
    /** How long one location's probe may take. */
    timeout: Type.String({ pattern: DURATION_PATTERN, default: '5s' }),
    /** Locations that have not answered by then are shown as expired. */
    expireAfter: Type.String({ pattern: DURATION_PATTERN, default: '30s' }),
    /**
     * `host:port` of the resolver every location asks for the target's address (and the
     * server, before accepting); each location's system resolver when absent.
     */
    resolver: Type.Optional(Type.String({ pattern: '^(\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9.-]+):[0-9]{1,5}$' })),
  },
  { additionalProperties: false },
);
export type InstantChecksSection = Static<typeof InstantChecksSection>;

/** The section with its defaults filled in (absent from the config: all defaults). */
export function resolveInstantChecks(section: Partial<InstantChecksSection> | undefined): InstantChecksSection {
  return Value.Default(InstantChecksSection, structuredClone(section ?? {})) as InstantChecksSection;
}

export function instantTimeoutMs(section: InstantChecksSection): number {
  return parseDuration(section.timeout) ?? 5000;
}

export function instantExpireMs(section: InstantChecksSection): number {
  return parseDuration(section.expireAfter) ?? 30_000;
}
