import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { MemoryBus } from '../events/bus.js';
import { defaultSseHubOptions, SseHub } from './sse-hub.js';
import { SseStream } from './sse-stream.js';

/** A response that records what is written to it and never backs up. */
class Sink extends EventEmitter {
  readonly chunks: (Buffer | string)[] = [];
  writableLength = 0;
  destroyed = false;
  write(chunk: Buffer | string): boolean {
    this.chunks.push(chunk);
    return true;
  }
  end(): void {
    this.destroyed = true;
    this.emit('close');
  }
}

function hubWith(n: number, service?: (i: number) => string | undefined) {
  const bus = new MemoryBus();
  const hub = new SseHub(bus, { ...defaultSseHubOptions, heartbeatMs: 3_600_000 });
  const sinks = Array.from({ length: n }, (_, i) => {
    const sink = new Sink();
    hub.add(new SseStream(sink as unknown as ServerResponse, { maxBufferedBytes: 1 << 20 }), `127.0.0.${1 + (i % 200)}`, service?.(i), (leave) => sink.on('close', leave));
    return sink;
  });
  return { bus, hub, sinks };
}

describe('SseHub', () => {
  it('serialises an event once: every stream is written the very same buffer', () => {
    const { bus, hub, sinks } = hubWith(1_000);
    bus.publish('reports.committed', [{ service: 'x', minute: 0, count: 10_000 }]);
    const first = sinks[0].chunks[0];
    expect(Buffer.isBuffer(first)).toBe(true);
    expect(sinks.every((s) => s.chunks.length === 1 && s.chunks[0] === first)).toBe(true);
    expect(String(first)).toBe('id: 1\nevent: reports.committed\ndata: [{"service":"x","minute":0,"count":10000}]\n\n');
    hub.close();
  });

  it('once per asked service for filtered streams, and nothing to streams whose service is not in the event', () => {
    const { bus, hub, sinks } = hubWith(9, (i) => (i < 3 ? undefined : i < 6 ? 'x' : 'y'));
    bus.publish('reports.committed', [{ service: 'x', minute: 0, count: 1 }, { service: 'z', minute: 0, count: 2 }]);
    const [all, x, y] = [sinks.slice(0, 3), sinks.slice(3, 6), sinks.slice(6)];
    expect(new Set(all.map((s) => s.chunks[0])).size).toBe(1);
    expect(new Set(x.map((s) => s.chunks[0])).size).toBe(1);
    expect(String(x[0].chunks[0])).toContain('data: [{"service":"x","minute":0,"count":1}]');
    expect(y.every((s) => s.chunks.length === 0)).toBe(true);
    hub.close();
  });

  it('an event too large to send becomes a resync; streams leave the hub when they close; caps per address and overall', () => {
    const { bus, hub, sinks } = hubWith(2);
    const big = Array.from({ length: 20_000 }, (_, i) => ({ service: 'x', minute: i * 60_000, count: 1 }));
    bus.publish('reports.committed', big);
    expect(String(sinks[0].chunks[0])).toBe('id: 1\nevent: resync\ndata: {}\n\n');
    sinks[1].end();
    expect(hub.size).toBe(1);
    const capped = new SseHub(new MemoryBus(), { ...defaultSseHubOptions, maxStreams: 3, maxStreamsPerAddress: 2 });
    const add = (address: string) => capped.add(new SseStream(new Sink() as unknown as ServerResponse, { maxBufferedBytes: 1024 }), address, undefined, () => undefined);
    add('a');
    add('a');
    expect(capped.refusal('a')).toBe('address');
    expect(capped.refusal('b')).toBeUndefined();
    add('b');
    expect(capped.refusal('c')).toBe('full');
    capped.close();
    hub.close();
  });
});
