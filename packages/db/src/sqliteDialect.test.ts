import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { FifoLock, sqlite3Dialect, statementCache } from './sqliteDialect.ts';

interface Rows {
  t: { n: number };
}

/** A file database through the driver, a second connection to look from outside, and its COMMITs counted. */
function fileDatabase() {
  const dir = mkdtempSync(join(tmpdir(), 'zhike-group-'));
  const file = join(dir, 'db.sqlite');
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  database.exec('create table t (n integer primary key)');
  const commits = { count: 0 };
  const exec = database.exec.bind(database);
  database.exec = (sql: string) => {
    if (sql === 'commit') commits.count++;
    return exec(sql);
  };
  const db = new Kysely<Rows>({ dialect: sqlite3Dialect(database) });
  const outside = new SQLite(file, { readonly: true });
  const visible = (n: number) =>
    outside.prepare('select count(*) as c from t where n = ?').get(n) as { c: number };
  return {
    db,
    commits,
    seen: (n: number) => visible(n).c === 1,
    async close() {
      await db.destroy();
      outside.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('the SQLite driver', () => {
  it('hands its connection to waiters in arrival order, never to a latecomer first', async () => {
    const lock = new FifoLock();
    const order: number[] = [];
    await lock.acquire();
    const waiters = [1, 2, 3].map((n) => lock.acquire().then(() => order.push(n)));
    expect(lock.waiting).toBe(3);
    lock.release(); // to 1
    await Promise.resolve();
    // A latecomer arriving while 1 holds it queues behind 2 and 3.
    const late = lock.acquire().then(() => order.push(4));
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 1));
      lock.release();
    }
    await Promise.all([...waiters, late]);
    expect(order).toEqual([1, 2, 3, 4]);
    lock.release();
    await lock.acquire(); // free again: taken at once
  });

  it('reuses a prepared statement, but not one an iterator is still reading', () => {
    const db = new SQLite(':memory:');
    db.exec('create table t (n integer)');
    db.exec('insert into t values (1), (2), (3)');
    const prepare = statementCache(db, 2);
    const a = prepare('select n from t order by n');
    expect(prepare('select n from t order by n')).toBe(a);
    const iterator = a.iterate();
    iterator.next();
    const b = prepare('select n from t order by n');
    expect(b).not.toBe(a);
    expect(b.all()).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    iterator.return?.();
    expect(prepare('select n from t order by n')).toBe(a);
    // Past the limit the least recently used goes.
    prepare('select 1');
    prepare('select 2');
    expect(prepare('select n from t order by n')).not.toBe(a);
    db.close();
  });

  it('commits a burst of transactions together, each answered only once its rows are committed', async () => {
    const { db, commits, seen, close } = fileDatabase();
    const seenAtAnswer: boolean[] = [];
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        db
          .transaction()
          .execute(async (tx) => {
            await tx.insertInto('t').values({ n: i }).execute();
            await tx.selectFrom('t').select('n').where('n', '=', i).executeTakeFirstOrThrow();
          })
          // Seen from another connection the moment the transaction is answered: durable, not pending.
          .then(() => seenAtAnswer.push(seen(i))),
      ),
    );
    expect(seenAtAnswer).toEqual(Array(40).fill(true));
    expect(commits.count).toBeGreaterThanOrEqual(1);
    expect(commits.count).toBeLessThan(40 / 4);
    await close();
  });

  it('a member that rolls back takes only its own rows with it', async () => {
    const { db, seen, close } = fileDatabase();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        db.transaction().execute(async (tx) => {
          await tx.insertInto('t').values({ n: i }).execute();
          if (i % 3 === 1) throw new Error(`member ${i} fails`);
        }),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(
      Array.from({ length: 12 }, (_, i) => (i % 3 === 1 ? 'rejected' : 'fulfilled')),
    );
    expect(Array.from({ length: 12 }, (_, i) => seen(i))).toEqual(
      Array.from({ length: 12 }, (_, i) => i % 3 !== 1),
    );
    await close();
  });

  it('a write outside a transaction commits the open group first, then commits on its own', async () => {
    const { db, seen, close } = fileDatabase();
    const members = Array.from({ length: 5 }, (_, i) =>
      db.transaction().execute((tx) => tx.insertInto('t').values({ n: i }).execute()),
    );
    const lone = db
      .insertInto('t')
      .values({ n: 100 })
      .execute()
      .then(() => [seen(100), ...Array.from({ length: 5 }, (_, i) => seen(i))]);
    const more = db.transaction().execute((tx) => tx.insertInto('t').values({ n: 200 }).execute());
    await Promise.all([...members, more]);
    // The lone write was answered durable, and the members queued before it were committed with it.
    expect(await lone).toEqual([true, true, true, true, true, true]);
    expect(seen(200)).toBe(true);
    await close();
  });

  it('readers taking turns on the connection cannot hold a group open: it commits within its age', async () => {
    const { db, seen, close } = fileDatabase();
    let reading = true;
    const started = performance.now();
    // Bounded, so a group that never commits fails the test instead of spinning the process forever.
    const reader = async () => {
      while (reading && performance.now() - started < 3000)
        await db.selectFrom('t').select('n').limit(1).execute();
    };
    // Two readers hand the connection to each other without a pause; the transaction queues behind them.
    const readers = [reader(), reader()];
    await db.transaction().execute((tx) => tx.insertInto('t').values({ n: 7 }).execute());
    const waited = performance.now() - started;
    expect(seen(7)).toBe(true);
    reading = false;
    await Promise.all(readers);
    expect(waited).toBeLessThan(1000);
    await close();
  });
});
