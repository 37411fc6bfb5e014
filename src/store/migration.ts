import type { Dialect, SqlDb } from './sql-db.js';

/**
 * One schema change, written for both dialects. Ids sort in the order they apply; each
 * domain owns a range so that parallel work never collides:
 * 100 services/reports, 200 incidents, 300 probes/agents, 400 alerts, 500 forensics,
 * 600 cluster, 700 operators (operator incidents, maintenance, subscribers, sessions).
 */
export interface Migration {
  id: string;
  sqlite: string;
  postgres: string;
}

export async function migrate(db: SqlDb, migrations: readonly Migration[]): Promise<string[]> {
  await db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)',
  );
  const done = new Set(
    (await db.all<{ id: string }>('SELECT id FROM schema_migrations')).map((r) => r.id),
  );
  const applied: string[] = [];
  const ordered = [...migrations].sort((a, b) => a.id.localeCompare(b.id));
  for (const m of ordered) {
    if (done.has(m.id)) continue;
    await db.transaction(async (tx) => {
      const script = scriptFor(m, db.dialect);
      for (const statement of splitStatements(script)) await tx.run(statement);
      await tx.run('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)', [m.id, Date.now()]);
    });
    applied.push(m.id);
  }
  return applied;
}

function scriptFor(m: Migration, dialect: Dialect): string {
  return dialect === 'sqlite' ? m.sqlite : m.postgres;
}

/** Migrations are plain DDL: statements end with `;` at the end of a line. */
export function splitStatements(script: string): string[] {
  return script
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
