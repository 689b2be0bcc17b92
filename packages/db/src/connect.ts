// Opens Kysely on SQLite (file path or sqlite: URL) or PostgreSQL (postgres:// URL).
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely } from 'kysely';
import pg from 'pg';
import { CamelCaseRowsPlugin, SnakeCasePostgresDialect, snakeCaseSqlite } from './naming.ts';
import type { DB } from './schema.ts';
import { sqlite3Dialect } from './sqliteDialect.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface DatabaseTarget {
  dialect: Dialect;
  /** File path for SQLite, connection string for PostgreSQL. */
  location: string;
}

export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (/^postgres(ql)?:\/\//i.test(url)) return { dialect: 'postgres', location: url };
  const path = url.replace(/^sqlite:(\/\/)?/i, '').replace(/^file:(\/\/)?/i, '');
  if (path.length === 0) throw new Error('DATABASE_URL: empty SQLite path');
  return { dialect: 'sqlite', location: path === ':memory:' ? path : resolve(path) };
}

export interface Connection {
  kysely: Kysely<DB>;
  dialect: Dialect;
}

export function connect(target: DatabaseTarget, options: { poolSize?: number } = {}): Connection {
  const plugins = [new CamelCaseRowsPlugin()];
  if (target.dialect === 'postgres') {
    // Integers arrive as strings for bigint counts; ours are small.
    const pool = new pg.Pool({ connectionString: target.location, max: options.poolSize ?? 10 });
    // An idle client error (server restart) must not crash the process; the next query reconnects.
    pool.on('error', () => {});
    return {
      dialect: 'postgres',
      kysely: new Kysely<DB>({ dialect: new SnakeCasePostgresDialect({ pool }), plugins }),
    };
  }
  if (target.location !== ':memory:') mkdirSync(dirname(target.location), { recursive: true });
  const sqlite = new SQLite(target.location);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return {
    dialect: 'sqlite',
    kysely: new Kysely<DB>({ dialect: snakeCaseSqlite(sqlite3Dialect(sqlite)), plugins }),
  };
}

/** PostgreSQL rolled the transaction back to break a deadlock (40P01) or a serialisation conflict (40001). */
export function isTransientConflict(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === '40P01' || code === '40001';
}

export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export function constraintOf(error: unknown): string {
  const e = error as { constraint?: string; message?: string };
  return e.constraint ?? e.message ?? 'unknown';
}
