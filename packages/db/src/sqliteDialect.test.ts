import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { FifoLock, statementCache } from './sqliteDialect.ts';

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
});
