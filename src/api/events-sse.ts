import { Counter, Gauge } from 'prom-client';
import Type from 'typebox';
import type { App } from './app.js';
import { clientAddress } from './client-address.js';
import { op, textResponse } from './contract.js';
import type { AppDeps } from './deps.js';
import { defaultSseHubOptions, FORWARDED_TOPICS, INSTANT_EVENT, SseHub, type SseHubOptions } from './sse-hub.js';
import { SseStream } from './sse-stream.js';

export { filterFor, FORWARDED_TOPICS } from './sse-hub.js';

const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

/**
 * `GET /api/v1/events`: forwards bus events to browsers as Server-Sent Events, one event
 * name per topic, through one hub per app (sse-hub.ts): serialised once per event, a
 * heartbeat, bounded memory per stream, at most `maxStreamsPerAddress` streams per client.
 * `HEAD` answers the headers at once.
 */
export function createEventsSseRoutes(options: Partial<SseHubOptions> = {}) {
  return async function eventsSseRoutes(app: App, deps: AppDeps): Promise<void> {
    const hub = new SseHub(deps.bus, { ...defaultSseHubOptions, ...deps.liveEvents, ...options });
    const registers = deps.metrics ? [deps.metrics.registry] : [];
    const refusedStreams = new Counter({ name: 'stormwatch_event_streams_refused_total', help: 'Live event streams refused, by reason (full, address)', labelNames: ['reason'], registers });
    new Gauge({
      name: 'stormwatch_event_streams',
      help: 'Live event streams open',
      registers,
      collect() {
        this.set(hub.size);
      },
    });
    // Open streams would hold `close()` forever; end them before the server stops listening.
    app.addHook('preClose', async () => hub.close());

    app.get(
      '/api/v1/events',
      op({
        operationId: 'streamEvents',
        tags: ['dashboard'],
        access: 'public',
        summary: 'Live events (Server-Sent Events)',
        description: `text/event-stream with events ${FORWARDED_TOPICS.join(', ')} (data: one JSON object or array), "hello" on connect and "resync" after a slow client lost events or an event was too large to send. At most ${hub.options.maxStreamsPerAddress} streams per client address (429 beyond).`,
        querystring: Type.Object(
          {
            service: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$', description: 'only this service' })),
            instant: Type.Optional(Type.String({ pattern: '^[0-9a-f-]{36}$', description: `only the rows of this instant check, as "${INSTANT_EVENT}" events (nothing else)` })),
          },
          { additionalProperties: false },
        ),
        response: { 200: textResponse('text/event-stream', 'An endless stream of Server-Sent Events') },
        errors: [429],
      }),
      async (request, reply) => {
        const address = clientAddress(request);
        const refused = hub.refusal(address);
        if (refused !== undefined) {
          refusedStreams.inc({ reason: refused });
          const message = refused === 'full' ? 'too many live event streams; retry later' : `at most ${hub.options.maxStreamsPerAddress} live event streams per client address`;
          return reply.status(429).header('retry-after', '30').send({ error: 'rate_limited', message });
        }
        if (request.method === 'HEAD') return reply.status(200).headers(STREAM_HEADERS).send();
        const { service, instant } = request.query;
        reply.hijack();
        const res = reply.raw;
        // Long-lived on purpose: the server's idle timeout is for requests, not for this stream.
        request.raw.socket.setTimeout(0);
        // The public reads' CORS header (cors.ts) was set on the reply before the hijack.
        const cors = reply.getHeader('access-control-allow-origin');
        res.writeHead(200, { ...STREAM_HEADERS, ...(typeof cors === 'string' ? { 'access-control-allow-origin': cors } : {}) });
        const stream = new SseStream(res, { maxBufferedBytes: hub.options.maxBufferedBytes });
        stream.write('retry: 2000\n\n');
        stream.send('hello', { now: new Date(deps.clock.now()).toISOString(), topics: FORWARDED_TOPICS });
        // The response closes when the browser goes away or the server ends the stream.
        hub.add(stream, address, service, (leave) => res.on('close', leave), instant);
      },
    );
  };
}

export const eventsSseRoutes = createEventsSseRoutes();
