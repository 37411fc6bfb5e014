import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/incidents/incident.js';
import type { Store } from '../../src/store/store.js';
import { testDbs } from '../pg.js';

const T = Date.parse('2026-03-01T12:00:00Z');
const MINUTE = 60_000;

function incident(service: string, n: number): Incident {
  const openedAt = T + n * MINUTE;
  return {
    id: `${service}-${String(n).padStart(3, '0')}`, service, status: n % 2 ? 'closed' : 'open', severity: 'major_outage', title: `${service}: outage ${n}`,
    openedAt, ...(n % 2 ? { closedAt: openedAt + 30 * MINUTE } : {}), peak: 50 + n, reports: 300 + n,
    phases: [{ start: openedAt, detectedAt: openedAt, peak: 50 + n }], breakdown: [], regions: [], updatedAt: openedAt,
  };
}

const state = (service: string) => ({ service, lastMinute: T, status: 'operational' as const, detector: {}, engine: {}, updatedAt: T });

describe.each(testDbs)('incident repository by-ids read (getMany) on $name', (tdb) => {
  let store: Store;
  // More incidents than one chunk of ids (400) holds.
  const saved = Array.from({ length: 450 }, (_, n) => incident('svc', n));
  const other = incident('other', 1);

  beforeAll(async () => {
    store = await tdb.open();
    await store.services.create({ slug: 'svc', name: 'Svc', url: 'https://svc' }, 'api', T);
    await store.services.create({ slug: 'other', name: 'Other', url: 'https://other' }, 'api', T);
    expect(await store.incidents.save(state('svc'), saved, [])).toBe(true);
    expect(await store.incidents.save(state('other'), [other], [])).toBe(true);
  });
  afterAll(async () => {
    await tdb.cleanup(store);
  });

  it('returns exactly the asked incidents, as stored, and ignores unknown ids', async () => {
    const got = await store.incidents.getMany(['svc-300', 'nope', 'other-001', 'svc-007']);
    expect([...got.keys()].sort()).toEqual(['other-001', 'svc-007', 'svc-300']);
    expect(got.get('svc-300')).toEqual(saved[300]);
    expect(got.get('svc-007')).toEqual(saved[7]);
    expect(got.get('other-001')).toEqual(other);
    for (const id of got.keys()) expect(got.get(id)).toEqual(await store.incidents.get(id));
  });

  it('answers an empty list with an empty map', async () => {
    expect((await store.incidents.getMany([])).size).toBe(0);
  });

  it('reads a list longer than a chunk: known ids in every chunk, unknown and repeated ones mixed in', async () => {
    const ids = saved.flatMap((inc, n) => [inc.id, `unknown-${n}`]); // 900 ids: three chunks
    ids.push('svc-000', 'svc-449');
    const got = await store.incidents.getMany(ids);
    expect(got.size).toBe(saved.length);
    for (const inc of saved) expect(got.get(inc.id)).toEqual(inc);
  });

  it('reads more ids than one statement may bind on either database (70,000)', async () => {
    const ids = Array.from({ length: 70_000 }, (_, n) => `unknown-${n}`);
    ids.splice(35_000, 0, 'svc-123');
    const got = await store.incidents.getMany(ids);
    expect([...got.keys()]).toEqual(['svc-123']);
    expect(got.get('svc-123')).toEqual(saved[123]);
  });

  it('save stores the incident\'s own status; upsert stores a folded probe incident as merged (left out of listings)', async () => {
    const folded: Incident = { ...incident('other', 2), status: 'closed', closedAt: T + 10 * MINUTE, kind: 'probe', mergedInto: 'other-003' };
    expect(await store.incidents.save(state('other'), [{ ...folded, id: 'other-saved' }], [])).toBe(true);
    expect(await store.incidents.upsert(folded)).toBe(true);
    const listed = async (includeMerged: boolean): Promise<string[]> => (await store.incidents.list({ service: 'other', limit: 10, includeMerged })).map((i) => i.id).sort();
    expect(await listed(false)).toEqual(['other-001', 'other-saved']);
    expect(await listed(true)).toEqual(['other-001', 'other-002', 'other-saved']);
    expect((await store.incidents.getMany(['other-002'])).get('other-002')).toEqual(folded);
  });
});
