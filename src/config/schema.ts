import Type, { type Static } from 'typebox';
import { CheckDefinition } from '../probes/check.js';
import { ProbesSection } from '../probes/config.js';
import { InstantChecksSection } from '../probes/instant/config.js';
import { AlertsSection } from '../alerts/config.js';
import { ReportsSection } from '../reports/config.js';
import { IncidentsSection } from '../incidents/config.js';
import { ClusterSection } from '../cluster/config.js';
import { SubscriptionsSection } from '../subscriptions/config.js';
import { TrustProxySetting } from './trust-proxy.js';

/**
 * The whole configuration: YAML file, then STORMWATCH_* environment variables, then CLI
 * flags, validated once at start. Each domain owns one section; add yours here.
 */
export const ServiceDefinition = Type.Object(
  {
    slug: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$', description: 'lower-case id used in URLs' }),
    name: Type.String({ minLength: 1, maxLength: 120 }),
    url: Type.String({ maxLength: 2048, pattern: '^https?://' }),
    logo: Type.Optional(Type.String({ maxLength: 2048 })),
    category: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type ServiceDefinition = Static<typeof ServiceDefinition>;

export const ServerSection = Type.Object(
  {
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
    host: Type.String({ default: '0.0.0.0' }),
    /** Behind reverse proxies: their number (hops) or addresses/CIDRs, whose X-Forwarded-For is believed. */
    trustProxy: TrustProxySetting,
    bodyLimitBytes: Type.Integer({ minimum: 1024, maximum: 64 * 1024 * 1024, default: 8 * 1024 * 1024 }),
    /** A request's headers and body must arrive within this (slow bodies are cut off); its headers within min(this, 10 s). */
    requestTimeoutMs: Type.Integer({ minimum: 100, maximum: 3_600_000, default: 30_000 }),
    /** A connection with no traffic for this long is closed (above the 60 s idle timeout of common load balancers). */
    idleTimeoutMs: Type.Integer({ minimum: 100, maximum: 3_600_000, default: 75_000 }),
    /** Open connections per client address (trusted proxies exempt); 0 for no cap. */
    maxConnectionsPerAddress: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 128 }),
    /** On SIGTERM, requests still running after this are cut off and the server stops anyway. */
    shutdownTimeoutMs: Type.Integer({ minimum: 0, maximum: 600_000, default: 10_000 }),
    /** Live event streams (Server-Sent Events) at once, and per client address. */
    maxEventStreams: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 10_000 }),
    maxEventStreamsPerAddress: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 32 }),
    /**
     * Where users reach this server (`https://status.example.com`): links in mails and feeds,
     * Statuspage's `page.url`, secure cookies. Never taken from a request's Host header.
     */
    publicUrl: Type.Optional(Type.String({ pattern: '^https?://', maxLength: 2048 })),
    /** The status page's name (mails, feeds, Statuspage's `page.name`). */
    pageName: Type.String({ minLength: 1, maxLength: 120, default: 'Stormwatch' }),
    logLevel: Type.Union([Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'), Type.Literal('debug'), Type.Literal('silent')], { default: 'info' }),
  },
  { additionalProperties: false },
);

export const DatabaseSection = Type.Object(
  {
    url: Type.String({ pattern: '^(sqlite:|postgres(ql)?://)', default: 'sqlite:./data/stormwatch.db' }),
    /** PostgreSQL schema to keep the tables in (created when missing); `public` when absent. */
    schema: Type.Optional(Type.String({ pattern: '^[a-z_][a-z0-9_]{0,62}$' })),
  },
  { additionalProperties: false },
);

export const ConfigSchema = Type.Object(
  {
    server: Type.Optional(ServerSection),
    database: Type.Optional(DatabaseSection),
    /** Admin bearer token; generated and stored in the database at first start when absent. */
    adminToken: Type.Optional(Type.String({ minLength: 16, maxLength: 256 })),
    services: Type.Optional(Type.Array(ServiceDefinition, { maxItems: 10_000 })),
    /** Active checks; the admin API (`/api/v1/checks`) takes the same schema. */
    checks: Type.Optional(Type.Array(CheckDefinition, { maxItems: 100_000 })),
    probes: Type.Optional(ProbesSection),
    /** Instant checks from every location (check-host style): who may run them, limits, private targets. */
    instantChecks: Type.Optional(InstantChecksSection),
    /** Alert channels, rules, retries and probe correlation (docs/alerts.md). */
    alerts: Type.Optional(AlertsSection),
    /** Crowd reports: dedupe window, rate limits, group commit. */
    reports: Type.Optional(ReportsSection),
    /** Incident engine: wave merging, severity, minute completion. */
    incidents: Type.Optional(IncidentsSection),
    /** Cluster mode: several nodes on PostgreSQL and NATS JetStream (docs/architecture.md). */
    cluster: Type.Optional(ClusterSection),
    /** Status-page subscriptions: SMTP for e-mail, confirmation, limits (docs/operators.md). */
    subscriptions: Type.Optional(SubscriptionsSection),
  },
  { additionalProperties: false },
);

export type Config = Static<typeof ConfigSchema>;
