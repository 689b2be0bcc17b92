// Every stored row of one workspace, straight from the database on a second connection: before and after
// another tenant's requests the two must be identical, in every table that carries a workspace_id.
import type { Backend } from '@zhike/db';
import Sqlite from 'better-sqlite3';
import pg from 'pg';

export type WorkspaceRows = Record<string, string[]>;

const serialise = (row: Record<string, unknown>): string =>
  JSON.stringify(row, (_key, value: unknown) =>
    Buffer.isBuffer(value) ? value.toString('hex') : value instanceof Date ? value.toISOString() : value,
  );

export async function workspaceRows(
  backend: Backend,
  url: string,
  workspaceId: string,
): Promise<WorkspaceRows> {
  const out: WorkspaceRows = {};
  if (backend === 'sqlite') {
    const db = new Sqlite(url, { readonly: true, fileMustExist: true });
    try {
      const tables = db
        .prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`)
        .all() as { name: string }[];
      for (const { name } of tables) {
        const columns = db.prepare(`select name from pragma_table_info(?)`).all(name) as { name: string }[];
        const key =
          name === 'workspaces'
            ? 'id'
            : columns.some((c) => c.name === 'workspace_id')
              ? 'workspace_id'
              : null;
        if (!key) continue;
        const rows = db.prepare(`select * from "${name}" where "${key}" = ?`).all(workspaceId) as Record<
          string,
          unknown
        >[];
        out[name] = rows.map(serialise).sort();
      }
    } finally {
      db.close();
    }
    return out;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string; has_workspace: boolean }>(
      `select table_name, bool_or(column_name = 'workspace_id') as has_workspace
         from information_schema.columns where table_schema = current_schema() group by table_name`,
    );
    for (const { table_name: name, has_workspace } of tables.rows) {
      const key = name === 'workspaces' ? 'id' : has_workspace ? 'workspace_id' : null;
      if (!key) continue;
      const rows = await client.query<Record<string, unknown>>(
        `select * from "${name}" where "${key}" = $1`,
        [workspaceId],
      );
      out[name] = rows.rows.map(serialise).sort();
    }
  } finally {
    await client.end();
  }
  return out;
}

/** Tables whose rows differ, with the rows that appeared or vanished. */
export function diffRows(before: WorkspaceRows, after: WorkspaceRows): string[] {
  const changes: string[] = [];
  for (const table of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const was = new Set(before[table] ?? []);
    const now = new Set(after[table] ?? []);
    const gone = [...was].filter((r) => !now.has(r));
    const added = [...now].filter((r) => !was.has(r));
    for (const r of gone) changes.push(`${table}: row changed or removed: ${r.slice(0, 300)}`);
    for (const r of added) changes.push(`${table}: row added or changed: ${r.slice(0, 300)}`);
  }
  return changes;
}
