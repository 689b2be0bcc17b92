// Test support: a fresh, isolated database per test app on either backend. PostgreSQL isolation is a
// throwaway schema selected through the connection's search_path, so parallel test files never collide.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { connect, parseDatabaseUrl } from './connect.ts';

export type Backend = 'sqlite' | 'postgres';
export const testBackends: Backend[] = ['sqlite', 'postgres'];

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(
  backend: Backend,
  env: NodeJS.ProcessEnv = process.env,
): Promise<TestDatabase> {
  if (backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'zhike-test-'));
    return { url: join(dir, 'zhike.db'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const base = env.ZHIKE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`create schema ${schema}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      try {
        await client.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await client.end();
      }
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
