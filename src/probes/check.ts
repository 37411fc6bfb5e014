import Type, { type Static } from 'typebox';
import { DURATION_PATTERN, parseDuration } from './duration.js';

/**
 * One check as declared in the YAML config (`checks:`) and in the admin API: the same
 * TypeBox schema validates both. Definitions are immutable data; run-time state lives in
 * the scheduler and the store.
 */
export const CHECK_TYPES = ['http', 'tcp', 'dns', 'tls', 'icmp'] as const;
export type CheckType = (typeof CHECK_TYPES)[number];

export const DNS_RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS'] as const;
export type DnsRecordType = (typeof DNS_RECORD_TYPES)[number];

const Duration = (fallback: string) =>
  Type.String({ pattern: DURATION_PATTERN, default: fallback, description: 'e.g. 500ms, 30s, 5m' });

export const HttpOptions = Type.Object(
  {
    method: Type.Enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'], { default: 'GET' }),
    headers: Type.Optional(Type.Record(Type.String({ maxLength: 128 }), Type.String({ maxLength: 4096 }))),
    body: Type.Optional(Type.String({ maxLength: 65_536 })),
    followRedirects: Type.Boolean({ default: true }),
    maxRedirects: Type.Integer({ minimum: 0, maximum: 20, default: 5 }),
    /** Accept invalid certificates (the cert_valid/cert_expiry conditions still see them). */
    insecure: Type.Boolean({ default: false }),
  },
  { additionalProperties: false },
);

export const DnsOptions = Type.Object(
  {
    recordType: Type.Enum(DNS_RECORD_TYPES, { default: 'A' }),
    /** `host:port` of the resolver to ask; the system resolvers when absent. */
    resolver: Type.Optional(Type.String({ pattern: '^(\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9.-]+):[0-9]{1,5}$' })),
  },
  { additionalProperties: false },
);

export const CheckDefinition = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    service: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$', description: 'slug of the service this check watches' })),
    type: Type.Enum(CHECK_TYPES),
    /** http/https URL; `host:port` for tcp and tls; a name for dns; a host for icmp. */
    target: Type.String({ minLength: 1, maxLength: 2048 }),
    interval: Duration('60s'),
    timeout: Duration('10s'),
    conditions: Type.Array(Type.String({ minLength: 1, maxLength: 512 }), { maxItems: 32, default: [] }),
    /** Agent locations that run this check; every location when empty. */
    locations: Type.Array(Type.String({ minLength: 1, maxLength: 120 }), { maxItems: 200, default: [] }),
    enabled: Type.Boolean({ default: true }),
    /** Down locations that make this check fail the service (`probes.quorum` when absent). */
    quorum: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    /** Failed runs in a row before a location counts as down (`probes.failuresBefore` when absent). */
    failuresBefore: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    /** Good runs in a row before a down location counts as up again (`probes.recoveriesBefore` when absent). */
    recoveriesBefore: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    http: Type.Optional(HttpOptions),
    dns: Type.Optional(DnsOptions),
  },
  { additionalProperties: false },
);
export type CheckDefinition = Static<typeof CheckDefinition>;

/** A stored check: the definition plus its id. */
export interface Check extends CheckDefinition {
  id: string;
}

/** A definition the schema accepted but whose meaning is wrong (bad target, bad condition). */
export class CheckDefinitionError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'CheckDefinitionError';
  }
}

export function intervalMs(check: CheckDefinition): number {
  return parseDuration(check.interval) ?? 60_000;
}

export function timeoutMs(check: CheckDefinition): number {
  return parseDuration(check.timeout) ?? 10_000;
}

/** Splits `host:port` (with `[v6]:port`); undefined when malformed. */
export function splitHostPort(text: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+)):([0-9]{1,5})$/.exec(text);
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port < 1 || port > 65_535) return undefined;
  return { host: m[1] ?? m[2], port };
}
