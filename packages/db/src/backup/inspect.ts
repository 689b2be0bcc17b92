// What a backup, a restore or a move needs to know about a database before touching it: which migrations
// ran, whether any table holds a row, which master keys its data keys are wrapped under. Tables come from
// the database's own catalogue (sqlite_master / information_schema), never from a hand-kept list.
import { existsSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { parseDatabaseUrl } from '../connect.ts';
import { migrationProvider } from '../migrations/index.ts';

/** Kysely's bookkeeping (`kysely_migration`, `kysely_migration_lock`): schema, not shop data. */
export const isBookkeeping = (table: string): boolean => table.startsWith('kysely_');

export interface DatabaseFacts {
  dialect: 'sqlite' | 'postgres';
  /** false when the SQLite file or the migration table does not exist yet. */
  initialised: boolean;
  /** Names of the migrations that ran, sorted. */
  migrations: string[];
  /** Data tables (bookkeeping left out) that hold at least one row. */
  tablesWithRows: string[];
  /** Ids of the master keys that wrap this database's data keys. */
  masterKeyIds: string[];
  /** PostgreSQL: the schema the URL's search_path selects. */
  schema?: string;
}

/** The migrations this build of Zhike knows, sorted. */
export async function knownMigrations(): Promise<string[]> {
  return Object.keys(await migrationProvider.getMigrations()).sort();
}

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

export function sqliteTables(db: SQLite.Database): string[] {
  return (
    db
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\' order by name",
      )
      .pluck()
      .all() as string[]
  ).filter((t) => !isBookkeeping(t));
}

export function sqliteFacts(path: string): DatabaseFacts {
  const none: DatabaseFacts = {
    dialect: 'sqlite',
    initialised: false,
    migrations: [],
    tablesWithRows: [],
    masterKeyIds: [],
  };
  if (!existsSync(path)) return none;
  const db = new SQLite(path, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const all = db.prepare("select name from sqlite_master where type = 'table'").pluck().all() as string[];
    if (!all.includes('kysely_migration')) return none;
    const migrations = db
      .prepare('select name from kysely_migration order by name')
      .pluck()
      .all() as string[];
    const tablesWithRows = sqliteTables(db).filter(
      (t) =>
        db
          .prepare(`select exists (select 1 from ${quote(t)})`)
          .pluck()
          .get() === 1,
    );
    const masterKeyIds = all.includes('workspace_keys')
      ? (db.prepare('select distinct master_key_id from workspace_keys order by 1').pluck().all() as string[])
      : [];
    return { dialect: 'sqlite', initialised: true, migrations, tablesWithRows, masterKeyIds };
  } finally {
    db.close();
  }
}

/** A client on `url`, closed after `run`. */
export async function withPostgres<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `cannot reach the PostgreSQL database at ${new URL(url).host} (${(error as Error).message})`,
    );
  }
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export async function postgresTables(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `select table_name as name from information_schema.tables
     where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`,
  );
  return rows.map((r) => r.name).filter((t) => !isBookkeeping(t));
}

export async function postgresFactsOf(client: pg.Client): Promise<DatabaseFacts> {
  const schema = (await client.query<{ s: string | null }>('select current_schema() as s')).rows[0]?.s;
  if (!schema)
    throw new Error('the search_path names no existing schema: create it first or fix DATABASE_URL');
  const tables = await postgresTables(client);
  const hasMigrations = (
    await client.query(
      `select 1 from information_schema.tables where table_schema = current_schema() and table_name = 'kysely_migration'`,
    )
  ).rowCount;
  const migrations = hasMigrations
    ? (await client.query<{ name: string }>('select name from kysely_migration order by name')).rows.map(
        (r) => r.name,
      )
    : [];
  const tablesWithRows: string[] = [];
  for (const t of tables) {
    const { rows } = await client.query<{ e: boolean }>(`select exists (select 1 from ${quote(t)}) as e`);
    if (rows[0]?.e) tablesWithRows.push(t);
  }
  const masterKeyIds = tables.includes('workspace_keys')
    ? (
        await client.query<{ id: string }>(
          'select distinct master_key_id as id from workspace_keys order by 1',
        )
      ).rows.map((r) => r.id)
    : [];
  return {
    dialect: 'postgres',
    initialised: Boolean(hasMigrations),
    migrations,
    tablesWithRows,
    masterKeyIds,
    schema,
  };
}

export async function databaseFacts(url: string): Promise<DatabaseFacts> {
  const target = parseDatabaseUrl(url);
  if (target.dialect === 'sqlite') return sqliteFacts(target.location);
  return withPostgres(url, postgresFactsOf);
}

export { quote as quoteIdentifier };
