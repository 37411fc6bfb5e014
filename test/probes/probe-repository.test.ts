import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckDefinition } from '../../src/probes/check.js';
import type { ProbeResult } from '../../src/probes/result.js';
import type { Store } from '../../src/store/store.js';
import { testDbs } from '../pg.js';

const def = (name: string, service?: string): CheckDefinition => ({
  name, ...(service ? { service } : {}), type: 'http', target: 'http://127.0.0.1:1/', interval: '30s', timeout: '5s', conditions: [], locations: [], enabled: true,
});
const result = (id: string, checkId: string, location: string, at: number, ok: boolean, errorClass: ProbeResult['errorClass'] = ok ? 'ok' : 'timeout'): ProbeResult => ({
  id, checkId, location, at, ok, errorClass, latencyMs: 12, detail: ok ? 'ok' : 'boom',
});

for (const tdb of testDbs) {
  describe(`probe repository on ${tdb.name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await tdb.open();
    });
    afterEach(async () => {
      await tdb.cleanup(store);
    });

    it('creates, lists, replaces and deletes checks', async () => {
      const a = await store.probes.createCheck(def('a', 'svc'), 'api', 1);
      await store.probes.createCheck(def('b'), 'config', 2, 'cfg-b');
      expect((await store.probes.listChecks()).map((c) => c.name)).toEqual(['a', 'b']);
      expect((await store.probes.listChecks({ service: 'svc' })).map((c) => c.id)).toEqual([a.id]);
      expect((await store.probes.listChecks({ source: 'config' })).map((c) => c.id)).toEqual(['cfg-b']);
      expect(await store.probes.replaceCheck(a.id, { ...def('a2', 'svc'), interval: '5m' }, 3)).toMatchObject({ name: 'a2', interval: '5m' });
      expect(await store.probes.getCheck(a.id)).toMatchObject({ id: a.id, name: 'a2', interval: '5m' });
      expect(await store.probes.getCheckByName('b')).toMatchObject({ id: 'cfg-b', source: 'config' });
      expect([...(await store.probes.existingCheckIds([a.id, 'cfg-b', 'nope', a.id]))].sort()).toEqual([a.id, 'cfg-b'].sort());
      expect(await store.probes.deleteCheck(a.id)).toBe(true);
      expect(await store.probes.deleteCheck(a.id)).toBe(false);
      expect(await store.probes.replaceCheck('nope', def('x'), 4)).toBeUndefined();
    });

    it('keeps only a hash of agent tokens and stops accepting a revoked one', async () => {
      const { agent, token } = await store.probes.createAgent('fra-1', 'Frankfurt, DE', 10);
      const raw = await store.db.all<{ token_hash: string }>('SELECT token_hash FROM probe_agents');
      expect(raw[0].token_hash).not.toContain(token);
      expect(raw[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(await store.probes.authenticateAgent(token, 20)).toMatchObject({ id: agent.id, location: 'Frankfurt, DE', lastSeenAt: 20 });
      expect(await store.probes.authenticateAgent(`${token}x`, 20)).toBeUndefined();
      expect(await store.probes.revokeAgent(agent.id, 30)).toBe(true);
      expect(await store.probes.revokeAgent(agent.id, 31)).toBe(false);
      expect(await store.probes.authenticateAgent(token, 40)).toBeUndefined();
      expect((await store.probes.listAgents())[0]).toMatchObject({ revokedAt: 30 });
    });

    it('inserts results once per id, and answers latest-by-location and failures-since', async () => {
      const c = await store.probes.createCheck(def('web', 'shop'), 'api', 1);
      const other = await store.probes.createCheck(def('other', 'else'), 'api', 1);
      const batch = [
        result('r1', c.id, 'Frankfurt', 100, true),
        result('r2', c.id, 'Frankfurt', 200, false, 'connection_refused'),
        result('r3', c.id, 'Tokyo', 150, false, 'timeout'),
        result('r4', c.id, 'Tokyo', 250, true),
        result('r5', c.id, 'Ohio', 260, false, 'http_5xx'),
        result('r6', other.id, 'Ohio', 260, false, 'dns'),
      ];
      expect((await store.probes.insertResults(batch)).length).toBe(6);
      const again = await store.probes.insertResults([batch[0], batch[1], result('r7', c.id, 'Ohio', 300, false, 'http_5xx')]);
      expect(again.map((r) => r.id)).toEqual(['r7']);
      expect(await store.probes.countResults(c.id)).toBe(6);

      const latest = await store.probes.latestByLocation(c.id, 1);
      expect([...latest.keys()].sort()).toEqual(['Frankfurt', 'Ohio', 'Tokyo']);
      expect(latest.get('Frankfurt')![0]).toMatchObject({ id: 'r2', ok: false, errorClass: 'connection_refused', detail: 'boom' });
      expect(latest.get('Ohio')![0].id).toBe('r7');
      expect((await store.probes.latestByLocation(c.id, 5)).get('Frankfurt')!.map((r) => r.id)).toEqual(['r2', 'r1']);

      const failing = await store.probes.failuresSince('shop', 0);
      expect(failing.map((f) => [f.location, f.errorClass])).toEqual([['Frankfurt', 'connection_refused'], ['Ohio', 'http_5xx']]);
      expect(failing[0]).toMatchObject({ checkId: c.id, checkName: 'web' });
      expect(await store.probes.failuresSince('shop', 290)).toHaveLength(1);

      expect((await store.probes.resultsBetween(c.id, 150, 260)).map((r) => r.id)).toEqual(['r3', 'r2', 'r4']);

      expect(await store.probes.pruneResults(200, 2)).toBe(2); // r1 (100), r3 (150)
      expect(await store.probes.countResults()).toBe(5);
      expect(await store.probes.deleteCheck(other.id)).toBe(true);
      expect(await store.probes.countResults(other.id)).toBe(0);
      expect(await store.probes.countResults()).toBe(4);
    });
  });
}
