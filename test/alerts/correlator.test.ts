import Value from 'typebox/value';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveAlertsSection } from '../../src/alerts/config.js';
import type { IncidentFacts } from '../../src/alerts/message.js';
import { setupAlerts, type AlertsSetup } from '../../src/alerts/setup.js';
import { MemoryBus, type BusEvents } from '../../src/events/bus.js';
import { CheckDefinition } from '../../src/probes/check.js';
import type { ErrorClass, ProbeResult } from '../../src/probes/result.js';
import type { Store } from '../../src/store/store.js';
import { ManualClock } from '../../src/time/clock.js';
import { testDbs } from '../pg.js';
import { startHttpSink, startSmtpSink } from './sinks.js';

const T0 = Date.UTC(2026, 10, 21, 12, 0);
const MIN = 60_000;
const LOCATIONS = ['Frankfurt, DE', 'London, GB', 'Ohio, US', 'Oregon, US', 'Paris, FR', 'Sao Paulo, BR', 'Singapore, SG', 'Sydney, AU', 'Tokyo, JP'];

for (const db of testDbs) {
  describe(`correlation with probes, end to end (${db.name})`, () => {
    let store: Store;
    let bus: MemoryBus;
    let clock: ManualClock;
    let alerts: AlertsSetup;
    let hook: Awaited<ReturnType<typeof startHttpSink>>;
    let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
    const incidents = new Map<string, IncidentFacts>();
    const published: BusEvents['incident.changed'][] = [];
    let seq = 0;

    beforeEach(async () => {
      store = await db.open();
      // Correlations and probe-only events are stored for services only (alert-repository.ts).
      for (const slug of ['example', 'shop']) await store.services.create({ slug, name: slug, url: `https://${slug}.example` }, 'api', T0);
      bus = new MemoryBus();
      clock = new ManualClock(T0);
      hook = await startHttpSink();
      smtp = await startSmtpSink();
      published.length = 0;
      bus.subscribe('incident.changed', (e) => published.push(e));
      alerts = setupAlerts({
        bus, clock, repo: store.alerts, probes: store.probes, tickMs: 0, sleep: async () => undefined,
        lookupIncident: async (id) => incidents.get(id),
        config: resolveAlertsSection({
          publicUrl: 'https://sw.example.org',
          correlation: { minLocations: 3, lookback: '5m', freshness: '5m' },
          channels: [
            { name: 'hook', type: 'webhook', url: hook.url, secret: 'hook-secret' },
            { name: 'mail', type: 'email', host: '127.0.0.1', port: smtp.port, secure: false, requireTls: false, from: 'sw@example.org', to: ['ops@example.org'] },
          ],
          rules: [
            { service: '*', on: ['open', 'update', 'close'], channels: ['hook', 'mail'], minLocations: 2 },
            { service: '*', on: ['probe_failure'], channels: ['hook'], minLocations: 3 },
          ],
        }),
      });
      await alerts.dispatcher.start();
      await alerts.correlator.start();
    });
    afterEach(async () => {
      await alerts.correlator.stop();
      await alerts.dispatcher.stop();
      await hook.close();
      await smtp.close();
      await db.cleanup(store);
    });

    async function check(name: string, service: string): Promise<string> {
      const def = Value.Default(CheckDefinition, { name, service, type: 'http', target: `http://127.0.0.1:9/${name}` }) as CheckDefinition;
      return (await store.probes.createCheck(def, 'api', T0)).id;
    }

    /** Stores results as the probe service does, then announces them on the bus. */
    async function results(checkId: string, failing: number, errorClass: ErrorClass = 'timeout'): Promise<void> {
      const rows: ProbeResult[] = LOCATIONS.map((location, i) => ({
        id: `r${seq++}`, checkId, location, at: clock.now(), ok: i >= failing, errorClass: i >= failing ? 'ok' : errorClass,
        latencyMs: 20, detail: i >= failing ? 'ok' : errorClass,
      }));
      await store.probes.insertResults(rows);
      bus.publish('probe.results', rows.map((r) => ({ checkId: r.checkId, location: r.location, ok: r.ok, at: r.at, errorClass: r.errorClass })));
      await settle();
    }

    async function settle(): Promise<void> {
      await alerts.correlator.idle();
      await alerts.dispatcher.idle();
    }

    it('confirms an incident from probe failures and tells the webhook and the SMTP server why', async () => {
      const id = await check('home', 'example');
      await results(id, 7);
      incidents.set('inc-1', { status: 'open', severity: 'major_outage', openedAt: T0, peak: 300, reports: 1200, phases: [{}], breakdown: [{ problem: 'website', percent: 80 }] });
      clock.advance(MIN);
      bus.publish('incident.changed', { kind: 'opened', incidentId: 'inc-1', service: 'example', at: clock.now() });
      await settle();

      const c = await store.alerts.getCorrelation('inc-1');
      expect(c).toMatchObject({ confidence: 'confirmed', failingLocations: 7, totalLocations: 9, open: true, errorClasses: [{ errorClass: 'timeout', locations: 7 }] });
      expect(c?.cause).toBe('confirmed outage, cause: connection timeouts from 7 of 9 locations on home');

      // Probes failed from 7 locations before anyone reported: a probe failure alert came first.
      const bodies = hook.requests.map((r) => JSON.parse(r.body) as Record<string, unknown>);
      expect(bodies.map((b) => b.event)).toEqual(['probe_failure', 'open']);
      const body = bodies[1];
      expect(body).toMatchObject({ event: 'open', service: 'example', url: 'https://sw.example.org/incidents/inc-1', confidence: 'confirmed', phase: 1, peak: 300 });
      expect(body.cause).toBe('confirmed outage, cause: connection timeouts from 7 of 9 locations on home');
      expect(smtp.mails).toHaveLength(1);
      expect(smtp.mails[0].subject).toBe('[Stormwatch] example: incident opened');
      expect(smtp.mails[0].text).toContain('Cause: confirmed outage, cause: connection timeouts from 7 of 9 locations on home');

      // Probes recover: the incident stays confirmed, nothing new is published.
      clock.advance(MIN);
      await results(id, 0);
      expect((await store.alerts.getCorrelation('inc-1'))?.confidence).toBe('confirmed');
      expect(published.filter((e) => e.kind === 'updated')).toHaveLength(0);

      clock.advance(MIN);
      bus.publish('incident.changed', { kind: 'closed', incidentId: 'inc-1', service: 'example', at: clock.now() });
      await settle();
      expect(await store.alerts.getCorrelation('inc-1')).toMatchObject({ open: false, closedAt: clock.now(), confidence: 'confirmed' });
      expect(hook.requests.map((r) => (JSON.parse(r.body) as { event: string }).event)).toEqual(['probe_failure', 'open', 'close']);
    });

    it('says "not reproduced" while probes are fine, and upgrades (publishing `updated`) when they start failing', async () => {
      const id = await check('api', 'example');
      await results(id, 0);
      bus.publish('incident.changed', { kind: 'opened', incidentId: 'inc-2', service: 'example', at: clock.now() });
      await settle();
      expect(await store.alerts.getCorrelation('inc-2')).toMatchObject({ confidence: 'user-reported', cause: 'user-reported, not reproduced: probes fine from 9 locations' });

      clock.advance(MIN);
      await results(id, 4, 'http_5xx');
      expect(await store.alerts.getCorrelation('inc-2')).toMatchObject({ confidence: 'confirmed', cause: 'confirmed outage, cause: HTTP 5xx errors from 4 of 9 locations on api' });
      const many = await store.alerts.getCorrelations(['inc-2', 'no-such-incident']);
      expect([...many.keys()]).toEqual(['inc-2']);
      expect(many.get('inc-2')).toEqual(await store.alerts.getCorrelation('inc-2'));
      expect(published.filter((e) => e.kind === 'updated').map((e) => e.incidentId)).toEqual(['inc-2']);
      const events = hook.requests.map((r) => JSON.parse(r.body) as { event: string; cause: string });
      // The probe failure rule (3 locations) fires too: it watches the probes whatever the crowd says.
      expect(events.map((e) => e.event).sort()).toEqual(['open', 'probe_failure', 'update']);
      expect(events.find((e) => e.event === 'update')?.cause).toContain('4 of 9 locations');
    });

    it('records a probe-only event and alerts on it; an incident for the service ends the event', async () => {
      const id = await check('shop', 'shop');
      await results(id, 2, 'connection_refused');
      expect(await store.alerts.listProbeEvents()).toHaveLength(0);
      expect(hook.requests).toHaveLength(0);

      clock.advance(MIN);
      await results(id, 5, 'connection_refused');
      const [event] = await store.alerts.listProbeEvents({ service: 'shop' });
      expect(event).toMatchObject({ service: 'shop', startedAt: clock.now(), failingLocations: 5, totalLocations: 9 });
      expect(event.endedAt).toBeUndefined();
      expect(event.cause).toBe('probe-only: connections refused from 5 of 9 locations on shop, no crowd reports');
      const alert = JSON.parse(hook.requests[0].body) as Record<string, unknown>;
      expect(alert).toMatchObject({ event: 'probe_failure', status: 'failing', service: 'shop', probeEventId: event.id, url: 'https://sw.example.org/services/shop' });

      clock.advance(MIN);
      await results(id, 6, 'connection_refused');
      expect(await store.alerts.listProbeEvents({ service: 'shop' })).toMatchObject([{ id: event.id, failingLocations: 6 }]);
      expect(hook.requests).toHaveLength(1);

      clock.advance(MIN);
      bus.publish('incident.changed', { kind: 'opened', incidentId: 'inc-3', service: 'shop', at: clock.now() });
      await settle();
      expect(await store.alerts.listProbeEvents({ service: 'shop' })).toMatchObject([{ id: event.id, endedAt: clock.now() }]);
      expect((await store.alerts.getCorrelation('inc-3'))?.confidence).toBe('confirmed');
    });

    it('a check naming a slug that is no service (one deleted: its checks are kept) records no probe-only event, but still alerts', async () => {
      const id = await check('gone', 'gone');
      await results(id, 5, 'connection_refused');
      expect(await store.alerts.listProbeEvents({ service: 'gone' })).toEqual([]);
      expect(hook.requests).toHaveLength(1);
      const alert = JSON.parse(hook.requests[0].body) as Record<string, unknown>;
      expect(alert).toMatchObject({ event: 'probe_failure', status: 'failing', service: 'gone' });
      expect(alert.probeEventId).toBeUndefined();
      clock.advance(MIN);
      await results(id, 6, 'connection_refused');
      expect(hook.requests).toHaveLength(1);
      expect(await store.alerts.listProbeEvents({ service: 'gone' })).toEqual([]);
    });

    it('ignores results older than the freshness window and checks of other services', async () => {
      const mine = await check('mine', 'example');
      const other = await check('other', 'other');
      await results(mine, 9);
      clock.advance(10 * MIN);
      await results(other, 9);
      expect((await store.alerts.listProbeEvents({ service: 'example' }))[0]?.endedAt).toBeUndefined();
      bus.publish('incident.changed', { kind: 'opened', incidentId: 'inc-4', service: 'example', at: clock.now() });
      await settle();
      // The failing results of `mine` are 10 minutes old, beyond the 5-minute lookback.
      expect(await store.alerts.getCorrelation('inc-4')).toMatchObject({ confidence: 'unverified', totalLocations: 0 });
    });
  });
}
