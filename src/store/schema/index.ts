import type { Migration } from '../migration.js';
import { probesMigration } from './300-probes.js';

/**
 * Every migration of every domain, applied in id order at start.
 * Each domain adds its own file here (see the id ranges in ../migration.ts).
 */
export const migrations: readonly Migration[] = [probesMigration];
