import type { InstantRow } from '../probes/instant/instant-check.js';

/**
 * Publish/subscribe between domains, so that no domain imports another's engine: ingest
 * publishes accepted reports, the incident engine publishes incident changes, probes
 * publish results; alerts and the live dashboard (SSE) subscribe. One process uses the
 * in-memory `MemoryBus`; cluster mode uses `JetStreamBus` (src/cluster/jetstream-bus.ts),
 * through which every node hears every node's events.
 */
export interface BusEvents {
  /** Reports made durable, aggregated per service and minute (one event per commit). */
  'reports.committed': { service: string; minute: number; count: number }[];
  /**
   * An incident opened, gained a phase, changed (status, correlation) or closed. `source` is
   * `probe` for incidents opened by failing checks alone (absent: a crowd incident);
   * `mergedInto` names the crowd incident a probe incident was folded into.
   */
  'incident.changed': { kind: 'opened' | 'phase' | 'updated' | 'closed'; incidentId: string; service: string; at: number; source?: 'crowd' | 'probe'; mergedInto?: string };
  /**
   * An operator dismissed an automatic incident as false: the node running the service's
   * detector rebuilds it without the incident's minutes.
   */
  'incident.dismissed': { incidentId: string; service: string; at: number };
  /** Probe results made durable. */
  'probe.results': { checkId: string; location: string; ok: boolean; at: number; errorClass?: string; certExpiresAt?: number }[];
  /** A check's per-location state changed (a location went down or came back, or its failure class changed). */
  'probe.state': { checkId: string; service?: string; at: number }[];
  /** A service's derived status or its reasons changed (src/status). */
  'status.changed': { service: string; status: string; previous?: string; reasons: string[]; at: number };
  /** A maintenance window was announced, changed or removed, or it started or ended. */
  'maintenance.changed': { kind: 'created' | 'updated' | 'deleted' | 'started' | 'ended'; maintenanceId: string; services: string[]; at: number };
  /** A service was created, changed or deleted. */
  'service.changed': { slug: string; kind: 'created' | 'updated' | 'deleted' };
  /** Check definitions changed (created, replaced, deleted, or the config's synced). */
  'checks.changed': { at: number };
  /** An instant check was made: agents waiting for work (on any node) ask for it now. */
  'instant.requested': { id: string; at: number };
  /** One location answered an instant check (its row, as the API shows it). */
  'instant.answered': { id: string; row: InstantRow };
}

/** Every topic, once: a topic added to BusEvents and not here fails to compile (cluster mode forwards only these between nodes). */
const TOPICS: Record<BusTopic, true> = {
  'reports.committed': true,
  'incident.changed': true,
  'incident.dismissed': true,
  'probe.results': true,
  'probe.state': true,
  'status.changed': true,
  'maintenance.changed': true,
  'service.changed': true,
  'checks.changed': true,
  'instant.requested': true,
  'instant.answered': true,
};
export const BUS_TOPICS: readonly BusTopic[] = Object.keys(TOPICS) as BusTopic[];

export type BusTopic = keyof BusEvents;
export type Handler<T extends BusTopic> = (payload: BusEvents[T]) => void;

export type AsyncHandler<T extends BusTopic> = (payload: BusEvents[T]) => Promise<void>;

export interface Bus {
  publish<T extends BusTopic>(topic: T, payload: BusEvents[T]): void;
  /** Every event of `topic` from now on, on this node. Returns the function that unsubscribes. */
  subscribe<T extends BusTopic>(topic: T, handler: Handler<T>): () => void;
  /**
   * Work on events that must be done once: each event of `topic` goes to one consumer of
   * `group`, in order, and counts as done when the handler's promise resolves. In cluster
   * mode the group's position is kept by JetStream, so a consumer that starts on another
   * node (after a lease moved) resumes where the last one stopped, and an event whose
   * handler did not finish is delivered again. In one process it is `subscribe`.
   */
  consume<T extends BusTopic>(group: string, topic: T, handler: AsyncHandler<T>): () => void;
}

/** Synchronous fan-out; a failing subscriber never hurts the publisher or the others. */
export class MemoryBus implements Bus {
  private readonly handlers = new Map<BusTopic, Set<Handler<BusTopic>>>();
  constructor(private readonly onError: (err: unknown, topic: BusTopic) => void = () => undefined) {}

  publish<T extends BusTopic>(topic: T, payload: BusEvents[T]): void {
    const set = this.handlers.get(topic);
    if (!set) return;
    for (const h of set) {
      try {
        (h as Handler<T>)(payload);
      } catch (err) {
        this.onError(err, topic);
      }
    }
  }

  subscribe<T extends BusTopic>(topic: T, handler: Handler<T>): () => void {
    let set = this.handlers.get(topic);
    if (!set) {
      set = new Set();
      this.handlers.set(topic, set);
    }
    set.add(handler as Handler<BusTopic>);
    return () => set.delete(handler as Handler<BusTopic>);
  }

  consume<T extends BusTopic>(_group: string, topic: T, handler: AsyncHandler<T>): () => void {
    return this.subscribe(topic, (payload) => {
      handler(payload).catch((err: unknown) => this.onError(err, topic));
    });
  }
}
