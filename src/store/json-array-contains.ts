import type { SqlValue } from './sql-db.js';

/**
 * A WHERE condition for "the JSON array of strings in `column` holds `value`", the same on
 * SQLite and PostgreSQL: the quoted value must appear as written, so `api` does not match
 * `api-eu`, and LIKE's wildcards and escape character in it are taken literally.
 */
export function jsonArrayContains(column: string, value: string): { sql: string; param: SqlValue } {
  return { sql: `${column} LIKE ? ESCAPE '\\'`, param: `%${JSON.stringify(value).replace(/[\\%_]/g, '\\$&')}%` };
}
