import { afterEach, describe, expect, it } from 'vitest';
import { ABUSE_ADMIN, realServer, type RealServer } from './real-server.js';

/**
 * Issue 15: one agent token must not speak for many places. Before, an agent created without
 * a location could file failing results under any invented location (and any check): five
 * such locations made a probe-only "5 of 5 locations failing" event. The production server,
 * with its correlator, on loopback.
 */
let s: RealServer | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const admin = { authorization: `Bearer ${ABUSE_ADMIN}`, 'content-type': 'application/json' };

async function call(method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${s!.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const failing = (id: string, checkId: string, location?: string) => ({
  id, checkId, at: Date.now(), ok: false, errorClass: 'connection_refused', latencyMs: 1, detail: 'ECONNREFUSED', ...(location ? { location } : {}),
});

async function probeEvents(service: string): Promise<{ failingLocations: number }[]> {
  return (await call('GET', `/api/v1/alerts/probe-events?service=${service}`, admin)).json.events as { failingLocations: number }[];
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  return read();
}

describe('agent results', () => {
  it('an agent speaks for its own location and its assigned checks only; no probe-only event from one token', async () => {
    s = await realServer({ services: [{ slug: 'x', name: 'X', url: 'https://x.example' }, { slug: 'y', name: 'Y', url: 'https://y.example' }] });
    const check = (await call('POST', '/api/v1/checks', admin, { name: 'x-home', service: 'x', type: 'http', target: 'http://127.0.0.1:9/', interval: '1h', conditions: ['status == 200'] })).json;
    const tokyoOnly = (await call('POST', '/api/v1/checks', admin, { name: 'x-tokyo', service: 'x', type: 'http', target: 'http://127.0.0.1:9/', interval: '1h', locations: ['Tokyo, JP'], conditions: ['status == 200'] })).json;
    const created = (await call('POST', '/api/v1/agents', admin, { name: 'rogue' })).json;
    const agent = { authorization: `Bearer ${created.token as string}`, 'content-type': 'application/json' };

    // The first call fixes the location; from then on, others are refused.
    expect((await call('GET', '/api/v1/agent/assignments?location=Frankfurt,%20DE', agent)).status).toBe(200);
    for (const invented of ['Paris, FR', 'Tokyo, JP', 'Sydney, AU', 'Ohio, US']) {
      const res = await call('POST', '/api/v1/agent/results', agent, { location: invented, results: [failing(`forged-${invented}`, check.id as string)] });
      expect(res.status).toBe(403);
      expect(res.json).toMatchObject({ error: 'forbidden_location', field: 'location' });
    }
    // Naming another location per result is refused too.
    const perResult = await call('POST', '/api/v1/agent/results', agent, { location: 'Frankfurt, DE', results: [failing('result-own-1', check.id as string), failing('result-forged', check.id as string, 'Paris, FR')] });
    expect(perResult).toMatchObject({ status: 403, json: { error: 'forbidden_location', field: 'results.1.location' } });
    // Its own location is taken; a check that location does not run is not.
    const own = await call('POST', '/api/v1/agent/results', agent, { location: 'Frankfurt, DE', results: [failing('result-own-2', check.id as string), failing('result-tokyo', tokyoOnly.id as string)] });
    expect(own).toMatchObject({ status: 200, json: { accepted: 1, refused: 1, ignored: 0 } });

    const matrix = (await call('GET', `/api/v1/checks/${check.id as string}/matrix`, {})).json as { rows: { location: string }[] };
    expect(matrix.rows.map((r) => r.location)).toEqual(['Frankfurt, DE']);
    expect(((await call('GET', `/api/v1/checks/${tokyoOnly.id as string}/matrix`, {})).json as { rows: { last: unknown }[] }).rows.every((r) => r.last === null)).toBe(true);

    // Control: two genuine agents in two places do make a probe-only event (for service y).
    const yCheck = (await call('POST', '/api/v1/checks', admin, { name: 'y-home', service: 'y', type: 'http', target: 'http://127.0.0.1:9/', interval: '1h', conditions: ['status == 200'] })).json;
    for (const [name, location] of [['fra', 'Frankfurt, DE'], ['nyc', 'New York, US']]) {
      const a = (await call('POST', '/api/v1/agents', admin, { name, location })).json;
      const res = await call('POST', '/api/v1/agent/results', { authorization: `Bearer ${a.token as string}`, 'content-type': 'application/json' }, { results: [failing(`result-y-${name}`, yCheck.id as string)] });
      expect(res.json).toMatchObject({ accepted: 1 });
    }
    const control = await until(() => probeEvents('y'), (e) => e.length > 0);
    expect(control).toEqual([expect.objectContaining({ failingLocations: 2 })]);
    // The correlator works in order: x's results were weighed before y's event existed.
    expect(await probeEvents('x')).toEqual([]);
  });
});
