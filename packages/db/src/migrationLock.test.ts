// Processes starting together on one PostgreSQL (a rolling deploy, a compose stack): migrations and the
// data steps after them run under one lock, so exactly one process migrates and the others wait for it.
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrationLockKey, openDatabase } from './database.ts';
import { migrationProvider } from './migrations/index.ts';
import { createTestDatabase, type TestDatabase } from './testing.ts';

const noIds = () => {
  throw new Error('migrations make no ids');
};

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase('postgres', { empty: true });
});
afterAll(async () => {
  await tdb.drop();
});

it('waits while another process holds the migration lock, then migrates once across three processes', async () => {
  const holder = new pg.Client({ connectionString: tdb.url });
  await holder.connect();
  const schema = (await holder.query<{ s: string }>('select current_schema() as s')).rows[0]?.s ?? '';
  await holder.query('select pg_advisory_lock(hashtext($1))', [migrationLockKey(schema)]);

  const dbs = [0, 1, 2].map(() => openDatabase({ url: tdb.url, newId: noIds }));
  try {
    let settled = 0;
    const runs = dbs.map((db) =>
      db.migrate().finally(() => {
        settled += 1;
      }),
    );
    await new Promise((r) => setTimeout(r, 500));
    // Held elsewhere: nobody has migrated, not even Kysely's own bookkeeping table exists yet.
    expect(settled).toBe(0);
    const tables = await holder.query(
      "select 1 from information_schema.tables where table_schema = $1 and table_name = 'kysely_migration'",
      [schema],
    );
    expect(tables.rowCount).toBe(0);

    await holder.query('select pg_advisory_unlock(hashtext($1))', [migrationLockKey(schema)]);
    const applied = (await Promise.all(runs)).flat();
    const all = Object.keys(await migrationProvider.getMigrations()).sort();
    expect(applied.sort()).toEqual(all); // each migration once, by whichever process got the lock first
    expect((await Promise.all(runs)).filter((names) => names.length > 0)).toHaveLength(1);
  } finally {
    await holder.end();
    await Promise.all(dbs.map((db) => db.close()));
  }
});
