import { useEffect, useRef, useState } from 'preact/hooks';

/** Payloads of the server's `/api/v1/events` stream (the bus topics it forwards). */
export interface LiveEvents {
  'reports.committed': { service: string; minute: number; count: number }[];
  'incident.changed': { kind: string; incidentId: string; service: string; at: number };
  'service.changed': { slug: string; kind: string };
  'status.changed': { service: string; status: string; previous?: string; reasons: string[]; at: number };
  'maintenance.changed': { kind: string; maintenanceId: string; services: string[]; at: number };
}
export type LiveTopic = keyof LiveEvents;
type Listener = (topic: LiveTopic | 'resync', payload: unknown) => void;

const DEBOUNCE_MS = 100;
const MIN_INTERVAL_MS = 600;
const TOPICS: readonly LiveTopic[] = ['reports.committed', 'incident.changed', 'service.changed', 'status.changed', 'maintenance.changed'];
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
  // The server dropped events for this tab (it fell behind), or the stream reconnected and may
  // have missed some: every page refetches what it shows.
  const resync = (): void => {
    for (const l of listeners) l('resync', undefined);
  };
  source.addEventListener('resync', resync);
  let everOpen = false;
  source.addEventListener('open', () => {
    if (everOpen) resync();
    everOpen = true;
    setLiveState('connected');
  });
  source.addEventListener('error', () => setLiveState('reconnecting'));
}

export type LiveState = 'connecting' | 'connected' | 'reconnecting';
let liveState: LiveState = 'connecting';
const stateListeners = new Set<(s: LiveState) => void>();

function setLiveState(s: LiveState): void {
  liveState = s;
  document.documentElement.dataset.live = s;
  for (const l of stateListeners) l(s);
}

/** The stream's state, for the header's live indicator. */
export function useLiveState(): LiveState {
  const [state, setState] = useState(liveState);
  useEffect(() => {
    ensureSource();
    stateListeners.add(setState);
    setState(liveState);
    return () => {
      stateListeners.delete(setState);
    };
  }, []);
  return state;
}

/**
 * Calls `onChange` once per topic per burst when events concerning `service`
 * arrive (any service when undefined); `resync` means the page should refetch everything.
 */
export function useLive(onChange: (topic: LiveTopic | 'resync') => void, service?: string): void {
  const cb = useRef(onChange);
  cb.current = onChange;
  useEffect(() => {
    ensureSource();
    const pending = new Set<LiveTopic | 'resync'>();
    let timer: number | undefined;
    let lastFired = 0;
    const listener: Listener = (topic, payload) => {
      if (topic !== 'resync' && service !== undefined && !concerns(topic, payload, service)) return;
      pending.add(topic);
      // Bursts of commits (one per group commit, many a second under load) collapse into one
      // refetch per topic, at most every MIN_INTERVAL_MS: still "within a second" for a person,
      // and a busy outage does not turn every open tab into a stream of API calls.
      timer ??= window.setTimeout(
        () => {
          timer = undefined;
          lastFired = Date.now();
          const topics = pending.has('resync') ? ['resync' as const] : [...pending];
          pending.clear();
          for (const t of topics) cb.current(t);
        },
        Math.max(DEBOUNCE_MS, MIN_INTERVAL_MS - (Date.now() - lastFired)),
      );
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
  if (topic === 'incident.changed' || topic === 'status.changed') return (payload as { service?: string }).service === service;
  if (topic === 'maintenance.changed') return (payload as { services?: string[] }).services?.includes(service) ?? false;
  return (payload as { slug?: string }).slug === service;
}
