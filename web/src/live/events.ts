import { useEffect, useRef } from 'preact/hooks';

/** Payloads of the server's `/api/v1/events` stream (the bus topics it forwards). */
export interface LiveEvents {
  'reports.committed': { service: string; minute: number; count: number }[];
  'incident.changed': { kind: string; incidentId: string; service: string; at: number };
  'service.changed': { slug: string; kind: string };
}
export type LiveTopic = keyof LiveEvents;
type Listener = (topic: LiveTopic, payload: unknown) => void;

const TOPICS: readonly LiveTopic[] = ['reports.committed', 'incident.changed', 'service.changed'];
const listeners = new Set<Listener>();
let source: EventSource | undefined;

/** One EventSource per tab, shared by every component; EventSource reconnects by itself. */
function ensureSource(): void {
  if (source || typeof EventSource === 'undefined') return;
  source = new EventSource('/api/v1/events');
  for (const topic of TOPICS) {
    source.addEventListener(topic, (ev) => {
      let payload: unknown;
      try {
        payload = JSON.parse((ev as MessageEvent<string>).data);
      } catch {
        return;
      }
      for (const l of listeners) l(topic, payload);
    });
  }
  source.addEventListener('open', () => document.documentElement.setAttribute('data-live', 'connected'));
  source.addEventListener('error', () => document.documentElement.setAttribute('data-live', 'reconnecting'));
}

/**
 * Calls `onChange` (coalesced to one call per animation frame burst) when an event
 * concerning `service` arrives, or any event when `service` is undefined.
 */
export function useLive(onChange: (topic: LiveTopic) => void, service?: string): void {
  const cb = useRef(onChange);
  cb.current = onChange;
  useEffect(() => {
    ensureSource();
    let pending: LiveTopic | undefined;
    let timer: number | undefined;
    const listener: Listener = (topic, payload) => {
      if (service !== undefined && !concerns(topic, payload, service)) return;
      pending = topic;
      // Bursts of commits (one per group commit) collapse into one refetch.
      timer ??= window.setTimeout(() => {
        timer = undefined;
        if (pending) cb.current(pending);
      }, 150);
    };
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [service]);
}

function concerns(topic: LiveTopic, payload: unknown, service: string): boolean {
  if (topic === 'reports.committed') return Array.isArray(payload) && payload.some((r: { service?: string }) => r.service === service);
  if (topic === 'incident.changed') return (payload as { service?: string }).service === service;
  return (payload as { slug?: string }).slug === service;
}
