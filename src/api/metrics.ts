import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { App } from './app.js';
import { op, textResponse } from './contract.js';
import type { AppDeps } from './deps.js';

/**
 * `/metrics` in the Prometheus text format, from the app's own registry (never prom-client's
 * global one: tests run several servers in one process). Also counts every HTTP request by
 * route pattern and status, and times it.
 */
export async function metricsRoutes(app: App, deps: AppDeps): Promise<void> {
  const registry = deps.metrics?.registry ?? new Registry();
  // Node process metrics (CPU, memory, event loop lag, GC, handles), once per registry.
  if (!registry.getSingleMetric('process_cpu_user_seconds_total')) collectDefaultMetrics({ register: registry });
  const requests = new Counter({ name: 'stormwatch_http_requests_total', help: 'HTTP requests by method, route and status', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const seconds = new Histogram({
    name: 'stormwatch_http_request_seconds',
    help: 'HTTP request duration by route',
    labelNames: ['route'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });

  // Label children cached per (method, route, status): prom-client hashes the label object
  // on every call otherwise, and this hook runs for every request.
  const children = new Map<string, { count: Counter.Internal; time: Histogram.Internal<'route'> }>();
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, not the URL: label values stay few whatever clients send.
    // Fastify spells a literal colon `::` in its patterns (`/api/v1/reports::batch`).
    const route = request.routeOptions.url?.replaceAll('::', ':') ?? 'unmatched';
    const key = `${request.method} ${route} ${reply.statusCode}`;
    let child = children.get(key);
    if (!child) {
      child = { count: requests.labels(request.method, route, String(reply.statusCode)), time: seconds.labels(route) };
      children.set(key, child);
    }
    child.count.inc();
    child.time.observe(reply.elapsedTime / 1000);
  });

  app.get(
    '/metrics',
    op({
      operationId: 'getMetrics',
      tags: ['operations'],
      access: 'public',
      summary: 'Prometheus metrics (text exposition format)',
      response: { 200: textResponse('text/plain; version=0.0.4; charset=utf-8', 'Prometheus text format 0.0.4') },
    }),
    async (_request, reply) => {
    void reply.header('content-type', registry.contentType);
    return registry.metrics();
    },
  );
}

/** Counts connections refused by the per-address cap (`stormwatch_http_connections_refused_total`). */
export function connectionsRefusedCounter(deps: AppDeps): () => void {
  if (!deps.metrics) return () => undefined;
  const refused = new Counter({ name: 'stormwatch_http_connections_refused_total', help: 'Connections closed at once because their address held maxConnectionsPerAddress already', registers: [deps.metrics.registry] });
  return () => refused.inc();
}
