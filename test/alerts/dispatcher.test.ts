import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveAlertsSection, type AlertsSection } from '../../src/alerts/config.js';
import { AlertDispatcher } from '../../src/alerts/dispatcher.js';
import type { IncidentFacts } from '../../src/alerts/message.js';
import type { Store } from '../../src/store/store.js';
import { ManualClock } from '../../src/time/clock.js';
import { testDbs } from '../pg.js';
import { startHttpSink, startSmtpSink } from './sinks.js';

const T0 = Date.UTC(2026, 10, 21, 12, 0);
const MIN = 60_000;

for (const db of testDbs) {
  describe(`alert dispatcher (${db.name})`, () => {
    let store: Store;
    let sink: Awaited<ReturnType<typeof startHttpSink>>;
    let clock: ManualClock;
    let sleeps: number[];
    const incidents = new Map<string, IncidentFacts>();

    beforeEach(async () => {
      store = await db.open();
      // Correlations are stored for services only (alert-repository.ts).
      await store.services.create({ slug: 'svc', name: 'Svc', url: 'https://svc.example' }, 'api', T0);
      clock = new ManualClock(T0);
      sleeps = [];
      incidents.clear();
    });
    afterEach(async () => {
      await sink?.close();
      await db.cleanup(store);
    });

    function dispatcher(config: Partial<AlertsSection>): AlertDispatcher {
      return new AlertDispatcher({
        repo: store.alerts, clock, config: resolveAlertsSection(config), tickMs: 0,
        // Backoff is recorded, not waited for; the fake clock moves by the same amount.
        sleep: async (ms) => {
          sleeps.push(ms);
          clock.advance(ms);
        },
        lookupIncident: async (id) => incidents.get(id),
      });
    }

    it('retries a sink that fails twice, with exponential backoff, and records every attempt', async () => {
      sink = await startHttpSink([500, 503]);
      const d = dispatcher({
        retry: { maxAttempts: 5, initialBackoff: '2s', maxBackoff: '5m', timeout: '2s' },
        channels: [{ name: 'hook', type: 'webhook', url: `${sink.url}/h`, secret: 'secret-123' }],
        rules: [{ service: '*', on: ['open'], channels: ['hook'], minLocations: 2 }],
      });
      await d.notifyIncident({ kind: 'opened', incidentId: 'i1', service: 'svc', at: T0 });
      await d.idle();
      expect(sink.requests).toHaveLength(3);
      expect(sleeps).toEqual([2000, 4000]);
      const [delivery] = await store.alerts.listDeliveries();
      expect(delivery).toMatchObject({ status: 'delivered', attempts: 3, responseCode: 200, channel: 'hook', kind: 'open', incidentId: 'i1', repeat: 0 });
      expect(delivery.lastError).toBeUndefined();
      const attempts = await store.alerts.listAttempts(delivery.id);
      expect(attempts.map((a) => [a.attempt, a.ok, a.responseCode])).toEqual([[1, false, 500], [2, false, 503], [3, true, 200]]);
      expect(attempts[0].error).toContain('HTTP 500');
      expect(attempts[1].at - attempts[0].at).toBe(2000);
    });

    it('gives up after maxAttempts, and at once on a permanent failure', async () => {
      sink = await startHttpSink([500, 500, 500, 404]);
      const d = dispatcher({
        retry: { maxAttempts: 3, initialBackoff: '1s', maxBackoff: '1s', timeout: '2s' },
        channels: [{ name: 'hook', type: 'webhook', url: sink.url }],
        rules: [{ service: 'svc', on: ['open', 'close'], channels: ['hook'], minLocations: 2 }],
      });
      await d.notifyIncident({ kind: 'opened', incidentId: 'i1', service: 'svc', at: T0 });
      await d.idle();
      await d.notifyIncident({ kind: 'closed', incidentId: 'i1', service: 'svc', at: T0 + MIN });
      await d.idle();
      expect(sleeps).toEqual([1000, 1000]);
      const byKind = Object.fromEntries((await store.alerts.listDeliveries()).map((x) => [x.kind, x]));
      expect(byKind.open).toMatchObject({ status: 'failed', attempts: 3, responseCode: 500 });
      expect(byKind.close).toMatchObject({ status: 'failed', attempts: 1, responseCode: 404 });
      expect(byKind.close.lastError).toContain('HTTP 404');
    });

    it('dedupes the same incident and kind, repeats only after the interval while still firing', async () => {
      sink = await startHttpSink();
      const d = dispatcher({
        repeatInterval: '30m',
        channels: [{ name: 'hook', type: 'webhook', url: sink.url }],
        rules: [{ service: '*', on: ['open', 'close'], channels: ['hook'], minLocations: 2 }],
      });
      const opened = { kind: 'opened' as const, incidentId: 'i1', service: 'svc', at: T0 };
      await d.notifyIncident(opened);
      await d.notifyIncident(opened);
      clock.advance(10 * MIN);
      await d.notifyIncident(opened);
      await d.tick();
      await d.idle();
      expect(sink.requests).toHaveLength(1);

      clock.advance(20 * MIN);
      await d.tick();
      await d.idle();
      expect(sink.requests).toHaveLength(2);
      const reminder = JSON.parse(sink.requests[1].body) as { repeat: boolean; subject: string };
      expect(reminder.repeat).toBe(true);
      expect(reminder.subject).toContain('still firing');

      clock.advance(5 * MIN);
      await d.notifyIncident({ kind: 'closed', incidentId: 'i1', service: 'svc', at: clock.now() });
      await d.notifyIncident({ kind: 'closed', incidentId: 'i1', service: 'svc', at: clock.now() });
      clock.advance(60 * MIN);
      await d.tick();
      await d.idle();
      // One close, and no more reminders once closed.
      expect(sink.requests.map((r) => (JSON.parse(r.body) as { event: string }).event)).toEqual(['open', 'open', 'close']);
      const deliveries = await store.alerts.listDeliveries();
      expect(deliveries.map((x) => x.repeat).sort()).toEqual([0, 0, 1]);
    });

    it('each new wave is its own notice; messages carry incident facts and the saved correlation', async () => {
      sink = await startHttpSink();
      const d = dispatcher({
        publicUrl: 'https://sw.example.org',
        channels: [{ name: 'hook', type: 'webhook', url: sink.url }],
        rules: [{ service: 'svc', on: ['phase'], channels: ['hook'], minLocations: 2 }],
      });
      const facts: IncidentFacts = { status: 'open', severity: 'degraded', openedAt: T0, peak: 80, reports: 900, phases: [{}, {}], breakdown: [{ problem: 'login', percent: 100 }] };
      incidents.set('i1', facts);
      await store.alerts.saveCorrelation({
        incidentId: 'i1', service: 'svc', open: true, openedAt: T0, confidence: 'confirmed', cause: 'confirmed outage, cause: DNS failures from 3 of 4 locations',
        failingLocations: 3, totalLocations: 4, errorClasses: [{ errorClass: 'dns', locations: 3 }], updatedAt: T0,
      });
      await d.notifyIncident({ kind: 'phase', incidentId: 'i1', service: 'svc', at: T0 });
      await d.notifyIncident({ kind: 'phase', incidentId: 'i1', service: 'svc', at: T0 });
      incidents.set('i1', { ...facts, phases: [{}, {}, {}] });
      await d.notifyIncident({ kind: 'phase', incidentId: 'i1', service: 'svc', at: T0 + MIN });
      await d.notifyIncident({ kind: 'phase', incidentId: 'i1', service: 'other', at: T0 + MIN });
      await d.idle();
      const bodies = sink.requests.map((r) => JSON.parse(r.body) as Record<string, unknown>);
      expect(bodies.map((b) => b.phase)).toEqual([2, 3]);
      expect(bodies[0]).toMatchObject({
        service: 'svc', status: 'open', peak: 80, url: 'https://sw.example.org/incidents/i1', confidence: 'confirmed',
        cause: 'confirmed outage, cause: DNS failures from 3 of 4 locations', breakdown: [{ problem: 'login', percent: 100 }],
      });
    });

    it('probe failure rules fire from N locations, repeat while failing, and re-arm after recovery', async () => {
      sink = await startHttpSink();
      const smtp = await startSmtpSink();
      try {
        const d = dispatcher({
          repeatInterval: '1h',
          channels: [
            { name: 'hook', type: 'webhook', url: sink.url },
            { name: 'mail', type: 'email', host: '127.0.0.1', port: smtp.port, secure: false, requireTls: false, from: 'sw@example.org', to: ['ops@example.org'] },
          ],
          rules: [
            { service: 'svc', on: ['probe_failure'], channels: ['hook'], minLocations: 2, repeatInterval: '10m' },
            { service: 'svc', on: ['probe_failure'], channels: ['mail'], minLocations: 3 },
          ],
        });
        const probes = (failing: number) => ({ service: 'svc', at: clock.now(), failingLocations: failing, totalLocations: 4, cause: `probe-only: connection timeouts from ${failing} of 4 locations, no crowd reports` });
        await d.notifyProbes(probes(1));
        await d.notifyProbes(probes(2));
        await d.notifyProbes(probes(2));
        await d.idle();
        expect(sink.requests).toHaveLength(1);
        expect(smtp.mails).toHaveLength(0);
        await d.notifyProbes(probes(3));
        await d.idle();
        expect(sink.requests).toHaveLength(1);
        expect(smtp.mails).toHaveLength(1);
        expect(smtp.mails[0].subject).toBe('[Stormwatch] svc: probes failing');
        expect(smtp.mails[0].text).toContain('from 3 of 4 locations');
        clock.advance(10 * MIN);
        await d.tick();
        await d.idle();
        expect(sink.requests).toHaveLength(2);
        expect(smtp.mails).toHaveLength(1);
        await d.notifyProbes(probes(0));
        clock.advance(60 * MIN);
        await d.tick();
        await d.notifyProbes(probes(2));
        await d.idle();
        const events = sink.requests.map((r) => JSON.parse(r.body) as { repeat: boolean; status: string });
        expect(events.map((e) => e.repeat)).toEqual([false, true, false]);
        expect(events.every((e) => e.status === 'failing')).toBe(true);
      } finally {
        await smtp.close();
      }
    });

    it('after a restart: no duplicate notice, reminders continue, cut-short deliveries resume', async () => {
      sink = await startHttpSink();
      const config = {
        repeatInterval: '30m',
        retry: { maxAttempts: 4, initialBackoff: '1s', maxBackoff: '1m', timeout: '2s' },
        channels: [{ name: 'hook', type: 'webhook' as const, url: sink.url }],
        rules: [{ service: '*', on: ['open' as const, 'close' as const], channels: ['hook'], minLocations: 2 }],
      };
      await store.alerts.saveCorrelation({
        incidentId: 'i1', service: 'svc', open: true, openedAt: T0, confidence: 'user-reported', cause: 'c', failingLocations: 0, totalLocations: 1, errorClasses: [], updatedAt: T0,
      });
      const first = dispatcher(config);
      await first.start();
      await first.notifyIncident({ kind: 'opened', incidentId: 'i1', service: 'svc', at: T0 });
      // A close whose first attempt failed just before the process died.
      const message = { kind: 'close' as const, repeat: false, service: 'svc', status: 'closed' as const, url: 'u', breakdown: [], at: T0 };
      await store.alerts.createDelivery({ id: 'cut', channel: 'hook', channelType: 'webhook', eventKey: 'inc:i2:close:hook', kind: 'close', service: 'svc', incidentId: 'i2', repeat: 0, message, createdAt: T0 });
      await store.alerts.recordAttempt({ deliveryId: 'cut', attempt: 1, at: T0, ok: false, responseCode: 503, error: 'HTTP 503', durationMs: 1 }, 'retrying');
      await first.idle();
      expect(sink.requests).toHaveLength(1);

      clock.advance(5 * MIN);
      const second = dispatcher(config);
      await second.start();
      await second.idle();
      expect(await store.alerts.getDelivery('cut')).toMatchObject({ status: 'delivered', attempts: 2 });
      expect(sleeps).toEqual([]);
      await second.notifyIncident({ kind: 'opened', incidentId: 'i1', service: 'svc', at: T0 });
      await second.idle();
      expect(sink.requests).toHaveLength(2);
      clock.advance(25 * MIN);
      await second.tick();
      await second.idle();
      const events = sink.requests.map((r) => JSON.parse(r.body) as { event: string; repeat: boolean });
      expect(events.map((e) => `${e.event}${e.repeat ? '+' : ''}`)).toEqual(['open', 'close', 'open+']);
      await second.stop();
      await first.stop();
    });

    it('skips replayed history and announces the close of a reopened incident again', async () => {
      sink = await startHttpSink();
      const d = dispatcher({ channels: [{ name: 'hook', type: 'webhook', url: sink.url }], rules: [{ service: '*', on: ['open', 'phase', 'close'], channels: ['hook'], minLocations: 2 }] });
      await d.notifyIncident({ kind: 'opened', incidentId: 'old', service: 'svc', at: T0 - 3 * 60 * MIN });
      await d.notifyIncident({ kind: 'closed', incidentId: 'old', service: 'svc', at: T0 - 2 * 60 * MIN });
      await d.notifyIncident({ kind: 'opened', incidentId: 'i1', service: 'svc', at: T0 });
      await d.notifyIncident({ kind: 'closed', incidentId: 'i1', service: 'svc', at: T0 + MIN });
      clock.advance(10 * MIN);
      incidents.set('i1', { status: 'open', openedAt: T0, phases: [{}, {}], breakdown: [] });
      await d.notifyIncident({ kind: 'phase', incidentId: 'i1', service: 'svc', at: clock.now() });
      await d.notifyIncident({ kind: 'closed', incidentId: 'i1', service: 'svc', at: clock.now() + MIN });
      await d.idle();
      expect(sink.requests.map((r) => (JSON.parse(r.body) as { event: string; incidentId: string }).event)).toEqual(['open', 'close', 'phase', 'close']);

      // An open incident whose close arrives late, as replayed history: reminders stop, no close is sent.
      await d.notifyIncident({ kind: 'opened', incidentId: 'i2', service: 'svc', at: clock.now() });
      clock.advance(5 * 60 * MIN);
      await d.notifyIncident({ kind: 'closed', incidentId: 'i2', service: 'svc', at: clock.now() - 2 * 60 * MIN });
      await d.tick();
      await d.idle();
      expect(sink.requests.slice(4).map((r) => (JSON.parse(r.body) as { event: string }).event)).toEqual(['open']);
    });

    it('stops without waiting out a backoff, leaving the delivery to resume at the next start', async () => {
      sink = await startHttpSink([503]);
      const config = resolveAlertsSection({
        retry: { maxAttempts: 5, initialBackoff: '1h', maxBackoff: '1h', timeout: '2s' },
        channels: [{ name: 'hook', type: 'webhook', url: sink.url }],
        rules: [{ service: '*', on: ['open'], channels: ['hook'], minLocations: 2 }],
      });
      const real = new AlertDispatcher({ repo: store.alerts, clock, config, tickMs: 0 });
      await real.start();
      await real.notifyIncident({ kind: 'opened', incidentId: 'i1', service: 'svc', at: T0 });
      while ((await store.alerts.listDeliveries())[0]?.attempts !== 1) await new Promise((r) => setTimeout(r, 10));
      const started = Date.now();
      await real.stop();
      expect(Date.now() - started).toBeLessThan(1000);
      expect((await store.alerts.listDeliveries())[0]).toMatchObject({ status: 'retrying', attempts: 1, responseCode: 503 });

      const next = new AlertDispatcher({ repo: store.alerts, clock, config, tickMs: 0 });
      await next.start();
      await next.idle();
      expect((await store.alerts.listDeliveries())[0]).toMatchObject({ status: 'delivered', attempts: 2, responseCode: 200 });
      expect(sink.requests).toHaveLength(2);
      await next.stop();
    });

    it('uses channels and rules made through the API', async () => {
      sink = await startHttpSink();
      await store.alerts.createChannel({ name: 'api-hook', type: 'webhook', url: sink.url }, T0);
      await store.alerts.createRule({ service: 'svc', on: ['open'], channels: ['api-hook'], minLocations: 2 }, T0);
      const d = dispatcher({});
      await d.notifyIncident({ kind: 'opened', incidentId: 'i9', service: 'svc', at: T0 });
      await d.notifyIncident({ kind: 'opened', incidentId: 'i10', service: 'nope', at: T0 });
      await d.idle();
      expect(sink.requests).toHaveLength(1);
      expect((await store.alerts.listDeliveries({ incidentId: 'i9' }))[0].channel).toBe('api-hook');
    });
  });
}
