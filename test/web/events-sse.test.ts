import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/api/app.js';
import { createEventsSseRoutes, filterFor } from '../../src/api/events-sse.js';
import { SseStream } from '../../src/api/sse-stream.js';
import { MemoryBus, type BusEvents } from '../../src/events/bus.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { ManualClock } from '../../src/time/clock.js';
import { fixedAdminToken } from '../../src/config/admin-token.js';
import { ErrorBody } from '../../src/api/common-schemas.js';

interface SseEvent {
  event: string;
  data: unknown;
}

/** A minimal SSE reader over a real socket, collecting parsed events. */
function connect(url: string): Promise<{ events: SseEvent[]; headers: http.IncomingHttpHeaders; next(name: string): Promise<SseEvent>; close(): void }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      const events: SseEvent[] = [];
      const waiters: { name: string; resolve: (e: SseEvent) => void }[] = [];
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const name = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (!name || data === undefined) continue;
          const ev = { event: name, data: JSON.parse(data) as unknown };
          const w = waiters.find((x) => x.name === name);
          if (w) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(ev);
          } else events.push(ev);
        }
      });
      resolve({
        events,
        headers: res.headers,
        next: (name) =>
          new Promise((r) => {
            const seen = events.find((e) => e.event === name);
            if (seen) {
              events.splice(events.indexOf(seen), 1);
              r(seen);
            } else waiters.push({ name, resolve: r });
          }),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}

describe('GET /api/v1/events', () => {
  let app: App;
  let store: Store;
  let url: string;
  const bus = new MemoryBus();
  beforeAll(async () => {
    store = await openStore('sqlite::memory:');
    app = await buildApp({ store, bus, clock: new ManualClock(Date.parse('2025-03-10T16:00:00Z')), adminToken: fixedAdminToken('x'.repeat(20)) });
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  it('streams a hello with the server clock, then every forwarded bus topic as a named event', async () => {
    const c = await connect(`${url}/api/v1/events`);
    expect(c.headers['content-type']).toMatch(/^text\/event-stream/);
    const hello = await c.next('hello');
    expect(hello.data).toEqual({ now: '2025-03-10T16:00:00.000Z', topics: ['reports.committed', 'incident.changed', 'service.changed', 'status.changed', 'maintenance.changed'] });
    bus.publish('reports.committed', [{ service: 'x', minute: 5, count: 3 }]);
    bus.publish('incident.changed', { kind: 'opened', incidentId: 'i1', service: 'x', at: 7 });
    bus.publish('service.changed', { slug: 'x', kind: 'created' });
    bus.publish('probe.results', [{ checkId: 'c', location: 'l', ok: true, at: 1 }]);
    bus.publish('status.changed', { service: 'x', status: 'major_outage', previous: 'operational', reasons: ['3 of 3 locations: connection refused on x-tcp'], at: 8 });
    expect((await c.next('reports.committed')).data).toEqual([{ service: 'x', minute: 5, count: 3 }]);
    expect((await c.next('incident.changed')).data).toMatchObject({ incidentId: 'i1' });
    expect((await c.next('service.changed')).data).toEqual({ slug: 'x', kind: 'created' });
    expect((await c.next('status.changed')).data).toMatchObject({ service: 'x', status: 'major_outage', reasons: ['3 of 3 locations: connection refused on x-tcp'] });
    expect(c.events.some((e) => e.event === 'probe.results')).toBe(false);
    c.close();
  });

  it('sends only the asked service when ?service= is given', async () => {
    const c = await connect(`${url}/api/v1/events?service=y`);
    await c.next('hello');
    bus.publish('incident.changed', { kind: 'opened', incidentId: 'other', service: 'x', at: 1 });
    bus.publish('incident.changed', { kind: 'closed', incidentId: 'mine', service: 'y', at: 2 });
    expect((await c.next('incident.changed')).data).toMatchObject({ incidentId: 'mine' });
    expect(c.events).toEqual([]);
    c.close();
  });

  it('unsubscribes from the bus when the browser goes away', async () => {
    const c = await connect(`${url}/api/v1/events`);
    await c.next('hello');
    c.close();
    await new Promise((r) => setTimeout(r, 100));
    // A publish after the disconnect must not throw or write to a dead socket.
    expect(() => bus.publish('service.changed', { slug: 'z', kind: 'deleted' })).not.toThrow();
  });

  it('rejects an invalid service filter with a 4xx JSON error', async () => {
    const res = await fetch(`${url}/api/v1/events?service=NOT%20VALID`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('lets the server close while streams are open', async () => {
    const c = await connect(`${url}/api/v1/events`);
    await c.next('hello');
    const started = Date.now();
    await app.close();
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('heartbeat and the bounded buffer', () => {
  it('sends comment heartbeats on an idle stream', async () => {
    const bus = new MemoryBus();
    const store = await openStore('sqlite::memory:');
    const app = Fastify().withTypeProvider<TypeBoxTypeProvider>() as unknown as App;
    app.addSchema(ErrorBody);
    await createEventsSseRoutes({ heartbeatMs: 30 })(app, { store, bus, clock: new ManualClock(0), adminToken: fixedAdminToken('x'.repeat(20)) });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const body = await new Promise<string>((resolve) => {
      http.get(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1/events`, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          text += d;
          if ((text.match(/: ping/g) ?? []).length >= 2) {
            res.destroy();
            resolve(text);
          }
        });
      });
    });
    expect(body).toContain(': ping\n\n');
    await app.close();
    await store.close();
  });

  it('holds at most maxBufferedBytes for a stalled client, then tells it to resync', async () => {
    let stream: SseStream | undefined;
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.flushHeaders();
      stream = new SseStream(res, { maxBufferedBytes: 256 * 1024 });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const received: string[] = [];
    const res = await new Promise<http.IncomingMessage>((r) => http.get(`http://127.0.0.1:${port}/`, r));
    res.pause(); // a browser tab that stopped reading
    while (!stream) await new Promise((r) => setTimeout(r, 5));
    const big = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 200; i++) stream.send('reports.committed', { i, big });
    expect(stream.buffered).toBeLessThanOrEqual(256 * 1024);
    expect(stream.dropped).toBeGreaterThan(0);
    res.setEncoding('utf8');
    res.on('data', (d: string) => received.push(d));
    res.resume();
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (received.join('').includes('event: resync')) {
          clearInterval(t);
          resolve();
        }
      }, 10);
    });
    expect(received.join('')).toContain('event: resync');
    res.destroy();
    await new Promise((r) => server.close(r));
  });
});

describe('filterFor', () => {
  const reports: BusEvents['reports.committed'] = [
    { service: 'x', minute: 1, count: 2 },
    { service: 'y', minute: 1, count: 5 },
  ];
  it('keeps everything without a service filter', () => {
    expect(filterFor('reports.committed', reports, undefined)).toBe(reports);
  });
  it('keeps only rows of the asked service, and nothing when none match', () => {
    expect(filterFor('reports.committed', reports, 'y')).toEqual([{ service: 'y', minute: 1, count: 5 }]);
    expect(filterFor('reports.committed', reports, 'z')).toBeUndefined();
  });
  it('filters incident and service events by their service', () => {
    const inc: BusEvents['incident.changed'] = { kind: 'opened', incidentId: '1', service: 'x', at: 0 };
    expect(filterFor('incident.changed', inc, 'x')).toBe(inc);
    expect(filterFor('incident.changed', inc, 'y')).toBeUndefined();
    const svc: BusEvents['service.changed'] = { slug: 'x', kind: 'created' };
    expect(filterFor('service.changed', svc, 'y')).toBeUndefined();
    const m: BusEvents['maintenance.changed'] = { kind: 'started', maintenanceId: 'm', services: ['x', 'z'], at: 0 };
    expect(filterFor('maintenance.changed', m, 'z')).toBe(m);
    expect(filterFor('maintenance.changed', m, 'y')).toBeUndefined();
  });
});
