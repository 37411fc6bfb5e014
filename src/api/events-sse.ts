import Type from 'typebox';
import type { BusEvents, BusTopic } from '../events/bus.js';
import type { App } from './app.js';
import { op, textResponse } from './contract.js';
import type { AppDeps } from './deps.js';
import { SseStream } from './sse-stream.js';

/** The bus topics the dashboard needs; probe results stay server-side. */
export const FORWARDED_TOPICS = ['reports.committed', 'incident.changed', 'service.changed', 'status.changed', 'maintenance.changed'] as const satisfies readonly BusTopic[];
type Forwarded = (typeof FORWARDED_TOPICS)[number];

export interface EventsSseOptions {
  heartbeatMs: number;
  maxBufferedMessages: number;
  /** Upper bound on concurrent streams; more are answered 429 so a flood cannot pin memory. */
  maxClients: number;
}

export const defaultEventsSseOptions: EventsSseOptions = { heartbeatMs: 15_000, maxBufferedMessages: 256, maxClients: 10_000 };

/** Keeps only what concerns `service` (when a client asked for one). */
export function filterFor<T extends Forwarded>(topic: T, payload: BusEvents[T], service: string | undefined): BusEvents[T] | undefined {
  if (service === undefined) return payload;
  if (topic === 'reports.committed') {
    const rows = (payload as BusEvents['reports.committed']).filter((r) => r.service === service);
    return (rows.length > 0 ? rows : undefined) as BusEvents[T] | undefined;
  }
  if (topic === 'incident.changed') return (payload as BusEvents['incident.changed']).service === service ? payload : undefined;
  if (topic === 'status.changed') return (payload as BusEvents['status.changed']).service === service ? payload : undefined;
  if (topic === 'maintenance.changed') return (payload as BusEvents['maintenance.changed']).services.includes(service) ? payload : undefined;
  return (payload as BusEvents['service.changed']).slug === service ? payload : undefined;
}

/**
 * `GET /api/v1/events`: forwards bus events to browsers as Server-Sent Events, one event
 * name per topic, with a heartbeat and a bounded buffer per client.
 */
export function createEventsSseRoutes(options: Partial<EventsSseOptions> = {}) {
  const opts = { ...defaultEventsSseOptions, ...options };
  return async function eventsSseRoutes(app: App, deps: AppDeps): Promise<void> {
    const streams = new Set<SseStream>();
    // Open streams would hold `close()` forever; end them before the server stops listening.
    app.addHook('preClose', async () => {
      for (const s of streams) s.end();
    });

    app.get(
      '/api/v1/events',
      op({
        operationId: 'streamEvents',
        tags: ['dashboard'],
        access: 'public',
        summary: 'Live events (Server-Sent Events)',
        description: `text/event-stream with events ${FORWARDED_TOPICS.join(', ')} (data: one JSON object or array), "hello" on connect and "resync" after a slow client lost events.`,
        querystring: Type.Object({ service: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$', description: 'only this service' })) }, { additionalProperties: false }),
        response: { 200: textResponse('text/event-stream', 'An endless stream of Server-Sent Events') },
        errors: [429],
      }),
      async (request, reply) => {
        if (streams.size >= opts.maxClients) {
          return reply.status(429).send({ error: 'rate_limited', message: 'too many live event streams; retry later' });
        }
        const { service } = request.query;
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        const stream = new SseStream(res, opts);
        streams.add(stream);
        stream.write('retry: 2000\n\n');
        stream.send('hello', { now: new Date(deps.clock.now()).toISOString(), topics: FORWARDED_TOPICS });

        const unsubscribe = FORWARDED_TOPICS.map((topic) =>
          deps.bus.subscribe(topic, (payload) => {
            const kept = filterFor(topic, payload, service);
            if (kept !== undefined) stream.send(topic, kept);
          }),
        );
        const beat = setInterval(() => stream.heartbeat(), opts.heartbeatMs);
        beat.unref();
        const cleanup = (): void => {
          clearInterval(beat);
          for (const off of unsubscribe) off();
          streams.delete(stream);
        };
        // The response closes when the browser goes away or the server ends the stream.
        res.on('close', cleanup);
      },
    );
  };
}

export const eventsSseRoutes = createEventsSseRoutes();
