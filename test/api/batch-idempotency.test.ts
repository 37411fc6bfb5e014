import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDbs } from '../pg.js';
import { auth, createService, harness, T0, type Harness } from './harness.js';

const ndjson = { 'content-type': 'application/x-ndjson' };

/** Admin backfill lines with event times, a few per minute, and one bad line. */
function lines(n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(JSON.stringify({ service: 'x', problem: i % 3 === 0 ? 'app' : 'website', region: 'US-CA', ts: new Date(T0 - 3_600_000 + i * 20_000).toISOString() }));
  out.push('{"service":"x","problem":"bogus"}');
  return `${out.join('\n')}\n`;
}

describe.each(testDbs)('Idempotency-Key on POST /api/v1/reports:batch ($name)', (db) => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness(await db.open());
    await createService(h.app, 'x');
  });
  afterEach(async () => {
    await h.close();
    await db.cleanup(h.store);
  });

  const post = (payload: string, headers: Record<string, string>) => h.app.inject({ method: 'POST', url: '/api/v1/reports:batch', headers: { ...ndjson, ...headers }, payload });
  const total = async (): Promise<number> => {
    const res = await h.app.inject({ url: `/api/v1/services/x/reports?from=${new Date(T0 - 7_200_000).toISOString()}&to=${new Date(T0).toISOString()}&step=15m` });
    return (res.json() as { total: number }).total;
  };

  it('stores a batch once: the repeat gets the first answer, marked replayed, and no count moves', async () => {
    const body = lines(90);
    const first = await post(body, { ...auth, 'idempotency-key': 'sim-abc' });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ accepted: 90, rejected: 1 });
    expect(first.json().replayed).toBeUndefined();
    expect(await total()).toBe(90);

    const again = await post(body, { ...auth, 'idempotency-key': 'sim-abc' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ ...first.json(), replayed: true });
    expect(await total()).toBe(90);
    expect(await h.store.reports.countRaw()).toBe(90);

    // The key is the rule, not the content: another key stores the same lines again.
    expect((await post(body, { ...auth, 'idempotency-key': 'sim-other' })).json()).toMatchObject({ accepted: 90 });
    expect(await total()).toBe(180);
  });

  it('holds across a restart of the ingest pipeline and against concurrent repeats', async () => {
    const body = lines(30);
    const answers = await Promise.all([1, 2, 3].map(() => post(body, { ...auth, 'idempotency-key': 'race-1' })));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200]);
    expect(answers.filter((a) => a.json().replayed === true)).toHaveLength(2);
    expect(answers.every((a) => a.json().accepted === 30)).toBe(true);
    expect(await total()).toBe(30);

    await h.close();
    h = await harness(h.store);
    const later = await post(body, { ...auth, 'idempotency-key': 'race-1' });
    expect(later.json()).toMatchObject({ accepted: 30, replayed: true });
    expect(await total()).toBe(30);
  });

  it('refuses a malformed key (400) and a key without the admin token (403), storing nothing', async () => {
    const bad = await post(lines(3), { ...auth, 'idempotency-key': 'has space' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'invalid_idempotency_key', field: 'headers.idempotency-key' });
    const long = await post(lines(3), { ...auth, 'idempotency-key': 'k'.repeat(129) });
    expect(long.statusCode).toBe(400);
    const anonymous = await post('{"service":"x","problem":"app"}\n', { 'idempotency-key': 'anon-1' });
    expect(anonymous.statusCode).toBe(403);
    expect(anonymous.json()).toMatchObject({ error: 'idempotency_key_requires_admin' });
    expect(await h.store.reports.countRaw()).toBe(0);
  });
});
