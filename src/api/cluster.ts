import Type from 'typebox';
import type { App } from './app.js';
import { requireAdmin } from './admin-auth.js';
import type { AppDeps } from './deps.js';

const ErrorBody = Type.Object({ error: Type.String(), message: Type.String(), field: Type.Optional(Type.String()) });

const ClusterStatus = Type.Object({
  nodeId: Type.String({ description: 'this node' }),
  clustered: Type.Boolean({ description: 'false: one process, which runs everything itself' }),
  liveNodes: Type.Array(Type.String(), { description: 'nodes seen within the lease time' }),
  held: Type.Array(Type.Object({ name: Type.String(), epoch: Type.Integer() }), { description: 'leases this node holds, with their fencing epoch' }),
  leases: Type.Array(Type.Object({ name: Type.String(), holder: Type.String(), epoch: Type.Integer(), expiresInMs: Type.Integer() }), { description: 'every lease of the cluster' }),
});

/** `GET /api/v1/cluster`: which node runs what (admin). */
export async function clusterRoutes(app: App, deps: AppDeps): Promise<void> {
  app.get(
    '/api/v1/cluster',
    {
      schema: {
        operationId: 'getCluster',
        tags: ['operations'],
        summary: 'Cluster nodes and leases (which node runs which once-per-cluster work)',
        security: [{ adminToken: [] }],
        response: { 200: ClusterStatus, 401: ErrorBody },
      },
    },
    async (request) => {
      requireAdmin(request, deps.adminToken);
      const status = deps.cluster?.status() ?? { nodeId: 'solo', liveNodes: ['solo'], held: [] };
      const leases = deps.cluster?.clustered ? await deps.cluster.leases() : [];
      return { ...status, clustered: deps.cluster?.clustered ?? false, leases };
    },
  );
}
