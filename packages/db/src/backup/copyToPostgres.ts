// Moves a shop from SQLite to PostgreSQL: every table of a (snapshot) SQLite file, in foreign-key order,
// in batches, inside one transaction on the target, with each table's row count checked before commit.
// Values go across as they are — sealed (encrypted) values included, which open again under the same
// master key. The table list is read from SQLite's catalogue, so a table a later migration adds is copied
// without anyone remembering to list it.
import SQLite from 'better-sqlite3';
import type pg from 'pg';
import {
  postgresFactsOf,
  postgresTables,
  quoteIdentifier as q,
  sqliteTables,
  withPostgres,
} from './inspect.ts';

export class CopyRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CopyRefused';
  }
}

export interface CopyOptions {
  /** A SQLite file nobody writes to while it is copied (a snapshot), migrated like the target. */
  from: string;
  /** postgres:// URL of a migrated database. */
  to: string;
  /** Empty a target that holds rows instead of refusing. */
  force?: boolean;
  /** Rows per INSERT (fewer when a table has many columns: PostgreSQL takes 65,535 parameters). */
  batchRows?: number;
  onTable?: (table: string, rows: number) => void;
}

export interface CopyResult {
  tables: { name: string; rows: number }[];
  rows: number;
  sequencesReset: number;
}

/** Tables ordered so that every table comes after the tables it references. */
export function dependencyOrder(tables: string[], references: Map<string, Set<string>>): string[] {
  const ordered: string[] = [];
  const placed = new Set<string>();
  const pending = [...tables].sort();
  while (pending.length > 0) {
    const next = pending.findIndex((t) =>
      [...(references.get(t) ?? [])].every((r) => r === t || placed.has(r) || !tables.includes(r)),
    );
    if (next < 0) throw new Error(`foreign keys form a cycle among: ${pending.join(', ')}`);
    const [table] = pending.splice(next, 1);
    ordered.push(table!);
    placed.add(table!);
  }
  return ordered;
}

interface SourceTable {
  name: string;
  columns: string[];
  rows: number;
}

function readSource(db: SQLite.Database): { tables: SourceTable[]; migrations: string[] } {
  const names = sqliteTables(db);
  const references = new Map<string, Set<string>>();
  for (const t of names) {
    const fks = db.pragma(`foreign_key_list(${q(t)})`) as { table: string }[];
    references.set(t, new Set(fks.map((f) => f.table)));
  }
  const tables = dependencyOrder(names, references).map((name) => ({
    name,
    columns: (db.pragma(`table_info(${q(name)})`) as { name: string }[]).map((c) => c.name),
    rows: Number(
      db
        .prepare(`select count(*) from ${q(name)}`)
        .pluck()
        .get(),
    ),
  }));
  const migrations = db.prepare('select name from kysely_migration order by name').pluck().all() as string[];
  return { tables, migrations };
}

async function targetColumns(client: pg.Client): Promise<Map<string, Set<string>>> {
  const { rows } = await client.query<{ t: string; c: string }>(
    `select table_name as t, column_name as c from information_schema.columns where table_schema = current_schema()`,
  );
  const columns = new Map<string, Set<string>>();
  for (const r of rows) {
    if (!columns.has(r.t)) columns.set(r.t, new Set());
    columns.get(r.t)!.add(r.c);
  }
  return columns;
}

/** Integers are read as BigInt (exact beyond 2^53) and handed to pg as decimal text. */
const toParam = (v: unknown): unknown => (typeof v === 'bigint' ? v.toString() : v);

