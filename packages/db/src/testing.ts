// Test support: a fresh, isolated database per test app on either backend, already migrated. Migrating
// from empty costs ~0.2 s on SQLite and ~1 s of DDL on PostgreSQL per app, so each process migrates once
// into a template (keyed by the migrations' own text, so a changed migration makes a new one) and copies
// it: a file copy on SQLite, `CREATE DATABASE … TEMPLATE` on PostgreSQL. Every PostgreSQL test database
// holds its tables in the schema `zhike`, named by the URL's search_path like a production schema would be.
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { connect, parseDatabaseUrl } from './connect.ts';
import { openDatabase } from './database.ts';

export type Backend = 'sqlite' | 'postgres';
export const testBackends: Backend[] = ['sqlite', 'postgres'];

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Start with no tables at all (tests of the migrations themselves). */
  empty?: boolean;
}

const TEST_SCHEMA = 'zhike';
const DATABASE_PREFIX = 'zt_';

export async function createTestDatabase(
  backend: Backend,
  options: TestDatabaseOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<TestDatabase> {
  return backend === 'sqlite' ? createSqlite(options) : createPostgres(options, env);
}

/** The migrations' text: a template built from other migrations is never used. */
let migrationsKey: string | undefined;
function currentMigrationsKey(): string {
  if (migrationsKey) return migrationsKey;
  const dir = new URL('./migrations/', import.meta.url);
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith('.test.ts')) continue;
    hash.update(name).update(readFileSync(new URL(name, dir)));
  }
  migrationsKey = hash.digest('hex').slice(0, 16);
  return migrationsKey;
}

const noIds = () => {
  throw new Error('migrations make no ids');
};

async function migrate(url: string): Promise<void> {
  const db = openDatabase({ url, newId: noIds });
  try {
    await db.migrate();
  } finally {
    await db.close();
  }
}

let sqliteTemplate: Promise<string> | undefined;

/** A migrated SQLite file, built once per migrations text and shared by every process (renamed into place). */
function sqliteTemplateFile(): Promise<string> {
  sqliteTemplate ??= (async () => {
    const file = join(tmpdir(), `zhike-test-template-${currentMigrationsKey()}.db`);
    if (existsSync(file)) return file;
    const dir = mkdtempSync(join(tmpdir(), 'zhike-template-'));
    try {
      const building = join(dir, 'zhike.db');
      await migrate(building);
      renameSync(building, file); // closed cleanly: the WAL is checkpointed into the file and removed
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return file;
  })();
  sqliteTemplate.catch(() => {
    sqliteTemplate = undefined;
  });
  return sqliteTemplate;
}

async function createSqlite(options: TestDatabaseOptions): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'zhike-test-'));
  const url = join(dir, 'zhike.db');
  if (!options.empty) copyFileSync(await sqliteTemplateFile(), url);
  return { url, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

function withDatabase(base: string, database: string, schema?: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  if (schema) url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

async function admin<T>(base: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Leftovers of killed runs: test databases are named after their creation time and go after a day. */
async function dropStaleDatabases(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ datname: string }>(
    'select datname from pg_database where datname like $1',
    [`${DATABASE_PREFIX}%`],
  );
  const dayAgo = Date.now() - 86_400_000;
  for (const { datname } of rows) {
    const born = Number.parseInt(datname.slice(DATABASE_PREFIX.length).split('_')[0] ?? '', 36);
    if (Number.isFinite(born) && born < dayAgo)
      await client.query(`drop database if exists ${datname} with (force)`);
  }
}

let postgresTemplate: Promise<string> | undefined;

/**
 * The migrated template database, built under an advisory lock so parallel processes build it once, and
 * renamed into place only when complete.
 */
function postgresTemplateName(base: string): Promise<string> {
  postgresTemplate ??= admin(base, async (client) => {
    const name = `zhike_template_${currentMigrationsKey()}`;
    await client.query('select pg_advisory_lock(hashtext($1))', ['zhike-test-template']);
    try {
      const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
      if (exists.rowCount) return name;
      await dropStaleDatabases(client);
      const building = `${name}_building`;
      await client.query(`drop database if exists ${building} with (force)`);
      await client.query(`create database ${building}`);
      const url = withDatabase(base, building, TEST_SCHEMA);
      await admin(url, (c) => c.query(`create schema ${TEST_SCHEMA}`));
      await migrate(url);
      await client.query(`alter database ${building} rename to ${name}`);
      return name;
    } finally {
      await client.query('select pg_advisory_unlock(hashtext($1))', ['zhike-test-template']);
    }
  });
  postgresTemplate.catch(() => {
    postgresTemplate = undefined;
  });
  return postgresTemplate;
}

const newDatabaseName = () =>
  `${DATABASE_PREFIX}${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 10)}`;

async function cloneTemplate(base: string): Promise<string> {
  const template = await postgresTemplateName(base);
  const name = newDatabaseName();
  await admin(base, (client) => client.query(`create database ${name} template ${template}`));
  return name;
}

/**
 * One copy of the template made ahead per server: PostgreSQL copies it (~0.4 s) on its own core while the
 * test that took the previous one runs. A spare left at the process's end goes with the stale ones.
 */
const spares = new Map<string, Promise<string>>();
function takeClone(base: string): Promise<string> {
  const taken = spares.get(base) ?? cloneTemplate(base);
  const spare = cloneTemplate(base);
  spares.set(base, spare);
  spare.catch(() => {
    if (spares.get(base) === spare) spares.delete(base);
  });
  return taken;
}

/** Drops run one after another in the background: a finished test does not wait ~0.2 s for its own. */
let dropping: Promise<unknown> = Promise.resolve();

async function createPostgres(options: TestDatabaseOptions, env: NodeJS.ProcessEnv): Promise<TestDatabase> {
  const base = env.ZHIKE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  let name: string;
  if (options.empty) {
    name = newDatabaseName();
    await admin(base, async (client) => {
      await client.query(`create database ${name}`);
    });
    await admin(withDatabase(base, name), (c) => c.query(`create schema ${TEST_SCHEMA}`));
  } else {
    name = await takeClone(base);
  }
  return {
    url: withDatabase(base, name, TEST_SCHEMA),
    async drop() {
      dropping = dropping
        .then(() => admin(base, (client) => client.query(`drop database if exists ${name} with (force)`)))
        .catch(() => undefined);
    },
  };
}

/**
 * Plays an operator (or attacker) with owner rights on a second connection: drops the append-only
 * triggers and deletes the newest `count` audit rows, leaving the head table alone.
 */
export async function deleteNewestAuditRows(url: string, count: number): Promise<void> {
  const { kysely, dialect } = connect(parseDatabaseUrl(url), { poolSize: 1 });
  try {
    if (dialect === 'postgres') await sql`drop trigger audit_log_append_only on audit_log`.execute(kysely);
    else await sql`drop trigger audit_log_no_delete`.execute(kysely);
    await sql`delete from audit_log where seq in (
      select seq from audit_log order by seq desc limit ${count})`.execute(kysely);
  } finally {
    await kysely.destroy();
  }
}
