import Type from 'typebox';
import type { App } from './app.js';
import { op } from './contract.js';
import type { AppDeps } from './deps.js';

const ClusterStatus = Type.Object(
  {
    nodeId: Type.String({ description: 'this node' }),
    clustered: Type.Boolean({ description: 'false: one process, which runs everything itself' }),
    liveNodes: Type.Array(Type.String(), { description: 'nodes seen within the lease time' }),
    held: Type.Array(Type.Object({ name: Type.String(), epoch: Type.Integer() }, { additionalProperties: false }), { description: 'leases this node holds, with their fencing epoch' }),
    leases: Type.Array(Type.Object({ name: Type.String(), holder: Type.String(), epoch: Type.Integer(), expiresInMs: Type.Integer() }, { additionalProperties: false }), { description: 'every lease of the cluster' }),
  },
  { additionalProperties: false },
);

/** `GET /api/v1/cluster`: which node runs which once-per-cluster work (admin). */
export async function clusterRoutes(app: App, deps: AppDeps): Promise<void> {
  app.get(
    '/api/v1/cluster',
    op({
      operationId: 'getCluster',
      tags: ['operations'],
      access: 'admin',
      summary: 'Cluster nodes and leases: which node runs which once-per-cluster work',
      response: { 200: ClusterStatus },
      errors: [503],
    }),
    async () => {
      const status = deps.cluster?.status() ?? { nodeId: 'solo', liveNodes: ['solo'], held: [] };
      const leases = deps.cluster?.clustered ? await deps.cluster.leases() : [];
      return { ...status, clustered: deps.cluster?.clustered ?? false, leases };
    },
  );
}
