import type { Incident } from '../../src/incidents/incident.js';
import type { Store } from '../../src/store/store.js';

export interface Seeded {
  incidentId: string;
  openIncidentId: string;
  deliveryId: string;
  /** Unix seconds inside the closed incident (for the forensics link). */
  attackStart: number;
}

const MIN = 60_000;

/**
 * History the contract test reads back: a closed incident with two waves, an open one, a
 * probe correlation, a delivery with two attempts and a probe-only event. Written through
 * the real repositories, for a service (`hist`) that gets no live reports, so the running
 * incident engine never picks its state up. Every optional field is set somewhere, so a
 * response schema that misses one is caught (the serialiser would drop it).
 */
export async function seedHistory(store: Store, now: number): Promise<Seeded> {
  const t0 = Math.floor((now - 6 * 3_600_000) / MIN) * MIN;
  const closed: Incident = {
    id: 'hist-incident-1',
    service: 'hist',
    status: 'closed',
    severity: 'major_outage',
    title: 'Hist is down',
    openedAt: t0,
    closedAt: t0 + 90 * MIN,
    peak: 420,
    reports: 5100,
    phases: [
      { start: t0, end: t0 + 30 * MIN, detectedAt: t0 + 2 * MIN, peak: 420 },
      { start: t0 + 60 * MIN, end: t0 + 80 * MIN, detectedAt: t0 + 61 * MIN, peak: 180 },
    ],
    breakdown: [
      { problem: 'app', count: 2856, percent: 56 },
      { problem: 'website', count: 1683, percent: 33 },
    ],
    regions: [{ region: 'US-CA', count: 900 }],
    updatedAt: t0 + 90 * MIN,
  };
  const open: Incident = {
    ...closed,
    id: 'hist-incident-2',
    status: 'open',
    severity: 'degraded',
    title: 'Hist is degraded',
    openedAt: now - 10 * MIN,
    phases: [{ start: now - 10 * MIN, detectedAt: now - 9 * MIN, peak: 50 }],
    updatedAt: now - 5 * MIN,
  };
  delete (open as Partial<Incident>).closedAt;
  const state = { service: 'hist', lastMinute: now - 5 * MIN, status: 'degraded' as const, detector: {}, engine: {}, updatedAt: now - 5 * MIN };
  const points = Array.from({ length: 120 }, (_, i) => ({ minute: t0 + i * MIN, total: 10 + i, expected: 8.5, upper: 30.25, score: i / 100, alarm: i % 40 === 0 }));
  await store.incidents.save(state, [closed, open], points);

  await store.alerts.saveCorrelation({
    incidentId: closed.id,
    service: 'hist',
    open: false,
    openedAt: closed.openedAt,
    closedAt: closed.closedAt,
    updatedAt: closed.updatedAt,
    confidence: 'confirmed',
    cause: 'connection timeouts from 3 of 4 locations',
    failingLocations: 3,
    totalLocations: 4,
    errorClasses: [{ errorClass: 'timeout', locations: 3 }],
  });

  const delivery = await store.alerts.createDelivery({
    id: 'delivery-1',
    channel: 'ops',
    channelType: 'webhook',
    eventKey: `${closed.id}:open`,
    kind: 'open',
    service: 'hist',
    incidentId: closed.id,
    repeat: 0,
    message: {
      kind: 'open',
      repeat: false,
      service: 'hist',
      status: 'open',
      incidentId: closed.id,
      url: `http://localhost:8080/incidents/${closed.id}`,
      phase: 1,
      severity: 'major_outage',
      peak: 420,
      reports: 5100,
      breakdown: [{ problem: 'app', percent: 56 }],
      confidence: 'confirmed',
      cause: 'connection timeouts',
      at: closed.openedAt,
    },
    createdAt: closed.openedAt + 2 * MIN,
  });
  await store.alerts.recordAttempt({ deliveryId: delivery.id, attempt: 1, at: closed.openedAt + 2 * MIN, ok: false, responseCode: 502, error: 'HTTP 502', durationMs: 31 }, 'retrying');
  await store.alerts.recordAttempt({ deliveryId: delivery.id, attempt: 2, at: closed.openedAt + 3 * MIN, ok: true, responseCode: 200, durationMs: 12 }, 'delivered');

  await store.alerts.saveProbeEvent({
    id: 'probe-event-1',
    service: 'hist',
    startedAt: now - 3 * 3_600_000,
    endedAt: now - 2 * 3_600_000,
    failingLocations: 2,
    totalLocations: 3,
    errorClasses: [{ errorClass: 'dns', locations: 2 }],
    cause: 'DNS failures from 2 of 3 locations',
    updatedAt: now - 2 * 3_600_000,
  });
  return { incidentId: closed.id, openIncidentId: open.id, deliveryId: delivery.id, attackStart: Math.floor((t0 + 5 * MIN) / 1000) };
}
