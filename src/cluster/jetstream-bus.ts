import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, DiscardPolicy, jetstream, jetstreamManager, RetentionPolicy, StorageType, type ConsumerMessages, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { BUS_TOPICS, MemoryBus, type AsyncHandler, type Bus, type BusEvents, type BusTopic, type Handler } from '../events/bus.js';

export interface JetStreamBusOptions {
  servers: string;
  /** Prefix of the stream, its subjects and the durable consumers. */
  name: string;
  nodeId: string;
  log?: (line: string) => void;
  /** Events kept for publishing while NATS is away; past this the oldest are dropped (and counted). */
  maxPending?: number;
}

interface Outgoing {
  subject: string;
  data: string;
  id: string;
}

const ORIGIN = 'Stormwatch-Origin';
const NS_PER_MS = 1_000_000;
const MAX_AGE_MS = 3_600_000;

/**
 * The `Bus` across nodes. Every event is delivered to this node's subscribers at once (as
 * `MemoryBus` does) and published to one JetStream stream, `<name>_events`; each node reads
 * the stream with an ordered consumer and hands the other nodes' events to its own
 * subscribers. So a node keeps working while NATS is away (its own events go on, the others'
 * arrive once NATS is back: publishes wait in a bounded queue and are retried, deduplicated
 * by message id). `consume` uses one durable consumer per group and topic, whose position
 * JetStream keeps.
 */
