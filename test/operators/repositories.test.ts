import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyUpdate, openIncident } from '../../src/incidents/operator-incident.js';
import type { Maintenance } from '../../src/maintenance/window.js';
import type { Store } from '../../src/store/store.js';
import { testDbs } from '../pg.js';

const T0 = Date.parse('2026-03-10T12:00:00Z');

describe.each(testDbs)('operator repositories on $name', (tdb) => {
  let store: Store;
  beforeAll(async () => {
    store = await tdb.open();
  });
  afterAll(async () => {
    await tdb.cleanup(store);
  });

  it('keeps an operator incident and its updates, and concurrent updates lose nothing', async () => {
    const repo = store.operatorIncidents;
    await repo.mutate('op-1', () =>
      openIncident({ title: 'Login fails', impact: 'major', services: ['a', 'b'], update: { status: 'investigating', body: 'Looking' } }, { incident: 'op-1', update: 'u1' }, T0, () => 'operational'),
    );
    const first = await repo.get('op-1');
    expect(first).toMatchObject({ id: 'op-1', source: 'operator', title: 'Login fails', impact: 'major', services: ['a', 'b'], status: 'investigating', components: { a: 'partial_outage', b: 'partial_outage' } });
    // Two updates at once: each reads the row under the lock, so both component changes stay.
    await Promise.all([
      repo.mutate('op-1', (prev) => applyUpdate(prev!, { status: 'identified', body: 'Found it', components: [{ service: 'a', status: 'major_outage' }] }, 'u2', T0 + 1000, () => 'partial_outage')),
      repo.mutate('op-1', (prev) => applyUpdate(prev!, { status: 'identified', body: 'And b', components: [{ service: 'c', status: 'degraded_performance' }] }, 'u3', T0 + 2000, () => 'operational')),
    ]);
    const after = await repo.get('op-1');
    expect(after?.components).toEqual({ a: 'major_outage', b: 'partial_outage', c: 'degraded_performance' });
    expect(after?.services).toEqual(['a', 'b', 'c']);
    // Whichever got the lock first identified it.
    expect([T0 + 1000, T0 + 2000]).toContain(after?.identifiedAt);
    const updates = await repo.updates('op-1');
    expect(updates.map((u) => u.id)).toEqual(['u1', 'u2', 'u3']);
    expect(updates[1].components).toEqual([{ service: 'a', old: 'partial_outage', new: 'major_outage' }]);
    expect((await repo.recentUpdates(2)).map((u) => u.id)).toEqual(['u3', 'u2']);
    expect(await repo.mutate('op-1', () => undefined)).toBeUndefined();
    expect((await repo.list({ unresolved: true })).map((i) => i.id)).toEqual(['op-1']);
    await repo.mutate('op-1', (prev) => applyUpdate(prev!, { status: 'resolved', body: 'Fixed' }, 'u4', T0 + 3000, () => 'major_outage'));
    expect(await repo.list({ unresolved: true })).toEqual([]);
    expect((await repo.get('op-1'))?.resolvedAt).toBe(T0 + 3000);
    expect((await repo.getMany(['op-1', 'nope'])).size).toBe(1);
  });

  it('lists the incidents of one service in SQL, by whole names only', async () => {
    const repo = store.operatorIncidents;
    const open = (id: string, services: string[]): Promise<unknown> =>
      repo.mutate(id, () => openIncident({ title: id, impact: 'minor', services, update: { status: 'investigating', body: 'x' } }, { incident: id, update: `${id}-u` }, T0, () => 'operational'));
    await open('svc-1', ['api']);
    await open('svc-2', ['api-eu', 'web']);
    await open('svc-3', ['web', 'api']);
    // LIKE's wildcards and escape character in a name are taken literally.
    await open('svc-4', ['a%i']);
    await open('svc-5', ['a_i']);
    const ids = async (service: string): Promise<string[]> => (await repo.list({ service })).map((i) => i.id).sort();
    expect(await ids('api')).toEqual(['svc-1', 'svc-3']);
    expect(await ids('api-eu')).toEqual(['svc-2']);
    expect(await ids('a%i')).toEqual(['svc-4']);
    expect(await ids('a_i')).toEqual(['svc-5']);
    expect(await ids('ap')).toEqual([]);
  });

  it('keeps maintenance windows and announces each transition once', async () => {
    const repo = store.maintenances;
    const m: Maintenance = { id: 'm1', title: 'DB upgrade', body: '**Short** downtime', services: ['a'], startsAt: T0 + 3_600_000, endsAt: T0 + 7_200_000, createdAt: T0, updatedAt: T0 };
    await repo.create(m);
    expect(await repo.get('m1')).toEqual(m);
    expect((await repo.list({ endsAfter: T0 })).map((x) => x.id)).toEqual(['m1']);
    await repo.create({ ...m, id: 'm2', services: ['a-eu', 'b'] });
    expect((await repo.list({ service: 'a' })).map((x) => x.id)).toEqual(['m1']);
    expect((await repo.list({ service: 'b' })).map((x) => x.id)).toEqual(['m2']);
    expect(await repo.list({ service: 'a%' })).toEqual([]);
    expect(await repo.delete('m2')).toBe(true);
    expect(await repo.list({ endsAfter: T0 + 7_200_000 })).toEqual([]);
    expect(await repo.markTransition('m1', 'started', T0 + 3_600_000)).toBe(true);
    expect(await repo.markTransition('m1', 'started', T0 + 3_600_001)).toBe(false);
    expect(await repo.markTransition('m1', 'ended', T0 + 7_200_000)).toBe(true);
    expect(await repo.pendingTransitions()).toEqual([]);
    expect(await repo.update({ ...m, title: 'DB upgrade, part 2', updatedAt: T0 + 5 })).toBe(true);
    expect((await repo.get('m1'))?.title).toBe('DB upgrade, part 2');
    expect(await repo.delete('m1')).toBe(true);
    expect(await repo.delete('m1')).toBe(false);
    expect(await repo.update(m)).toBe(false);
  });

  it('keeps one subscription per address and scope, throttles confirmation mails, forgets the unconfirmed', async () => {
    const repo = store.subscribers;
    const a = await repo.upsert({ id: 's1', kind: 'email', address: 'ann@example.com', scope: '*', createdAt: T0 });
    expect(a.created).toBe(true);
    const again = await repo.upsert({ id: 's2', kind: 'email', address: 'ann@example.com', scope: '*', createdAt: T0 + 1 });
    expect(again).toMatchObject({ created: false, subscriber: { id: 's1' } });
    expect(await repo.claimConfirmationMail('s1', T0, T0 - 3_600_000)).toBe(true);
    expect(await repo.claimConfirmationMail('s1', T0 + 60_000, T0 + 60_000 - 3_600_000)).toBe(false);
    expect(await repo.count({ confirmed: false })).toBe(1);
    expect(await repo.confirm('s1', T0 + 10)).toBe(true);
    expect(await repo.claimConfirmationMail('s1', T0 + 7_200_000, T0 + 3_600_000)).toBe(false);
    expect((await repo.list({ confirmed: true })).map((s) => s.id)).toEqual(['s1']);
    await repo.upsert({ id: 's3', kind: 'webhook', address: 'https://hooks.example/x', scope: 'a', secret: 'k'.repeat(16), confirmedAt: T0, createdAt: T0 });
    await repo.upsert({ id: 's4', kind: 'email', address: 'bob@example.com', scope: 'a', createdAt: T0 });
    expect(await repo.pruneUnconfirmed(T0 + 1)).toBe(1);
    expect((await repo.list()).map((s) => s.id)).toEqual(['s1', 's3']);
    expect(await repo.delete('s1')).toBe(true);
    expect(await repo.get('s1')).toBeUndefined();
  });

  it('keeps sessions until they expire or end', async () => {
    const repo = store.sessions;
    await repo.create({ idHash: 'h1', csrf: 'c1', createdAt: T0, expiresAt: T0 + 1000 });
    expect(await repo.get('h1', T0 + 999)).toMatchObject({ csrf: 'c1' });
    expect(await repo.get('h1', T0 + 1000)).toBeUndefined();
    expect(await repo.deleteExpired(T0 + 1000)).toBe(1);
    await repo.create({ idHash: 'h2', csrf: 'c2', createdAt: T0, expiresAt: T0 + 1000 });
    await repo.delete('h2');
    expect(await repo.get('h2', T0)).toBeUndefined();
  });

  it('creates a delivery once per event key', async () => {
    const d = { id: 'd1', channel: 'sub:x', channelType: 'webhook', eventKey: 'ann:k:sub:x', kind: 'incident_updated', service: 'a', repeat: 0, createdAt: T0,
      message: { kind: 'incident_updated' as const, repeat: false, service: 'a', status: 'open' as const, url: 'http://x', breakdown: [], at: T0 } };
    expect(await store.alerts.createDeliveryOnce(d)).toMatchObject({ id: 'd1', status: 'pending' });
    expect(await store.alerts.createDeliveryOnce({ ...d, id: 'd2' })).toBeUndefined();
    expect(await store.alerts.getDelivery('d2')).toBeUndefined();
  });
});
