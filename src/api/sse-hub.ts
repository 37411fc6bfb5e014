import type { Bus, BusEvents, BusTopic } from '../events/bus.js';
import { sseMessage, type SseStream } from './sse-stream.js';

/** The bus topics the dashboard needs; probe results stay server-side. */
export const FORWARDED_TOPICS = ['reports.committed', 'incident.changed', 'service.changed', 'status.changed', 'maintenance.changed'] as const satisfies readonly BusTopic[];
export type Forwarded = (typeof FORWARDED_TOPICS)[number];

export interface SseHubOptions {
  heartbeatMs: number;
  /** Per stream: bytes its socket may hold back before it misses events (and gets a resync). */
  maxBufferedBytes: number;
  /** Events larger than this are not sent; streams get a resync (the page refetches). */
  maxEventBytes: number;
  /** Streams at once, over all clients. */
  maxStreams: number;
  /** Streams at once from one client address. */
  maxStreamsPerAddress: number;
}

export const defaultSseHubOptions: SseHubOptions = { heartbeatMs: 15_000, maxBufferedBytes: 256 * 1024, maxEventBytes: 128 * 1024, maxStreams: 10_000, maxStreamsPerAddress: 32 };

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

const HEARTBEAT = Buffer.from(': ping\n\n');
const RESYNC_EVENT = 'resync';

interface Member {
  stream: SseStream;
  address: string;
  service: string | undefined;
  /** The instant check this stream follows (it gets that check's rows and nothing else). */
  instant?: string;
}

/** The event instant-check rows travel as, to streams that follow one check only. */
export const INSTANT_EVENT = 'instant.answered';

/**
 * Every live event stream of the server. The hub, not each stream, subscribes to the bus:
 * an event is serialised once for all unfiltered streams and once per service that has
 * filtered streams, and the same bytes are written to each socket (10,000 idle streams cost
 * 10,000 writes of one buffer, not 10,000 JSON.stringify calls and copies). One heartbeat
 * timer serves all streams. Caps per client address and overall keep one client from
 * taking every stream.
 */
export class SseHub {
  private readonly all = new Set<Member>();
  private readonly unfiltered = new Set<Member>();
  private readonly byService = new Map<string, Set<Member>>();
  private readonly byInstant = new Map<string, Set<Member>>();
  private readonly perAddress = new Map<string, number>();
  private readonly unsubscribe: (() => void)[];
  private readonly timer: NodeJS.Timeout;
  private nextId = 1;

  constructor(
    bus: Bus,
    readonly options: SseHubOptions,
  ) {
    this.unsubscribe = FORWARDED_TOPICS.map((topic) => bus.subscribe(topic, (payload) => this.publish(topic, payload)));
    this.unsubscribe.push(bus.subscribe(INSTANT_EVENT, (payload) => this.publishInstant(payload)));
    this.timer = setInterval(() => this.broadcast(HEARTBEAT), options.heartbeatMs);
    this.timer.unref();
  }

  get size(): number {
    return this.all.size;
  }

  /** Why a new stream from `address` would be refused, or undefined when it may open. */
  refusal(address: string): 'full' | 'address' | undefined {
    if (this.all.size >= this.options.maxStreams) return 'full';
    if ((this.perAddress.get(address) ?? 0) >= this.options.maxStreamsPerAddress) return 'address';
    return undefined;
  }

  /**
   * Adds a stream; it leaves the hub by itself when its response closes. A stream that
   * follows an instant check gets only that check's rows.
   */
  add(stream: SseStream, address: string, service: string | undefined, onClose: (cb: () => void) => void, instant?: string): void {
    const m: Member = { stream, address, service, ...(instant !== undefined ? { instant } : {}) };
    this.all.add(m);
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    if (instant !== undefined) setMember(this.byInstant, instant, m);
    else if (service === undefined) this.unfiltered.add(m);
    else {
      let set = this.byService.get(service);
      if (!set) {
        set = new Set();
        this.byService.set(service, set);
      }
      set.add(m);
    }
    onClose(() => this.remove(m));
  }

  /** Ends every stream and stops listening (the server is closing). */
  close(): void {
    clearInterval(this.timer);
    for (const off of this.unsubscribe) off();
    for (const m of [...this.all]) m.stream.end();
  }

  private remove(m: Member): void {
    if (!this.all.delete(m)) return;
    const n = (this.perAddress.get(m.address) ?? 1) - 1;
    if (n <= 0) this.perAddress.delete(m.address);
    else this.perAddress.set(m.address, n);
    if (m.instant !== undefined) {
      const set = this.byInstant.get(m.instant);
      set?.delete(m);
      if (set && set.size === 0) this.byInstant.delete(m.instant);
    } else if (m.service === undefined) this.unfiltered.delete(m);
    else {
      const set = this.byService.get(m.service);
      set?.delete(m);
      if (set && set.size === 0) this.byService.delete(m.service);
    }
  }

  private publish<T extends Forwarded>(topic: T, payload: BusEvents[T]): void {
    if (this.all.size === 0) return;
    const id = this.nextId++;
    if (this.unfiltered.size > 0) this.writeAll(this.unfiltered, this.message(topic, payload, id));
    for (const [service, members] of this.byService) {
      const kept = filterFor(topic, payload, service);
      if (kept !== undefined) this.writeAll(members, this.message(topic, kept, id));
    }
  }

  private publishInstant(payload: BusEvents[typeof INSTANT_EVENT]): void {
    const members = this.byInstant.get(payload.id);
    if (members) this.writeAll(members, this.message(INSTANT_EVENT, payload, this.nextId++));
  }

  /** The event's bytes, or a resync when it is too large to send to everyone. */
  private message(topic: string, data: unknown, id: number): Buffer {
    const bytes = sseMessage(topic, data, id);
    return bytes.byteLength <= this.options.maxEventBytes ? bytes : sseMessage(RESYNC_EVENT, {}, id);
  }

  private broadcast(chunk: Buffer): void {
    this.writeAll(this.all, chunk);
  }

  private writeAll(members: ReadonlySet<Member>, chunk: Buffer): void {
    for (const m of members) m.stream.write(chunk);
  }
}

function setMember(map: Map<string, Set<Member>>, key: string, m: Member): void {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(m);
}
