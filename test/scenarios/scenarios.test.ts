import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importScenario } from '../../src/simulate/import-reports.js';
import { seededRng } from '../../src/simulate/random.js';
import type { ReportCell, Scenario } from '../../src/simulate/scenario.js';
import { quietWeek } from '../../src/simulate/quiet-week.js';
import { spam, spamMultiAddress, spamRotatingUserAgent } from '../../src/simulate/spam.js';
import { xOutage } from '../../src/simulate/x-outage.js';
import type { Store } from '../../src/store/store.js';
import { testDbs } from '../pg.js';
import { expectOutageDetected } from './expectations.js';
import { ADMIN, liveServer, type LiveServer } from './live-server.js';

/**
 * Issue #3's acceptance: each scenario goes through the real pipeline (the simulator's
 * import over HTTP → batch endpoint → ingest and rollups → incident runner and detector →
 * incidents API), with a manual wall clock. Reduced scale keeps a run to seconds.
 */
const SCALE = 0.02;

/**
 * The scenario as a real crowd sends it: every report carries the address it came from, drawn
 * from `networks` /24s (seeded), so big networks report again and again as carriers' NATs
 * do, and detection weighs the evidence by distinct sources as it does for anonymous reports.
 */
function fromCrowd(scenario: Scenario, networks: number, seed: number): Scenario {
  return {
    ...scenario,
    *minutes(o) {
      const rng = seededRng(seed);
      const address = (): string => {
        const n = Math.floor(rng() * networks);
        return `${11 + (n >>> 16)}.${(n >>> 8) & 255}.${n & 255}.${1 + Math.floor(rng() * 250)}`;
      };
      for (const cells of scenario.minutes(o)) yield cells.map((c): ReportCell => ({ ...c, addresses: Array.from({ length: c.count }, address) }));
    },
  };
}

