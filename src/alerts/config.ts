import Type, { type Static } from 'typebox';
import Value from 'typebox/value';

/**
 * `alerts:` in the config. Channels and rules declared here are immutable; the admin API
 * (`/api/v1/alerts/channels`, `/api/v1/alerts/rules`) takes the same schemas and keeps
 * its own in the database.
 */
const DURATION = '^[0-9]+(\\.[0-9]+)?(ms|s|m|h|d)$';
const Duration = (fallback: string) => Type.String({ pattern: DURATION, default: fallback, description: 'e.g. 30s, 5m, 1h' });
const Name = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$', description: 'channel name used by rules' });
const HttpUrl = Type.String({ pattern: '^https?://', maxLength: 2048 });

export const WebhookChannel = Type.Object(
  {
    name: Name,
    type: Type.Literal('webhook'),
    url: HttpUrl,
    /** HMAC-SHA256 key for `X-Stormwatch-Signature`; unsigned when absent. */
    secret: Type.Optional(Type.String({ minLength: 8, maxLength: 512 })),
    headers: Type.Optional(Type.Record(Type.String({ maxLength: 128 }), Type.String({ maxLength: 4096 }))),
  },
  { additionalProperties: false },
);

export const SlackChannel = Type.Object(
  { name: Name, type: Type.Literal('slack'), url: HttpUrl },
  { additionalProperties: false },
);

export const DiscordChannel = Type.Object(
  { name: Name, type: Type.Literal('discord'), url: HttpUrl },
  { additionalProperties: false },
);

export const EmailChannel = Type.Object(
  {
    name: Name,
    type: Type.Literal('email'),
    host: Type.String({ minLength: 1, maxLength: 253 }),
    port: Type.Integer({ minimum: 1, maximum: 65535, default: 587 }),
    /** Implicit TLS (port 465); otherwise STARTTLS when the server offers it. */
    secure: Type.Boolean({ default: false }),
    /** Refuse to send unless the server upgrades with STARTTLS. */
    requireTls: Type.Boolean({ default: false }),
    user: Type.Optional(Type.String({ maxLength: 256 })),
    password: Type.Optional(Type.String({ maxLength: 256 })),
    from: Type.String({ minLength: 3, maxLength: 256 }),
    to: Type.Array(Type.String({ minLength: 3, maxLength: 256 }), { minItems: 1, maxItems: 100 }),
  },
  { additionalProperties: false },
);

export const ChannelDefinition = Type.Union([WebhookChannel, SlackChannel, DiscordChannel, EmailChannel]);
export type ChannelDefinition = Static<typeof ChannelDefinition>;
export type ChannelType = ChannelDefinition['type'];

export const ALERT_EVENTS = ['open', 'phase', 'close', 'update', 'probe_failure', 'cert_expiry'] as const;
export type AlertEventKind = (typeof ALERT_EVENTS)[number];

export const RuleDefinition = Type.Object(
  {
    /** Service slug, or `*` for every service. */
    service: Type.String({ pattern: '^(\\*|[a-z0-9][a-z0-9-]{0,62})$', default: '*' }),
    on: Type.Array(Type.Union([Type.Literal('open'), Type.Literal('phase'), Type.Literal('close'), Type.Literal('update'), Type.Literal('probe_failure'), Type.Literal('cert_expiry')]), { minItems: 1, maxItems: 6, default: ['open', 'close'] }),
    channels: Type.Array(Name, { minItems: 1, maxItems: 50 }),
    /** For `probe_failure`: fire when probes of the service fail from at least this many locations. */
    minLocations: Type.Integer({ minimum: 1, maximum: 1000, default: 2 }),
    /** For `cert_expiry`: fire when a check's certificate expires in fewer than this many days (`cert_expiry_days < N`; 14 when absent). */
    certExpiryDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
    /** Re-send while still firing after this long; the section's `repeatInterval` when absent. */
    repeatInterval: Type.Optional(Type.String({ pattern: DURATION })),
  },
  { additionalProperties: false },
);
export type RuleDefinition = Static<typeof RuleDefinition>;

export const AlertsSection = Type.Object(
  {
    /** Base of the links in messages: `{publicUrl}/incidents/:id`. */
    publicUrl: Type.String({ pattern: '^https?://', maxLength: 2048, default: 'http://localhost:8080' }),
    repeatInterval: Duration('4h'),
    /** Incident events older than this (event time) are not alerted: history being replayed. */
    maxEventAge: Duration('1h'),
    retry: Type.Object(
      {
        maxAttempts: Type.Integer({ minimum: 1, maximum: 20, default: 5 }),
        initialBackoff: Duration('2s'),
        maxBackoff: Duration('5m'),
        /** Per attempt: a channel that does not answer within this counts as failed. */
        timeout: Duration('10s'),
      },
      { additionalProperties: false, default: {} },
    ),
    correlation: Type.Object(
      {
        /** Failing locations that confirm an incident, and that make a probe-only event. */
        minLocations: Type.Integer({ minimum: 1, maximum: 1000, default: 2 }),
        /** How far back before an incident opened probe results still count. */
        lookback: Duration('5m'),
        /** Probe results older than this do not count towards a probe-only event. */
        freshness: Duration('5m'),
      },
      { additionalProperties: false, default: {} },
    ),
    channels: Type.Array(ChannelDefinition, { maxItems: 200, default: [] }),
    rules: Type.Array(RuleDefinition, { maxItems: 1000, default: [] }),
  },
  { additionalProperties: false },
);
export type AlertsSection = Static<typeof AlertsSection>;

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of a duration the schema has already validated. */
export function durationMs(text: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h|d)$/.exec(text.trim());
  if (!m) throw new Error(`not a duration: "${text}"`);
  return Math.round(Number(m[1]) * UNITS[m[2]]);
}

/** The section with every default filled in, for a config without `alerts:`. */
export function resolveAlertsSection(section: Partial<AlertsSection> | undefined): AlertsSection {
  return Value.Default(AlertsSection, structuredClone(section ?? {})) as AlertsSection;
}

const CHANNEL_SCHEMAS = { webhook: WebhookChannel, slack: SlackChannel, discord: DiscordChannel, email: EmailChannel } as const;

/**
 * The schema of one channel type, so that errors name the field at fault instead of
 * every branch of the union; undefined for an unknown type.
 */
export function channelSchema(type: unknown): (typeof CHANNEL_SCHEMAS)[ChannelType] | undefined {
  return typeof type === 'string' && Object.hasOwn(CHANNEL_SCHEMAS, type) ? CHANNEL_SCHEMAS[type as ChannelType] : undefined;
}
