// Queues, agent profiles, offers and waits on both backends: scoping, unique keys, members confined to
// the workspace, default queues created once, and the offer compare-and-set.
import { createIdGenerator, ensureDefaultQueues, systemClock, type WorkspaceStore } from '@zhike/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from './database.ts';
import { createTestDatabase, type TestDatabase, testBackends } from './testing.ts';

describe.each(testBackends)('queues on %s', (backend) => {
  let tdb: TestDatabase;
  let db: Database;
  const newId = createIdGenerator(systemClock);
  const now = new Date().toISOString();
  const ws = { a: newId(), b: newId() };
  const owners = { a: newId(), b: newId() };

  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    db = openDatabase({ url: tdb.url, newId });
    await db.migrate();
    for (const key of ['a', 'b'] as const) {
      const ok = await db.directory.seedWorkspace({
        workspace: { id: ws[key], slug: key, name: key, locale: 'zh-CN', createdAt: now },
        owner: {
          id: owners[key],
          workspaceId: ws[key],
          email: `${key}@x.test`,
          name: key,
          role: 'owner',
          createdAt: now,
          passwordHash: 'x',
        },
        inboxes: [],
        faqs: [],
      });
      expect(ok).toBe(true);
    }
  });
  afterAll(async () => {
    await db?.close();
    await tdb?.drop();
  });

  const store = (key: 'a' | 'b'): WorkspaceStore => db.forWorkspace(ws[key]);
  const fields = (key: string) => ({
    key,
    name: key.toUpperCase(),
    requiredSkills: ['returns'],
    language: null,
    strategy: 'round_robin' as const,
    pickupTimeoutSeconds: 30,
    overflowPolicy: 'wait' as const,
    overflowAfterSeconds: 120,
    position: 5,
    memberIds: [] as string[],
  });

  it('creates, finds, updates and deletes queues within one workspace only', async () => {
    const q = await store('a').queues.create({ ...fields('returns'), id: newId(), createdAt: now });
    expect(q).toMatchObject({ key: 'returns', requiredSkills: ['returns'], strategy: 'round_robin' });
    // The same key is free in another workspace and refused in the same one.
    expect(
      await store('b').queues.create({ ...fields('returns'), id: newId(), createdAt: now }),
    ).not.toBeNull();
    expect(await store('a').queues.create({ ...fields('returns'), id: newId(), createdAt: now })).toBeNull();
    const id = q?.id as string;
    expect(await store('b').queues.get(id)).toBeNull();
    expect(await store('b').queues.update(id, { name: 'x' }, now)).toBeNull();
    expect(await store('b').queues.delete(id)).toBe(false);
    expect((await store('a').queues.findByKey('returns'))?.id).toBe(id);

    // Members: only the workspace's own users stick.
    const updated = await store('a').queues.update(
      id,
      { name: '退货', memberIds: [owners.a, owners.b, owners.a], pickupTimeoutSeconds: 45 },
      now,
    );
    expect(updated).toMatchObject({ name: '退货', memberIds: [owners.a], pickupTimeoutSeconds: 45 });
    expect(await store('a').queues.delete(id)).toBe(true);
    expect(await store('a').queues.get(id)).toBeNull();
  });

  it('creates a template’s default queues once, and not again after the owner deletes one', async () => {
    const seeds = [
      { key: 'general', name: '综合客服' },
      { key: 'complaints', name: '投诉处理', overflowPolicy: 'callback' as const },
      { key: 'vip', name: 'VIP 专席', strategy: 'sticky' as const },
    ];
    const created = await ensureDefaultQueues(
      store('a'),
      { templateId: 'retail', locale: 'zh-CN', queues: seeds },
      { newId, at: now },
    );
    expect(created.map((q) => q.key)).toEqual(['general', 'complaints', 'vip']);
    expect(created.every((q) => q.pickupTimeoutSeconds === 30)).toBe(true);
    const vip = await store('a').queues.findByKey('vip');
    expect(vip?.strategy).toBe('sticky');
    await store('a').queues.delete(vip?.id as string);
    expect(
      await ensureDefaultQueues(
        store('a'),
        { templateId: 'retail', locale: 'zh-CN', queues: seeds },
        {
          newId,
          at: now,
        },
      ),
    ).toEqual([]);
    expect((await store('a').queues.list()).map((q) => q.key)).toEqual(['general', 'complaints']);
    // A template without queues of its own gets general + complaints.
    const fallback = await ensureDefaultQueues(
      store('b'),
      { templateId: 'hotel', locale: 'en-US' },
      { newId, at: now },
    );
    expect(fallback.map((q) => [q.key, q.name])).toEqual([
      ['general', 'General support'],
      ['complaints', 'Complaints'],
    ]);
  });

  it('gives members default agent profiles and saves presence with its timestamps', async () => {
    const [profile] = await store('a').agents.list();
    expect(profile).toMatchObject({ userId: owners.a, capacity: 3, status: 'offline', skills: [] });
    await expect(store('a').agents.save(owners.b, { capacity: 9 }, now)).rejects.toThrow();
    const later = new Date(Date.now() + 60_000).toISOString();
    const saved = await store('a').agents.save(
      owners.a,
      { status: 'online', skills: ['vip'], languages: ['zh-CN'], capacity: 2 },
      later,
    );
    expect(saved).toMatchObject({
      status: 'online',
      statusChangedAt: later,
      lastActivityAt: later,
      capacity: 2,
    });
    expect(await store('b').agents.get(owners.a)).toBeNull();
  });

  it('settles an offer once', async () => {
    const offer = {
      id: newId(),
      conversationId: newId(),
      customerId: newId(),
      queueId: null,
      userId: owners.a,
      status: 'pending' as const,
      offeredAt: now,
      expiresAt: now,
      respondedAt: null,
    };
    await store('a').offers.create(offer);
    expect(await store('b').offers.get(offer.id)).toBeNull();
    expect(await store('b').offers.settle(offer.id, 'expired', now)).toBe(false);
    expect((await store('a').offers.pendingFor(offer.conversationId))?.id).toBe(offer.id);
    const [first, second] = await Promise.all([
      store('a').offers.settle(offer.id, 'accepted', now),
      store('a').offers.settle(offer.id, 'expired', now),
    ]);
    expect([first, second].filter(Boolean)).toHaveLength(1);
    expect(await store('a').offers.pendingFor(offer.conversationId)).toBeNull();
  });
});