async function copyTable(
  source: SQLite.Database,
  client: pg.Client,
  table: SourceTable,
  batchRows: number,
): Promise<number> {
  const perBatch = Math.max(1, Math.min(batchRows, Math.floor(60_000 / table.columns.length)));
  const head = `insert into ${q(table.name)} (${table.columns.map(q).join(', ')}) values `;
  const width = table.columns.length;
  const flush = async (batch: unknown[][]) => {
    const tuples = batch.map(
      (_, r) => `(${table.columns.map((_c, c) => `$${r * width + c + 1}`).join(', ')})`,
    );
    // Full batches share one named (prepared) statement: PostgreSQL parses and plans it once per table.
    const name = batch.length === perBatch ? `zhike_copy_${table.name}` : undefined;
    await client.query({ name, text: head + tuples.join(', '), values: batch.flat().map(toParam) });
  };
  const select = source
    .prepare(`select ${table.columns.map(q).join(', ')} from ${q(table.name)} order by rowid`)
    .safeIntegers(true)
    .raw(true);
  let copied = 0;
  let batch: unknown[][] = [];
  // The iterator stays open across the awaits: nothing else uses this SQLite connection meanwhile.
  for (const row of select.iterate() as IterableIterator<unknown[]>) {
    batch.push(row);
    if (batch.length === perBatch) {
      await flush(batch);
      copied += batch.length;
      batch = [];
    }
  }
  if (batch.length > 0) {
    await flush(batch);
    copied += batch.length;
  }
  return copied;
}

/** Moves serial/identity sequences past the copied values (our ids are text; this is for any that are not). */
async function resetSequences(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ t: string; c: string; seq: string }>(
    `select table_name as t, column_name as c,
            pg_get_serial_sequence(quote_ident(table_schema) || '.' || quote_ident(table_name), column_name) as seq
       from information_schema.columns
      where table_schema = current_schema() and (column_default like 'nextval(%' or is_identity = 'YES')`,
  );
  let reset = 0;
  for (const { t, c, seq } of rows) {
    if (!seq) continue;
    await client.query(`select setval($1, coalesce((select max(${q(c)}) from ${q(t)}), 0) + 1, false)`, [
      seq,
    ]);
    reset++;
  }
  return reset;
}

export async function copySqliteToPostgres(options: CopyOptions): Promise<CopyResult> {
  const source = new SQLite(options.from, { readonly: true, fileMustExist: true });
  try {
    const { tables, migrations } = readSource(source);
    return await withPostgres(options.to, async (client) => {
      const facts = await postgresFactsOf(client);
      const missing = migrations.filter((m) => !facts.migrations.includes(m));
      const extra = facts.migrations.filter((m) => !migrations.includes(m));
      if (missing.length > 0 || extra.length > 0)
        throw new CopyRefused(
          `source and target are at different migrations (only in the source: ${missing.join(', ') || 'none'}; only in the target: ${extra.join(', ') || 'none'})`,
        );
      const columns = await targetColumns(client);
      for (const t of tables) {
        const there = columns.get(t.name);
        const absent = t.columns.filter((c) => !there?.has(c));
        if (!there || absent.length > 0)
          throw new CopyRefused(
            there
              ? `target table ${t.name} lacks columns ${absent.join(', ')}`
              : `target has no table ${t.name}`,
          );
      }
      await client.query('begin');
      try {
        const withRows = (await postgresFactsOf(client)).tablesWithRows;
        if (withRows.length > 0) {
          if (!options.force)
            throw new CopyRefused(
              `the target database is not empty (rows in ${withRows.slice(0, 5).join(', ')}${withRows.length > 5 ? ', …' : ''}); use --force to empty it first`,
            );
          // TRUNCATE fires no row triggers, so the append-only audit tables empty too.
          await client.query(`truncate table ${(await postgresTables(client)).map(q).join(', ')}`);
        }
        const copied: CopyResult['tables'] = [];
        for (const t of tables) {
          const rows = await copyTable(source, client, t, options.batchRows ?? 500);
          copied.push({ name: t.name, rows });
          options.onTable?.(t.name, rows);
        }
        const mismatched: string[] = [];
        for (const t of tables) {
          const { rows } = await client.query<{ n: string }>(`select count(*) as n from ${q(t.name)}`);
          const there = Number(rows[0]?.n);
          if (there !== t.rows) mismatched.push(`${t.name} (SQLite ${t.rows}, PostgreSQL ${there})`);
        }
        if (mismatched.length > 0) throw new Error(`row counts differ: ${mismatched.join('; ')}`);
        const sequencesReset = await resetSequences(client);
        await client.query('commit');
        return { tables: copied, rows: copied.reduce((n, t) => n + t.rows, 0), sequencesReset };
      } catch (error) {
        await client.query('rollback').catch(() => {});
        throw error;
      }
    });
  } finally {
    source.close();
  }
}
