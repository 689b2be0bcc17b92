// The PostgreSQL side of backup and restore: pg_dump (custom format) of the schema the URL selects, and
// pg_restore into the configured schema. Both tools are found on PATH. The connection goes to them as
// PG* environment variables, so a password never shows in the process list.
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { quoteIdentifier, withPostgres } from './inspect.ts';

export class PostgresToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PostgresToolError';
  }
}

type Env = Record<string, string | undefined>;

/** libpq environment for `url`; `options` (our search_path) is left out: the tools are told the schema. */
export function libpqEnv(url: string, base: Env): Env {
  const u = new URL(url);
  const env: Env = { ...base };
  for (const name of Object.keys(env)) if (name.startsWith('PG')) delete env[name];
  if (u.hostname) env.PGHOST = decodeURIComponent(u.hostname.replace(/^\[|\]$/g, ''));
  if (u.port) env.PGPORT = u.port;
  if (u.username) env.PGUSER = decodeURIComponent(u.username);
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (database) env.PGDATABASE = database;
  const params: Record<string, string> = {
    host: 'PGHOST',
    port: 'PGPORT',
    user: 'PGUSER',
    password: 'PGPASSWORD',
    dbname: 'PGDATABASE',
    sslmode: 'PGSSLMODE',
    sslrootcert: 'PGSSLROOTCERT',
    sslcert: 'PGSSLCERT',
    sslkey: 'PGSSLKEY',
  };
  for (const [param, variable] of Object.entries(params)) {
    const value = u.searchParams.get(param);
    if (value) env[variable] = value;
  }
  return env;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(tool: string, args: string[], env: Env): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += String(d);
    });
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new PostgresToolError(
              `${tool} was not found on PATH: install the PostgreSQL client tools of the server's major version or newer (Debian: apt-get install postgresql-client)`,
            )
          : error,
      );
    });
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** The major version a PostgreSQL tool reports (`pg_dump (PostgreSQL) 15.20 …` → 15). */
export async function toolMajorVersion(tool: string, env: Env): Promise<number> {
  const { stdout, code } = await run(tool, ['--version'], env);
  const m = /\(PostgreSQL\)\s+(\d+)/.exec(stdout);
  if (code !== 0 || !m) throw new PostgresToolError(`${tool} --version printed no version: ${stdout.trim()}`);
  return Number(m[1]);
}

export interface DumpResult {
  schema: string;
  serverMajor: number;
  toolMajor: number;
}

/** Dumps the URL's schema to `file` in pg_dump's custom format. */
export async function dumpPostgres(url: string, file: string, env: Env): Promise<DumpResult> {
  const toolEnv = libpqEnv(url, env);
  const toolMajor = await toolMajorVersion('pg_dump', toolEnv);
  const { schema, serverMajor } = await withPostgres(url, async (client) => {
    const row = (
      await client.query<{ schema: string | null; version: string }>(
        `select current_schema() as schema, current_setting('server_version_num') as version`,
      )
    ).rows[0]!;
    if (!row.schema) throw new Error('the search_path names no existing schema: nothing to back up');
    return { schema: row.schema, serverMajor: Math.floor(Number(row.version) / 10000) };
  });
  if (toolMajor < serverMajor)
    throw new PostgresToolError(
      `pg_dump on PATH is version ${toolMajor} but the server runs PostgreSQL ${serverMajor}: install postgresql-client-${serverMajor} (or newer) and put it first on PATH`,
    );
  const result = await run(
    'pg_dump',
    [
      '--format=custom',
      '--no-owner',
      '--no-privileges',
      '--lock-wait-timeout=60000',
      `--schema="${schema.replaceAll('"', '""')}"`,
      `--file=${file}`,
    ],
    toolEnv,
  );
  if (result.code !== 0) throw new PostgresToolError(`pg_dump failed: ${result.stderr.trim()}`);
  return { schema, serverMajor, toolMajor };
}

/** The schema a connection on `url` writes to: the first of its search_path, existing or not. */
async function targetSchema(url: string): Promise<string> {
  return withPostgres(url, async (client) => {
    const current = (await client.query<{ s: string | null }>('select current_schema() as s')).rows[0]?.s;
    if (current) return current;
    const path = (await client.query<{ p: string }>('show search_path')).rows[0]?.p ?? '';
    const first = path
      .split(',')
      .map((s) => s.trim().replace(/^"|"$/g, ''))
      .find((s) => s.length > 0 && s !== '$user');
    if (!first) throw new Error('the search_path names no schema to restore into');
    return first;
  });
}

/**
 * Restores a dump of schema `dumpedSchema` into the schema the URL selects, replacing what that schema
 * holds (the caller has checked it may). Objects are restored into their original schema name and renamed
 * at the end when the target's name differs.
 */
export async function restorePostgres(
  url: string,
  file: string,
  dumpedSchema: string,
  env: Env,
): Promise<{ schema: string }> {
  const toolEnv = libpqEnv(url, env);
  await toolMajorVersion('pg_restore', toolEnv);
  const schema = await targetSchema(url);
  await withPostgres(url, async (client) => {
    if (dumpedSchema !== schema) {
      const taken = await client.query('select 1 from pg_namespace where nspname = $1', [dumpedSchema]);
      if (taken.rowCount)
        throw new Error(
          `the backup holds schema "${dumpedSchema}", which already exists in this database beside the target schema "${schema}"; drop it or restore into a database without it`,
        );
    }
    await client.query(`drop schema if exists ${quoteIdentifier(dumpedSchema)} cascade`);
    await client.query(`create schema ${quoteIdentifier(dumpedSchema)}`);
  });
  // The schema itself was just made; restoring its CREATE SCHEMA entry too would fail.
  const listed = await run('pg_restore', ['--list', file], toolEnv);
  if (listed.code !== 0)
    throw new PostgresToolError(`pg_restore cannot read the dump: ${listed.stderr.trim()}`);
  const list = listed.stdout
    .split('\n')
    .filter((line) => !/^\d+;\s+\d+\s+\d+\s+(SCHEMA|COMMENT - SCHEMA)\s/.test(line))
    .join('\n');
  const listFile = `${file}.list`;
  writeFileSync(listFile, list);
  try {
    const restored = await run(
      'pg_restore',
      [
        '--no-owner',
        '--no-privileges',
        '--exit-on-error',
        '--single-transaction',
        `--use-list=${listFile}`,
        `--dbname=${toolEnv.PGDATABASE ?? toolEnv.PGUSER ?? 'postgres'}`,
        file,
      ],
      toolEnv,
    );
    if (restored.code !== 0) throw new PostgresToolError(`pg_restore failed: ${restored.stderr.trim()}`);
  } finally {
    rmSync(listFile, { force: true });
  }
  if (dumpedSchema !== schema)
    await withPostgres(url, async (client) => {
      await client.query(`drop schema if exists ${quoteIdentifier(schema)} cascade`);
      await client.query(
        `alter schema ${quoteIdentifier(dumpedSchema)} rename to ${quoteIdentifier(schema)}`,
      );
    });
  return { schema };
}
