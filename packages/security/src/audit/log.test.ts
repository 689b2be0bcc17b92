import { describe, expect, it } from 'vitest';
import { chainEntry } from './chain.ts';
import { createAuditLog, createMemoryAuditStore } from './log.ts';
import { planPurge } from './retention.ts';

const setup = () => {
  const store = createMemoryAuditStore();
  let n = 0;
  let t = Date.UTC(2024, 0, 1);
  const log = createAuditLog({
    store,
    newId: () => `id${++n}`,
    now: () => {
      t += 86_400_000;
      return new Date(t);
    },
  });
  return { store, log };
};

const signIn = {
  workspaceId: 'ws1',
  actor: { type: 'user' as const, id: 'u1' },
  action: 'auth.signed_in' as const,
  details: {},
};

describe('audit log over a store', () => {
  it('appends a chain and verifies it across pages', async () => {
    const { log } = setup();
    for (let i = 0; i < 25; i++) await log.record(signIn);
    expect(await log.verify({ pageSize: 7 })).toMatchObject({ ok: true, count: 25 });
  });

  it('concurrent writers each get their own seq and the chain stays valid', async () => {
    const { log, store } = setup();
    await Promise.all(Array.from({ length: 20 }, () => log.record(signIn)));
    expect(store.entries.map((e) => e.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    expect(await log.verify()).toMatchObject({ ok: true, count: 20 });
  });

  it('detects an edited and a deleted row, reporting its position', async () => {
    const { log, store } = setup();
    for (let i = 0; i < 12; i++) await log.record(signIn);
    const target = store.entries.find((e) => e.seq === 9)!;
    const original = target.actor;
    target.actor = { type: 'system', id: 'x' };
    expect(await log.verify({ pageSize: 5 })).toMatchObject({
      ok: false,
      index: 8,
      seq: 9,
      reason: 'hash_mismatch',
    });
    target.actor = original;
    store.entries.splice(store.entries.indexOf(target), 1);
    expect(await log.verify({ pageSize: 5 })).toMatchObject({ ok: false, seq: 10, reason: 'prev_mismatch' });
  });

  it('continues from the retention checkpoint after a purge', async () => {
    const { log, store } = setup();
    for (let i = 0; i < 600; i++) await log.record(signIn);
    const ordered = [...store.entries].sort((a, b) => a.seq - b.seq);
    const plan = planPurge(ordered, new Date(Date.UTC(2025, 6, 1)), 365);
    expect(plan.purge.length).toBeGreaterThan(100);
    store.setCheckpoint(plan.checkpoint);
    store.entries.splice(0, store.entries.length, ...ordered.slice(plan.purge.length));
    expect(await log.verify({ pageSize: 100 })).toMatchObject({ ok: true, count: 600 - plan.purge.length });
    const next = await log.record(signIn);
    expect(next.seq).toBe(601);
    // Purging without a checkpoint is detected.
    store.setCheckpoint(null);
    expect(await log.verify()).toMatchObject({ ok: false, reason: 'prev_mismatch' });
  });

  it('purge(): drops entries past retention (never under 365 days) and the rest still verifies', async () => {
    const { log, store } = setup(); // one entry per day from 2024-01-02
    for (let i = 0; i < 500; i++) await log.record(signIn);
    // The clock is now ~2025-05-16; with 30 days asked, 365 apply: entries before ~2024-05-16 go.
    const removed = await log.purge(30);
    expect(removed).toBeGreaterThan(100);
    expect(removed).toBeLessThan(150);
    expect((await store.checkpoint())?.seq).toBe(removed);
    expect(store.entries.at(-1)?.action).toBe('audit.pruned');
    expect(await log.verify({ pageSize: 64 })).toMatchObject({ ok: true, count: 500 - removed + 1 });
    expect(await log.purge(365)).toBeGreaterThanOrEqual(1); // the test clock moves a day per reading
    expect(await log.verify()).toMatchObject({ ok: true });
  });

  it('an empty log verifies; a removed tail shows against the stored head', async () => {
    const { log, store } = setup();
    expect(await log.verify()).toMatchObject({ ok: true, count: 0 });
    for (let i = 0; i < 3; i++) await log.record(signIn);
    const head = store.entries.at(-1)!;
    expect(await store.head()).toEqual({ seq: 3, hash: head.hash });
    expect(await log.verify({ expectedHead: { seq: head.seq, hash: head.hash } })).toMatchObject({
      ok: true,
      count: 3,
    });
    store.entries.pop();
    expect(await log.verify()).toMatchObject({ ok: false, seq: 3, expectedSeq: 3, reason: 'tail_missing' });
    await log.record(signIn); // links to the removed entry, so the hole stays visible
    expect(await log.verify()).toMatchObject({ ok: false, seq: 4, reason: 'prev_mismatch' });
    store.entries.length = 0;
    expect(await log.verify()).toMatchObject({ ok: false, seq: 1, expectedSeq: 4, reason: 'tail_missing' });
  });

  it('a row past the stored head that no append recorded is reported', async () => {
    const { log, store } = setup();
    for (let i = 0; i < 3; i++) await log.record(signIn);
    const last = store.entries.at(-1)!;
    store.entries.push(chainEntry(last, { ...signIn, id: 'forged', at: last.at }));
    expect(await log.verify()).toMatchObject({ ok: false, id: 'forged', seq: 4, reason: 'head_mismatch' });
  });

  it('the head survives a purge of everything: the chain then ends at the checkpoint', async () => {
    const { log, store } = setup();
    for (let i = 0; i < 3; i++) await log.record(signIn);
    const last = store.entries.at(-1)!;
    await store.purgeThrough({ seq: last.seq, hash: last.hash }, last.at);
    expect(store.entries).toHaveLength(0);
    expect(await log.verify()).toMatchObject({ ok: true, count: 0, head: last.hash });
  });
});
