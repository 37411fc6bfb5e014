import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aggregate } from '../../src/reports/ingest-queue.js';
import { claimingWriterFor, type BatchClaims } from '../../src/store/report-claims.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import type { StoredReport } from '../../src/store/reports-repo.js';
import { PG_URL } from '../pg.js';

/**
 * The shared abuse state under contention: several "nodes" (separate connection pools) commit
 * at once, and the database decides. PostgreSQL only, as cluster mode is.
 */
describe.runIf(PG_URL)('shared dedupe and rate limits claimed in the commit (postgres)', () => {
  const schema = `sw_test_${randomBytes(6).toString('hex')}`;
  let nodes: Store[] = [];
  beforeEach(async () => {
    nodes = [];
    for (let i = 0; i < 3; i++) nodes.push(await openStore(PG_URL, { pgSchema: schema }));
    await nodes[0].services.create({ slug: 's', name: 'S', url: 'https://s.example' }, 'api', 0);
  });
  afterEach(async () => {
    await nodes[0].db.exec(`DROP SCHEMA "${schema}" CASCADE`);
    for (const n of nodes) await n.close();
  });

  const report = (fingerprint: string, ts: number): StoredReport => ({ serviceId: 1, ts, problem: 'app', region: 'DE', client: null, fingerprint });
  const count = async (): Promise<number> => Number((await nodes[0].db.get<{ n: number }>('SELECT COUNT(*) AS n FROM reports'))?.n);
  const rollup = async (): Promise<number> => Number((await nodes[0].db.get<{ n: number }>('SELECT SUM(count) AS n FROM report_minutes'))?.n ?? 0);

  it('the same reporter committed by three nodes at once is stored once; 15 minutes later it counts again', async () => {
    const now = Date.UTC(2026, 0, 1, 12);
    const claims: BatchClaims = { now, dedupeWindowMs: 15 * 60_000, dedupe: [0], charges: [] };
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => claimingWriterFor(nodes[i % 3].db)([report('fp-1', now + i)], claims, aggregate)));
    expect(outcomes.filter((o) => o.duplicates.length === 0)).toHaveLength(1);
    expect(await count()).toBe(1);
    expect(await rollup()).toBe(1);
    const later = await claimingWriterFor(nodes[1].db)([report('fp-1', now + 15 * 60_000 + 100)], claims, aggregate);
    expect(later.duplicates).toEqual([]);
    expect(await count()).toBe(2);
  });

  it('a burst of 10 on one key holds across nodes committing at once; other keys are untouched', async () => {
    const now = Date.UTC(2026, 0, 1, 12);
    const charge = { key: 'ip:198.51.100.7', costMs: 60_000, burstMs: 10 * 60_000 };
    const outcomes = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        claimingWriterFor(nodes[i % 3].db)([report(`fp-${i}`, now)], { now, dedupeWindowMs: 900_000, dedupe: [0], charges: [{ charges: [charge], from: 0, to: 1 }] }, aggregate),
      ),
    );
    expect(outcomes.filter((o) => o.rateLimited.length === 0)).toHaveLength(10);
    expect(await count()).toBe(10);
    const other = await claimingWriterFor(nodes[0].db)([report('fp-x', now)], { now, dedupeWindowMs: 900_000, dedupe: [], charges: [{ charges: [{ ...charge, key: 'ip:203.0.113.1' }], from: 0, to: 1 }] }, aggregate);
    expect(other.rateLimited).toEqual([]);
  });

  it('a failed commit leaves no claim behind', async () => {
    const now = Date.UTC(2026, 0, 1, 12);
    const broken = { ...report('fp-z', now), problem: null as unknown as string };
    await expect(claimingWriterFor(nodes[0].db)([broken], { now, dedupeWindowMs: 900_000, dedupe: [0], charges: [] }, aggregate)).rejects.toThrow();
    const retry = await claimingWriterFor(nodes[0].db)([report('fp-z', now)], { now, dedupeWindowMs: 900_000, dedupe: [0], charges: [] }, aggregate);
    expect(retry.duplicates).toEqual([]);
    expect(await count()).toBe(1);
  });
});
