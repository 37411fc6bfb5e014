/**
 * How one location of a check stands, as the check pages show it. Plain types only: the
 * dashboard imports them as they are (web/src/api/checks.ts), so this file imports nothing.
 */

/**
 * How one location stands for the quorum: `down` and `up` count, `pending` (not yet
 * `failuresBefore`/`recoveriesBefore` runs in a row) and `stale` (silent too long) do not.
 */
export type LocationStanding = 'up' | 'down' | 'pending' | 'stale';

export interface LocationReport {
  location: string;
  standing: LocationStanding;
  lastAt: number;
  lastOk: boolean;
  lastErrorClass: string;
  lastLatencyMs: number;
  /** Class of the latest failure, kept while the location recovers. */
  failClass?: string;
  certExpiresAt?: number;
}
