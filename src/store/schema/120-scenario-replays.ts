import type { Migration } from '../migration.js';

/**
 * Scenario replays (`stormwatch simulate --target`) recorded per service, so that a second
 * replay placed at another time, which would count every report again on top of the first,
 * is refused unless asked for (`append`). A replay is identified by what fixes its reports:
 * scenario, seed, scale and placement (`from_ms`, `to_ms`).
 */
const ddl = (bigint: string, real: string): string => `
CREATE TABLE scenario_replays (
  id TEXT PRIMARY KEY,
  service TEXT NOT NULL,
  scenario TEXT NOT NULL,
  seed ${bigint} NOT NULL,
  scale ${real} NOT NULL,
  from_ms ${bigint} NOT NULL,
  to_ms ${bigint} NOT NULL,
  appended INTEGER NOT NULL,
  created_at ${bigint} NOT NULL
);
CREATE UNIQUE INDEX scenario_replays_identity ON scenario_replays (service, scenario, seed, scale, from_ms, to_ms);
`;

export const scenarioReplaysMigration: Migration = {
  id: '120-scenario-replays',
  sqlite: ddl('INTEGER', 'REAL'),
  postgres: ddl('BIGINT', 'DOUBLE PRECISION'),
};
