import Type, { type Static } from 'typebox';
import Value from 'typebox/value';

/**
 * `cluster:` in the config. Setting `nats` turns cluster mode on: several `serve` processes
 * on one PostgreSQL database share events through a NATS JetStream stream and split the
 * work that must run once (docs/architecture.md, "Cluster mode").
 */
export const ClusterSection = Type.Object(
  {
    /** NATS server with JetStream, e.g. nats://127.0.0.1:4222 (STORMWATCH_CLUSTER__NATS). */
    nats: Type.String({ pattern: '^(nats|tls)://', maxLength: 2048 }),
    /** Names the JetStream stream and consumers, so that several clusters can share one NATS server. */
    name: Type.String({ pattern: '^[A-Za-z0-9_-]{1,48}$', default: 'stormwatch' }),
    /** This node's id; a random one per start when absent. */
    nodeId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' })),
    /** A lease not renewed for this long may be taken by another node. */
    leaseSeconds: Type.Number({ minimum: 2, maximum: 300, default: 8 }),
    /** How often a node renews its leases and looks at who is alive. */
    renewSeconds: Type.Number({ minimum: 0.1, maximum: 60, default: 2 }),
    /** Dedupe and rate limits claimed in the database, so that they hold across nodes. */
    sharedAbuseState: Type.Boolean({ default: true }),
  },
  { additionalProperties: false },
);
export type ClusterSection = Static<typeof ClusterSection>;

export function clusterDefaults(partial: Partial<ClusterSection> & { nats: string }): ClusterSection {
  return Value.Default(ClusterSection, { ...partial }) as ClusterSection;
}
