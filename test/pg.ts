import { randomBytes } from 'node:crypto';
import { openStore } from '../src/store/open.js';
import type { Store } from '../src/store/store.js';

/**
 * Databases the shared suites run against. SQLite always; PostgreSQL when
 * STORMWATCH_TEST_PG is set (CI sets it to the local server). Each PostgreSQL store gets
 * its own schema, dropped afterwards, so test files can run in parallel.
 */
export const PG_URL = process.env.STORMWATCH_TEST_PG ?? '';

export interface TestDb {
  name: 'sqlite' | 'postgres';
  open(): Promise<Store>;
  /** Drops what open() created. */
  cleanup(store: Store): Promise<void>;
}

export const testDbs: TestDb[] = [
  {
    name: 'sqlite',
    open: () => openStore('sqlite::memory:'),
    cleanup: (store) => store.close(),
  },
  ...(PG_URL
    ? [
        {
          name: 'postgres' as const,
          open: () => openStore(PG_URL, { pgSchema: `sw_test_${randomBytes(6).toString('hex')}` }),
          cleanup: async (store: Store) => {
            const row = await store.db.get<{ s: string }>('SELECT current_schema() AS s');
            if (row?.s?.startsWith('sw_test_')) await store.db.exec(`DROP SCHEMA "${row.s}" CASCADE`);
            await store.close();
          },
        },
      ]
    : []),
];