for (const tdb of testDbs) {
  describe(`scenarios through the real pipeline (${tdb.name})`, () => {
    let store: Store;
    let server: LiveServer | undefined;
    beforeEach(async () => {
      store = await tdb.open();
    });
    afterEach(async () => {
      await server?.close();
      server = undefined;
      await tdb.cleanup(store);
    });

    async function replay(scenario: Scenario, scale: number): Promise<LiveServer> {
      server = await liveServer(store, scenario.to);
      const r = await importScenario(scenario, { target: server.url, token: ADMIN, scale, seed: 11 });
      expect(r.serviceCreated).toBe(true);
      await server.settle(scenario.to);
      return server;
    }

    async function getJson(s: LiveServer, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
      const res = await fetch(`${s.url}${path}`);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    }

    it('x-outage-2025-03-10: one incident, a phase per wave, breakdown within 2 points, closed after recovery', async () => {
      const s = await replay(xOutage, SCALE);
      const list = await getJson(s, '/api/v1/services/x/incidents');
      expect(list.status).toBe(200);
      const incidents = list.body.incidents as Parameters<typeof expectOutageDetected>[0];
      expectOutageDetected(incidents, xOutage);
      const one = await getJson(s, `/api/v1/incidents/${incidents[0].id}`);
      expect(one.body.incident).toEqual(incidents[0]);
      expect((await getJson(s, '/api/v1/services/x/status')).body).toEqual({ service: 'x', status: 'operational', reasons: [] });
      const day = xOutage.waves[1].start;
      const baseline = await getJson(s, `/api/v1/services/x/baseline?from=${new Date(day - 3_600_000).toISOString()}&to=${new Date(day + 3_600_000).toISOString()}&step=15m`);
      const points = baseline.body.points as { t: number; expected: number; upper: number; alarm: boolean }[];
      expect(points).toHaveLength(8);
      expect(points[3].alarm).toBe(false);
      expect(points[4].alarm).toBe(true);
      expect(points.every((p) => p.upper >= p.expected)).toBe(true);
    });

    it('x-outage-2025-03-10 from a crowd of networks (every report with its address, so distinct-source evidence applies): every phase still on time', async () => {
      const crowd = fromCrowd(xOutage, 20_000, 5);
      const s = await replay(crowd, SCALE);
      const { incidents } = (await getJson(s, '/api/v1/services/x/incidents')).body as { incidents: Parameters<typeof expectOutageDetected>[0] };
      expectOutageDetected(incidents, crowd);
      // The evidence was weighed: at the peaks networks reported again within the window.
      const [sums] = await store.db.all<{ c: number | string; s: number | string }>('SELECT SUM(count) AS c, SUM(sources) AS s FROM report_minutes');
      expect(Number(sums.s)).toBeLessThan(Number(sums.c) * 0.9);
      const res = await fetch(`${s.url}/api/v1/suspected-spam?service=x`, { headers: { authorization: `Bearer ${ADMIN}` } });
      const { suspicions } = (await res.json()) as { suspicions: { incidentId?: string }[] };
      expect(suspicions.filter((x) => x.incidentId === undefined)).toEqual([]);
    });

    it('the same outage from 10 networks opens nothing: the operator sees it as suspected spam', async () => {
      const s = await replay(fromCrowd(xOutage, 10, 5), SCALE);
      expect((await getJson(s, '/api/v1/services/x/incidents')).body).toEqual({ incidents: [] });
      const res = await fetch(`${s.url}/api/v1/suspected-spam?service=x`, { headers: { authorization: `Bearer ${ADMIN}` } });
      const { suspicions } = (await res.json()) as { suspicions: { start: number }[] };
      for (const w of xOutage.waves) expect(suspicions.some((x) => Math.abs(x.start - w.start) <= 5 * 60_000), w.label).toBe(true);
    });

    it('quiet-week opens nothing', async () => {
      const s = await replay(quietWeek, SCALE * 5);
      expect((await getJson(s, '/api/v1/incidents')).body).toEqual({ incidents: [] });
      expect((await getJson(s, '/api/v1/services/quiet/status')).body.status).toBe('operational');
    });

    it('spam from a handful of reporters opens nothing', async () => {
      const s = await replay(spam, SCALE * 5);
      expect((await getJson(s, '/api/v1/incidents')).body).toEqual({ incidents: [] });
    });

    // Every report of these looks like a new reporter, so dedupe lets them all in and the
    // detector alarms; distinct-source evidence is what keeps the incident shut.
    for (const variant of [spamRotatingUserAgent, spamMultiAddress]) {
      it(`${variant.name}: accepted, the detector alarms, no incident; the operator sees suspected spam`, async () => {
        server = await liveServer(store, variant.to);
        const r = await importScenario(variant, { target: server.url, token: ADMIN, scale: SCALE * 5, seed: 11 });
        expect(r.accepted).toBe(r.sent);
        await server.settle(variant.to);
        const s = server;
        expect((await getJson(s, '/api/v1/incidents')).body).toEqual({ incidents: [] });
        expect((await getJson(s, '/api/v1/services/spam/status')).body.status).toBe('operational');
        const spamStart = variant.to - 3 * 3_600_000;
        const baseline = await getJson(s, `/api/v1/services/spam/baseline?from=${spamStart}&to=${spamStart + 45 * 60_000}&step=1m`);
        expect((baseline.body.points as { alarm: boolean }[]).filter((p) => p.alarm).length).toBeGreaterThan(10);
        const res = await fetch(`${s.url}/api/v1/suspected-spam?service=spam`, { headers: { authorization: `Bearer ${ADMIN}` } });
        const { suspicions } = (await res.json()) as { suspicions: { start: number; end?: number; reports: number; sources: number; threshold: number }[] };
        expect(suspicions.length).toBeGreaterThan(0);
        for (const x of suspicions) {
          expect(x.start).toBeGreaterThanOrEqual(spamStart);
          expect(x.start).toBeLessThan(spamStart + 45 * 60_000);
          expect(x.sources).toBeLessThanOrEqual(x.threshold);
        }
        expect((await fetch(`${s.url}/api/v1/suspected-spam`)).status).toBe(401);
      });
    }
  });
}
