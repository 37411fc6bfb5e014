import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { auth, createService, harness, T0, type Harness } from '../api/harness.js';
import { testDbs } from '../pg.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

interface PageJson { incidents: { open: { id: string }[]; past: { id: string }[] }; uptime: { percent?: number; days: { day: string; countedMinutes: number; downMinutes: number; worst?: string }[] } }

/** A status page looks back 90 days: its past incidents, its uptime bars, its feed. */
describe.each(testDbs)('the status page window on $name', (tdb) => {
  let store: Store;
  let h: Harness;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    store = await tdb.open();
    h = await harness(store);
    h.clock.set(T0 - 120 * DAY);
    await createService(h.app, 'old');
    const incident = async (name: string, at: number, minutes: number): Promise<void> => {
      h.clock.set(at);
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: auth, payload: { title: name, impact: 'critical', services: ['old'], update: { status: 'investigating', body: `${name} began.` } } });
      expect(res.statusCode, res.body).toBe(201);
      ids[name] = (res.json() as { incident: { id: string } }).incident.id;
      h.clock.set(at + minutes * 60_000);
      expect((await h.app.inject({ method: 'POST', url: `/api/v1/incidents/${ids[name]}/updates`, headers: auth, payload: { status: 'resolved', body: `${name} ended.` } })).statusCode).toBe(201);
    };
    await incident('Long ago', T0 - 100 * DAY, 60);
    await incident('Within the window', T0 - 80 * DAY + 10 * HOUR, 60);
    h.clock.set(T0);
  });
  afterAll(async () => {
    await h.close();
    await tdb.cleanup(store);
  });

  it('lists as past incidents only those of the last 90 days, and counts only those days', async () => {
    const page = (await h.app.inject({ url: '/api/v1/status-pages/old' })).json() as PageJson;
    expect(page.incidents.past.map((i) => i.id)).toEqual([ids['Within the window']]);
    expect(page.uptime.days).toHaveLength(90);
    expect(page.uptime.days[0].day).toBe(new Date(T0 - 89 * DAY).toISOString().slice(0, 10));
    const down = page.uptime.days.filter((d) => d.downMinutes > 0);
    expect(down).toEqual([{ day: new Date(T0 - 80 * DAY).toISOString().slice(0, 10), counted: true, countedMinutes: 1440, downMinutes: 60, worst: 'major_outage' }]);
    // 60 minutes down in the counted time: 89 full days and today's first 12 hours.
    expect(page.uptime.percent).toBeCloseTo(100 * (1 - 60 / (89 * 1440 + 720)), 3);
  });

  it('leaves the older incident out of the feed too', async () => {
    const atom = (await h.app.inject({ url: '/status/old/history.atom' })).body;
    expect(atom).toContain('Within the window');
    expect(atom).not.toContain('Long ago');
  });
});
