import type { Migration } from '../migration.js';

/**
 * Cluster mode: the nodes alive (each renews its row), and the leases on work that must run
 * once per cluster. A lease's `epoch` grows by one each time it changes hands: it is the
 * fencing token that every write of the work done under the lease compares (see
 * src/cluster/fenced-db.ts). Times are the database's clock, so node clocks may disagree.
 */
const ddl = (bigint: string): string => `
CREATE TABLE cluster_nodes (
  id TEXT PRIMARY KEY,
  started_at ${bigint} NOT NULL,
  seen_at ${bigint} NOT NULL
);
CREATE TABLE cluster_leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  epoch ${bigint} NOT NULL,
  expires_at ${bigint} NOT NULL
);
CREATE INDEX cluster_leases_holder ON cluster_leases (holder);
`;

export const clusterMigration: Migration = {
  id: '600-cluster',
  sqlite: ddl('INTEGER'),
  postgres: ddl('BIGINT'),
};
