// The intake's rows and lease on both backends: held messages come back oldest first and only when due,
// a resend of a key is the held message, a postponed one waits, and one owner at a time holds the lease.
import { createIdGenerator, systemClock } from '@zhike/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from './database.ts';
import { createTestDatabase, type TestDatabase, testBackends } from './testing.ts';

describe.each(testBackends)('the API intake on %s', (backend) => {
  let tdb: TestDatabase;
  let db: Database;
  const newId = createIdGenerator(systemClock);
  const now = new Date().toISOString();
  const ws = newId();
  const inboxId = newId();
  const at = (ms: number) => new Date(ms).toISOString();

  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    db = openDatabase({ url: tdb.url, newId });
    await db.migrate();
    const ok = await db.directory.seedWorkspace({
      workspace: { id: ws, slug: 'a', name: 'a', locale: 'zh-CN', createdAt: now },
      owner: {
        id: newId(),
        workspaceId: ws,
        email: 'a@x.test',
        name: 'a',
        role: 'owner',
        createdAt: now,
        passwordHash: 'x',
      },
      inboxes: [],
      faqs: [],
    });
    expect(ok).toBe(true);
  });
  afterAll(async () => {
    await db?.close();
    await tdb?.drop();
  });

  const input = (key: string, text: string) => ({
    inboxId,
    identity: { kind: 'external' as const, value: 'c1', verified: true },
    text,
    idempotencyKey: key,
  });

  it('holds, answers a resend with the held id, hands rows out oldest first when due, forgets stored ones', async () => {
    const store = db.forWorkspace(ws);
    const t0 = Date.now();
    const ids = [newId(), newId(), newId()];
    for (let i = 0; i < 3; i++)
      expect(
        await store.intake.hold({
          messageId: ids[i] as string,
          input: input(`k${i}`, `第${i}条`),
          acceptedAt: at(t0 + i),
        }),
      ).toEqual({
        messageId: ids[i],
        duplicate: false,
      });
    expect(
      await store.intake.hold({ messageId: newId(), input: input('k1', 'again'), acceptedAt: at(t0 + 5) }),
    ).toEqual({
      messageId: ids[1],
      duplicate: true,
    });
    const due = await db.intake.due(at(t0 + 10), 10);
    expect(due.map((r) => r.messageId)).toEqual(ids);
    expect((await store.intake.open(due[1]?.payload as string)).text).toBe('第1条');
    expect(await db.intake.depth()).toEqual({ held: 3, oldestAcceptedAt: at(t0) });

    await db.intake.postpone(due[0]?.seq as number, 'later', at(t0 + 60_000));
    expect((await db.intake.due(at(t0 + 10), 10)).map((r) => r.messageId)).toEqual(ids.slice(1));
    const back = await db.intake.due(at(t0 + 60_000), 10);
    expect(back[0]).toMatchObject({ messageId: ids[0], attempts: 1 });

    await db.intake.remove(back.map((r) => r.seq));
    expect(await db.intake.depth()).toEqual({ held: 0, oldestAcceptedAt: null });
  });

  it('one owner at a time holds a lease until it gives it up or stops renewing', async () => {
    const start = Date.now();
    expect(await db.intake.lease('drain', 'p1', at(start), at(start + 30_000))).toBe(true);
    expect(await db.intake.lease('drain', 'p2', at(start + 1000), at(start + 31_000))).toBe(false);
    expect(await db.intake.lease('drain', 'p1', at(start + 2000), at(start + 32_000))).toBe(true);
    expect(await db.intake.lease('drain', 'p2', at(start + 40_000), at(start + 70_000))).toBe(true);
    expect(await db.intake.lease('drain', 'p1', at(start + 41_000), at(start + 71_000))).toBe(false);
    await db.intake.release('drain', 'p2');
    expect(await db.intake.lease('drain', 'p1', at(start + 42_000), at(start + 72_000))).toBe(true);
  });
});