export class JetStreamBus implements Bus {
  private readonly local: MemoryBus;
  private readonly outbox: Outgoing[] = [];
  private seq = 0;
  /** Events dropped from the queue's head while a slice of it was being sent. */
  private shifted = 0;
  private pumping: Promise<void> | undefined;
  private closed = false;
  private readonly readers = new Set<ConsumerMessages>();
  /** The stream reader in use (rebuilt after a reconnect). */
  private reader: ConsumerMessages | undefined;
  private readonly loops = new Set<Promise<void>>();
  /** Events dropped because the queue for NATS overflowed. */
  dropped = 0;
  /** Events from other nodes handed to subscribers here. */
  received = 0;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly o: JetStreamBusOptions,
  ) {
    this.local = new MemoryBus((err, topic) => o.log?.(`bus: a ${topic} subscriber failed: ${(err as Error).message ?? String(err)}`));
  }

  get stream(): string {
    return `${this.o.name}_events`;
  }

  /** Connects (retrying forever later on), makes sure the stream exists and starts reading it. */
  static async connect(o: JetStreamBusOptions): Promise<JetStreamBus> {
    const nc = await connect({ servers: o.servers, name: `stormwatch-${o.nodeId}`, maxReconnectAttempts: -1, reconnectTimeWait: 250, timeout: 5000 });
    try {
      const jsm = await jetstreamManager(nc);
      const bus = new JetStreamBus(nc, jetstream(nc), jsm, o);
      await bus.ensureStream();
      bus.startReading();
      void bus.watchStatus();
      return bus;
    } catch (err) {
      await nc.close().catch(() => undefined);
      throw err;
    }
  }

  publish<T extends BusTopic>(topic: T, payload: BusEvents[T]): void {
    this.local.publish(topic, payload);
    if (this.closed) return;
    const max = this.o.maxPending ?? 100_000;
    if (this.outbox.length >= max) {
      this.outbox.shift();
      this.dropped++;
      this.shifted++;
    }
    this.outbox.push({ subject: `${this.o.name}.events.${topic}`, data: JSON.stringify(payload), id: `${this.o.nodeId}-${++this.seq}` });
    this.pumping ??= this.pump().finally(() => (this.pumping = undefined));
  }

  subscribe<T extends BusTopic>(topic: T, handler: Handler<T>): () => void {
    return this.local.subscribe(topic, handler);
  }

  consume<T extends BusTopic>(group: string, topic: T, handler: AsyncHandler<T>): () => void {
    let stopped = false;
    let reader: ConsumerMessages | undefined;
    const durable = `${this.o.name}_${group}_${topic.replace(/\./g, '_')}`;
    const loop = (async () => {
      while (!stopped && !this.closed) {
        try {
          await this.jsm.consumers.add(this.stream, {
            durable_name: durable, filter_subject: `${this.o.name}.events.${topic}`, ack_policy: AckPolicy.Explicit,
            deliver_policy: DeliverPolicy.New, ack_wait: 15_000 * NS_PER_MS, max_deliver: -1,
          });
          const consumer = await this.js.consumers.get(this.stream, durable);
          // One message at a time: a handler that stops (the lease moved) leaves nothing
          // buffered here that another node would have to wait ack_wait for.
          reader = await consumer.consume({ max_messages: 1, expires: 5000 });
          if (stopped) await reader.close();
          for await (const m of reader) {
            if (stopped) {
              m.nak();
              break;
            }
            try {
              await handler(JSON.parse(m.string()) as BusEvents[T]);
              m.ack();
            } catch (err) {
              this.o.log?.(`bus: ${group} failed on ${topic}: ${(err as Error).message ?? String(err)}`);
              m.nak(1000);
            }
          }
        } catch (err) {
          if (!stopped && !this.closed) this.o.log?.(`bus: consumer ${durable}: ${(err as Error).message ?? String(err)}`);
        }
        if (!stopped && !this.closed) await sleep(500);
      }
    })();
    this.track(loop);
    return () => {
      stopped = true;
      void reader?.close();
    };
  }

  /** Publishes what is queued (waiting at most `waitMs`), then closes the connection. */
  async close(waitMs = 2000): Promise<void> {
    const deadline = Date.now() + waitMs;
    while (this.outbox.length > 0 && Date.now() < deadline && !this.nc.isClosed()) {
      await Promise.race([this.pumping ?? this.pump(), sleep(100)]);
    }
    this.closed = true;
    for (const r of this.readers) await r.close().catch(() => undefined);
    await this.nc.drain().catch(() => undefined);
    await Promise.allSettled([...this.loops]);
  }

  /** Events waiting to be published to NATS. */
  get pending(): number {
    return this.outbox.length;
  }

  private async ensureStream(): Promise<void> {
    const config = {
      name: this.stream, subjects: [`${this.o.name}.events.>`], retention: RetentionPolicy.Limits, storage: StorageType.File,
      max_age: MAX_AGE_MS * NS_PER_MS, max_bytes: 256 * 1024 * 1024, discard: DiscardPolicy.Old, duplicate_window: 120_000 * NS_PER_MS, num_replicas: 1,
    };
    try {
      await this.jsm.streams.info(this.stream);
    } catch {
      try {
        await this.jsm.streams.add(config);
      } catch (err) {
        // Another node created it meanwhile.
        await this.jsm.streams.info(this.stream).catch(() => Promise.reject(err));
      }
    }
  }

  /** Sends the queue in order, in slices; a failed slice is retried after a pause. */
  private async pump(): Promise<void> {
    let pause = 100;
    while (this.outbox.length > 0 && !this.closed) {
      this.shifted = 0;
      const slice = this.outbox.slice(0, 256);
      const h = headers();
      h.set(ORIGIN, this.o.nodeId);
      const results = await Promise.allSettled(slice.map((e) => this.js.publish(e.subject, e.data, { msgID: e.id, headers: h, timeout: 5000 })));
      const failed = slice.filter((_, i) => results[i].status === 'rejected');
      const sent = slice.length - failed.length;
      // What is left of the slice at the queue's head (an overflow meanwhile dropped some of it).
      const cut = Math.min(this.shifted, slice.length);
      this.outbox.splice(0, slice.length - cut, ...slice.filter((_, i) => i >= cut && results[i].status === 'rejected'));
      if (failed.length > 0) {
        if (sent === 0) this.o.log?.(`bus: publishing to NATS failed (${(results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason}); ${this.outbox.length} events wait`);
        await sleep(pause);
        pause = Math.min(pause * 2, 2000);
      } else pause = 100;
    }
  }

  /**
   * Reads every node's events from now on; this node's own were delivered at publish. After
   * NATS comes back the reader is rebuilt at once from the last sequence seen (the client's
   * own recovery would first wait for missed heartbeats), so nothing published meanwhile is
   * skipped.
   */
  private startReading(): void {
    let lastSeq = 0;
    const loop = (async () => {
      while (!this.closed) {
        try {
          const start = lastSeq > 0 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: lastSeq + 1 } : { deliver_policy: DeliverPolicy.New };
          const consumer = await this.js.consumers.get(this.stream, { filter_subjects: `${this.o.name}.events.>`, ...start });
          const reader = await consumer.consume({ expires: 5000 });
          this.readers.add(reader);
          this.reader = reader;
          const prefix = `${this.o.name}.events.`;
          for await (const m of reader) {
            lastSeq = m.seq;
            if (m.headers?.get(ORIGIN) === this.o.nodeId) continue;
            const topic = m.subject.slice(prefix.length) as BusTopic;
            if (!BUS_TOPICS.includes(topic)) continue;
            let payload: unknown;
            try {
              payload = JSON.parse(m.string());
            } catch {
              continue;
            }
            this.received++;
            this.local.publish(topic, payload as BusEvents[typeof topic]);
          }
          this.readers.delete(reader);
        } catch (err) {
          if (!this.closed) this.o.log?.(`bus: reading the stream: ${(err as Error).message ?? String(err)}`);
        }
        if (!this.closed) await sleep(200);
      }
    })();
    this.track(loop);
  }

  private async watchStatus(): Promise<void> {
    for await (const s of this.nc.status()) {
      if (s.type === 'disconnect' || s.type === 'reconnect') this.o.log?.(`bus: NATS ${s.type}`);
      if (s.type !== 'reconnect') continue;
      if (this.outbox.length > 0) this.pumping ??= this.pump().finally(() => (this.pumping = undefined));
      void this.reader?.close();
    }
  }

  private track(p: Promise<void>): void {
    this.loops.add(p);
    void p.finally(() => this.loops.delete(p));
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
