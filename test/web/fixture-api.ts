import type { App } from '../../src/api/app.js';
import type { AppDeps } from '../../src/api/deps.js';

/**
 * DEVELOPMENT ONLY: a stand-in for the reports and incidents API, shaped as the issues
 * describe, so pages can be looked at before those routes exist. Browser tests run against
 * the real server, never this.
 */
const DAY0 = Date.parse('2025-03-10T00:00:00Z');
const waves = [
  { start: DAY0 + 9.5 * 3_600_000, end: DAY0 + 10.5 * 3_600_000, peak: 300 },
  { start: DAY0 + 13.5 * 3_600_000, end: DAY0 + 14.8 * 3_600_000, peak: 900 },
  { start: DAY0 + 15.2 * 3_600_000, end: DAY0 + 17.5 * 3_600_000, peak: 700 },
];

function perMinute(t: number): number {
  const hour = new Date(t).getUTCHours() + new Date(t).getUTCMinutes() / 60;
  let v = 5 + 4 * Math.sin(((hour - 8) / 24) * 2 * Math.PI);
  for (const w of waves) if (t >= w.start && t < w.end) v += w.peak * Math.sin((Math.PI * (t - w.start)) / (w.end - w.start));
  return Math.max(0, Math.round(v));
}

export async function fixtureApiRoutes(app: App, _deps: AppDeps): Promise<void> {
  const extra = new Map<number, number>();
  app.get('/api/v1/services', async () => ({
    services: [
      { slug: 'x', name: 'X', url: 'https://x.com', status: 'major_outage' },
      { slug: 'github', name: 'GitHub', url: 'https://github.com', status: 'operational' },
      { slug: 'slack', name: 'Slack', url: 'https://slack.com', status: 'degraded' },
    ],
  }));
  app.get('/api/v1/services/:slug', async (req) => ({ slug: (req.params as { slug: string }).slug, name: 'X', url: 'https://x.com', status: 'major_outage' }));
  app.get('/api/v1/services/:slug/reports', async (req) => {
    const q = req.query as { from: string; to: string; step: string };
    const step = { '1m': 60_000, '5m': 300_000, '15m': 900_000, '1h': 3_600_000 }[q.step] ?? 900_000;
    const points = [];
    for (let t = Date.parse(q.from); t < Date.parse(q.to); t += step) {
      let total = 0;
      for (let m = t; m < t + step; m += 60_000) total += perMinute(m) + (extra.get(m) ?? 0);
      points.push({ t: new Date(t).toISOString(), total });
    }
    return { step: q.step, points };
  });
  app.get('/api/v1/services/:slug/baseline', async (req) => {
    const q = req.query as { from: string; to: string; step: string };
    const step = { '1m': 60_000, '5m': 300_000, '15m': 900_000, '1h': 3_600_000 }[q.step] ?? 900_000;
    const points = [];
    for (let t = Date.parse(q.from); t < Date.parse(q.to); t += step) {
      const hour = new Date(t).getUTCHours();
      const expected = (step / 60_000) * (5 + 4 * Math.sin(((hour - 8) / 24) * 2 * Math.PI));
      points.push({ t: new Date(t).toISOString(), expected, upper: expected * 2.5 + 10 });
    }
    return { points };
  });
  app.get('/api/v1/services/:slug/breakdown', async () => ({
    total: 1000,
    problems: [
      { problem: 'app', count: 560, percent: 56 },
      { problem: 'website', count: 330, percent: 33 },
      { problem: 'connection', count: 60, percent: 6 },
      { problem: 'login', count: 50, percent: 5 },
    ],
  }));
  app.get('/api/v1/services/:slug/regions', async () => ({
    regions: [
      { region: 'US-CA', count: 4000 },
      { region: 'US-NY', count: 3500 },
      { region: 'US-TX', count: 900 },
      { region: 'US-WA', count: 1200 },
      { region: 'GB', count: 800 },
      { region: 'DE', count: 400 },
      { region: 'IN', count: 300 },
      { region: 'BR', count: 200 },
      { region: 'JP', count: 150 },
    ],
  }));
  const incident = {
    id: 'inc-1',
    service: 'x',
    status: 'closed',
    title: 'X: spike in problem reports',
    openedAt: new Date(waves[0].start + 120_000).toISOString(),
    closedAt: new Date(waves[2].end + 600_000).toISOString(),
    peak: 905,
    phases: waves.map((w) => ({ start: new Date(w.start).toISOString(), end: new Date(w.end).toISOString(), peak: w.peak })),
    breakdown: [
      { problem: 'app', count: 560, percent: 56 },
      { problem: 'website', count: 330, percent: 33 },
      { problem: 'other', count: 110, percent: 11 },
    ],
    regions: [
      { region: 'US-CA', count: 4000 },
      { region: 'US-NY', count: 3500 },
      { region: 'GB', count: 800 },
    ],
  };
  app.get('/api/v1/incidents', async () => ({ incidents: [incident] }));
  app.get('/api/v1/services/:slug/incidents', async () => ({ incidents: [incident] }));
  app.get('/api/v1/incidents/:id', async () => incident);
  app.post('/api/v1/services/:slug/reports', async (_req, reply) => {
    const m = Math.floor(_deps.clock.now() / 60_000) * 60_000;
    extra.set(m, (extra.get(m) ?? 0) + 1);
    _deps.bus.publish('reports.committed', [{ service: 'x', minute: m, count: 1 }]);
    return reply.status(202).send({ accepted: true });
  });
}
