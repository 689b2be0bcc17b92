// Data-subject rights at the storage layer on both backends: per-customer keys, export, erasure by
// crypto-shredding (a backup copy of the rows cannot be opened afterwards), consent history and
// transcript retention.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  type Clock,
  consentVerdict,
  createIdGenerator,
  mayContact,
  receiveCustomerMessage,
  recordConsent,
  systemClock,
} from '@zhike/core';
import { generateMasterKey, masterKey, UnknownKeyError } from '@zhike/security';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, parseDatabaseUrl } from './connect.ts';
import { type Database, openDatabase } from './database.ts';
import { createTestDatabase, type TestDatabase, testBackends } from './testing.ts';

const ALICE = { name: '欧阳爱丽', phone: '13911112222', text: '我家住在擦除路七号' };
const BOB = { name: '司马博', phone: '13933334444', text: '请保留我的订单记录' };

describe.each(testBackends)('privacy on %s', (backend) => {
  let tdb: TestDatabase;
  let db: Database;
  const newId = createIdGenerator(systemClock);
  const kek = masterKey(generateMasterKey());
  const ws = newId();
  const inbox = newId();
  const now = new Date().toISOString();
  let raw: ReturnType<typeof connect>['kysely'];
  const ids = { alice: '', bob: '', aliceConversation: '' };

  const receive = (who: typeof ALICE, text: string, key: string, clock: Clock = systemClock) =>
    receiveCustomerMessage(
      { store: db.forWorkspace(ws), clock, newId },
      {
        inboxId: inbox,
        identity: { kind: 'phone', value: who.phone },
        profile: { name: who.name, phone: who.phone },
        text,
        idempotencyKey: key,
      },
    );

  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    db = openDatabase({ url: tdb.url, newId, masterKeys: [kek] });
    raw = connect(parseDatabaseUrl(tdb.url), { poolSize: 1 }).kysely;
    await db.migrate();
    await db.directory.seedWorkspace({
      workspace: { id: ws, slug: `p${Date.now()}`, name: 'shop', locale: 'zh-CN', createdAt: now },
      owner: {
        id: newId(),
        workspaceId: ws,
        email: `o${ws}@x.test`,
        name: 'o',
        role: 'owner',
        createdAt: now,
        passwordHash: 'x',
      },
      inboxes: [
        {
          id: inbox,
          workspaceId: ws,
          name: 'api',
          channel: 'api',
          widgetToken: null,
          allowedOrigins: [],
          webhookUrl: null,
          webhookSecret: null,
          greeting: null,
          createdAt: now,
        },
      ],
      faqs: [],
    });
    const a = await receive(ALICE, ALICE.text, 'a1');
    const b = await receive(BOB, BOB.text, 'b1');
    ids.alice = a.conversation.customerId;
    ids.bob = b.conversation.customerId;
    ids.aliceConversation = a.conversation.id;
    const store = db.forWorkspace(ws);
    for (const [customerId, conversationId, who] of [
      [ids.alice, a.conversation.id, ALICE],
      [ids.bob, b.conversation.id, BOB],
    ] as const) {
      await store.tickets.create({
        type: 'refund',
        fields: { reason: `${who.name} 的退款理由` },
        conversationId,
        customerId,
        sourceKey: `t-${customerId}`,
        createdAt: now,
      });
      await store.callbacks.create({
        phone: who.phone,
        note: `${who.name} 回电`,
        conversationId,
        customerId,
        sourceKey: `c-${customerId}`,
        createdAt: now,
      });
      await store.botStates.save({
        conversationId,
        state: { phone: who.phone },
        lastMessageId: 'm',
        expectedLastMessageId: null,
        at: now,
      });
      await store.botTurns.record({
        conversationId,
        customerId,
        messageId: `turn-${customerId}`,
        channel: 'api',
        question: `${who.name} 的问题`,
        outcome: 'answered',
        target: null,
        targetLabel: null,
        confidence: 0.9,
        handoffReason: null,
        handoffPriority: null,
        at: now,
      });
      await store.attachments.create({
        id: newId(),
        conversationId,
        customerId,
        messageId: null,
        uploadedBy: 'customer',
        name: `${who.name}.jpg`,
        mimeType: 'image/jpeg',
        size: 10,
        fileKey: 'k'.repeat(43),
        createdAt: now,
      });
    }
    await recordConsent(
      { store, clock: systemClock, newId },
      {
        customerId: ids.alice,
        purpose: 'marketing_sms',
        status: 'granted',
        source: 'console',
        recordedBy: 'user:u',
      },
    );
    await db.audit.record({
      workspaceId: ws,
      actor: { type: 'user', id: 'u1' },
      action: 'pii.revealed',
      target: { type: 'customer', id: ids.alice },
      details: { field: 'phone' },
    });
  });
  afterAll(async () => {
    await raw?.destroy();
    await db?.close();
    await tdb?.drop();
  });

  it('seals each customer’s data with their own key, and still opens values under the workspace key', async () => {
    const keys = await sql<{ subjectId: string }>`select subject_id from workspace_keys`.execute(raw);
    const subjects = keys.rows.map((r) => r.subjectId);
    expect(subjects).toEqual(expect.arrayContaining([ids.alice, ids.bob, '']));
    const names = await sql<{ id: string; name: string }>`select id, name from customers`.execute(raw);
    const keyOf = (sealed: string) => sealed.split(':')[1];
    const aliceName = names.rows.find((r) => r.id === ids.alice)!.name;
    const bobName = names.rows.find((r) => r.id === ids.bob)!.name;
    expect(keyOf(aliceName)).not.toBe(keyOf(bobName));
    // A message written before per-customer keys (sealed with the workspace's key) still opens.
    const workspaceCodec = db.keyring!.codecFor(ws);
    await raw
      .insertInto('messages')
      .values({
        id: newId(),
        workspaceId: ws,
        conversationId: ids.aliceConversation,
        inboxId: inbox,
        author: 'customer',
        authorUserId: null,
        text: workspaceCodec.seal('旧消息', 'messages.text'),
        attachments: '[]',
        idempotencyKey: null,
        clientMessageId: null,
        createdAt: new Date(Date.now() + 1000).toISOString(),
      })
      .execute();
    const messages = await db.forWorkspace(ws).messages.list(ids.aliceConversation, { limit: 10 });
    expect(messages.map((m) => m.text)).toEqual([ALICE.text, '旧消息']);

    // A customer from before per-customer keys: the next migrate gives them a key; old values still open.
    const legacyId = newId();
    await raw
      .insertInto('customers')
      .values({
        id: legacyId,
        workspaceId: ws,
        name: workspaceCodec.seal('老顾客', 'customers.name'),
        email: null,
        phone: null,
        createdAt: now,
      })
      .execute();
    await db.migrate();
    const legacyKeys = await sql<{
      n: number;
    }>`select count(*) as n from workspace_keys where subject_id = ${legacyId}`.execute(raw);
    expect(Number(legacyKeys.rows[0]?.n)).toBe(1);
    expect((await db.forWorkspace(ws).customers.get(legacyId))?.name).toBe('老顾客');
    await raw.deleteFrom('customers').where('id', '=', legacyId).execute();
    await db.forWorkspace(ws).privacy.shredCustomerKeys(legacyId);
  });

  it('exports everything about one customer and nothing about another', async () => {
    const exported = await db.forWorkspace(ws).privacy.exportCustomer(ids.alice);
    expect(exported).not.toBeNull();
    const json = JSON.stringify(exported);
    for (const v of [
      ALICE.name,
      ALICE.phone,
      ALICE.text,
      '旧消息',
      `${ALICE.name} 的退款理由`,
      `${ALICE.name}.jpg`,
    ])
      expect(json).toContain(v);
    for (const v of [BOB.name, BOB.phone, BOB.text, ids.bob]) expect(json).not.toContain(v);
    expect(exported?.tickets).toHaveLength(1);
    expect(exported?.callbacks).toHaveLength(1);
    expect(exported?.consents).toMatchObject([{ purpose: 'marketing_sms', status: 'granted' }]);
    expect(exported?.attachments).toHaveLength(1);
    expect(exported?.audit.map((e) => e.action)).toEqual(['pii.revealed']);
    expect(await db.forWorkspace(newId()).privacy.exportCustomer(ids.alice)).toBeNull();
  });

  it('keeps consent history; the newest answer decides whether a customer may be contacted', async () => {
    const store = db.forWorkspace(ws);
    const deps = { store, clock: systemClock, newId };
    expect(await mayContact(deps, { customerId: ids.alice, purpose: 'marketing_sms' })).toMatchObject({
      allowed: true,
    });
    expect(await mayContact(deps, { customerId: ids.alice, purpose: 'marketing_email' })).toEqual({
      allowed: false,
      reason: 'never_asked',
    });
    await new Promise((r) => setTimeout(r, 5));
    await recordConsent(deps, {
      customerId: ids.alice,
      purpose: 'marketing_sms',
      status: 'withdrawn',
      source: 'sms_reply',
      recordedBy: 'customer',
    });
    expect(await mayContact(deps, { customerId: ids.alice, purpose: 'marketing_sms' })).toEqual({
      allowed: false,
      reason: 'withdrawn',
    });
    const history = await store.privacy.consents(ids.alice);
    expect(history.map((c) => c.status)).toEqual(['granted', 'withdrawn']);
    expect(consentVerdict(history.slice(0, 1), 'marketing_sms')).toMatchObject({ allowed: true });
    expect(await mayContact(deps, { customerId: newId(), purpose: 'marketing_sms' })).toEqual({
      allowed: false,
      reason: 'unknown_customer',
    });
  });

  it('erases a customer: rows gone, keys destroyed, a backup copy unreadable, the other customer intact', async () => {
    const backup = await sql<{ name: string }>`select name from customers where id = ${ids.alice}`.execute(
      raw,
    );
    const backupMessages = await sql<{
      text: string;
    }>`select text from messages where conversation_id = ${ids.aliceConversation}`.execute(raw);
    const backupTicket = await sql<{
      fields: string;
    }>`select fields from tickets where customer_id = ${ids.alice}`.execute(raw);
    const backupCallback = await sql<{
      note: string;
    }>`select note from callbacks where customer_id = ${ids.alice}`.execute(raw);
    const backupState = await sql<{
      state: string;
    }>`select state from bot_states where conversation_id = ${ids.aliceConversation}`.execute(raw);
    const store = db.forWorkspace(ws);
    const erased = await store.transaction((tx) => tx.privacy.deleteCustomerData(ids.alice));
    expect(erased?.counts).toMatchObject({
      customers: 1,
      identities: 1,
      conversations: 1,
      messages: 2,
      tickets: 1,
      callbacks: 1,
      botStates: 1,
      attachments: 1,
      consents: 2,
      bot_turns: 1,
    });
    expect(erased?.attachmentIds).toHaveLength(1);
    expect(await store.privacy.shredCustomerKeys(ids.alice)).toBe(1);

    for (const table of [
      'customers',
      'customer_identities',
      'conversations',
      'tickets',
      'callbacks',
      'attachments',
    ])
      expect(
        (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(raw)).rows[0]?.n,
        table,
      ).toEqual(backend === 'postgres' ? '1' : 1);
    const subjects = await sql<{ subjectId: string }>`select subject_id from workspace_keys`.execute(raw);
    expect(subjects.rows.map((r) => r.subjectId)).not.toContain(ids.alice);

    // A restored backup of her rows, opened by a fresh process with the same master key: unreadable.
    const fresh = openDatabase({ url: tdb.url, newId, masterKeys: [kek] });
    try {
      await fresh.keyring!.load(ws);
      const codec = fresh.keyring!.codecFor(ws, { openAnySubject: true });
      expect(() => codec.open(backup.rows[0]!.name, 'customers.name')).toThrow(UnknownKeyError);
      const sealedByHer = backupMessages.rows.filter(
        (r) => r.text.split(':')[1] !== codec.seal('x').split(':')[1],
      );
      expect(sealedByHer.length).toBeGreaterThan(0);
      for (const m of sealedByHer) expect(() => codec.open(m.text, 'messages.text')).toThrow(UnknownKeyError);
      expect(() => codec.open(backupTicket.rows[0]!.fields, 'tickets.fields')).toThrow(UnknownKeyError);
      expect(() => codec.open(backupCallback.rows[0]!.note, 'callbacks.note')).toThrow(UnknownKeyError);
      expect(() => codec.open(backupState.rows[0]!.state, 'bot_states.state')).toThrow(UnknownKeyError);
      // Bob reads back in full.
      const bob = await fresh.forWorkspace(ws).customers.get(ids.bob);
      expect(bob).toMatchObject({ name: BOB.name, phone: BOB.phone });
      expect((await fresh.forWorkspace(ws).privacy.exportCustomer(ids.bob))?.tickets).toHaveLength(1);
    } finally {
      await fresh.close();
    }

    // Her phone is a stranger now: the next message makes a new customer.
    expect(await store.customers.findByIdentity('phone', ALICE.phone)).toBeNull();
    const again = await receive(ALICE, '我又来了', 'a2');
    expect(again.conversation.customerId).not.toBe(ids.alice);
  });

  it('leaves no plaintext of the erased customer in the database files', async () => {
    const dump =
      backend === 'sqlite'
        ? Buffer.concat(
            readdirSync(dirname(tdb.url))
              .filter((f) => f.startsWith('zhike.db'))
              .map((f) => readFileSync(join(dirname(tdb.url), f))),
          )
        : pgDump(tdb.url);
    expect(dump.length).toBeGreaterThan(1000);
    for (const v of [ALICE.name, ALICE.phone, ALICE.text, BOB.name, BOB.text])
      expect(dump.includes(Buffer.from(v)), v).toBe(false);
  });

  it('purges transcripts older than the cutoff, exactly, and marks their conversations', async () => {
    const store = db.forWorkspace(ws);
    const old = { now: () => new Date(Date.now() - 40 * 86_400_000) };
    const carol = { name: '陈卡罗', phone: '13955556666', text: '旧的对话' };
    const first = await receive(carol, carol.text, 'c1', old);
    await receive(carol, '新的对话', 'c2');
    const before = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const older = await sql<{
      n: number;
    }>`select count(*) as n from messages where created_at < ${before}`.execute(raw);
    expect(Number(older.rows[0]?.n)).toBe(1);
    const total = Number(
      (await sql<{ n: number }>`select count(*) as n from messages`.execute(raw)).rows[0]?.n,
    );
    await store.botStates.save({
      conversationId: first.conversation.id,
      state: { phone: carol.phone },
      lastMessageId: 'old',
      expectedLastMessageId: null,
      at: old.now().toISOString(),
    });
    const purged = await store.privacy.purgeTranscripts(before, new Date().toISOString());
    expect(await store.botStates.get(first.conversation.id)).toBeNull();
    expect(purged).toEqual({ messages: 1, conversations: 1 });
    const left = Number(
      (await sql<{ n: number }>`select count(*) as n from messages`.execute(raw)).rows[0]?.n,
    );
    expect(left).toBe(total - 1);
    expect(await store.conversations.get(first.conversation.id)).not.toBeNull();
    expect(await store.privacy.purgedAt(first.conversation.id)).not.toBeNull();
    expect((await store.messages.list(first.conversation.id, { limit: 10 })).map((m) => m.text)).toEqual([
      '新的对话',
    ]);
  });

  it('a second process reads customers whose keys the first created after it loaded its keys', async () => {
    const other = openDatabase({ url: tdb.url, newId, masterKeys: [kek] });
    try {
      const otherStore = other.forWorkspace(ws);
      await otherStore.conversations.list({ limit: 1 }); // loads its keyring now
      const dave = { name: '丁大卫', phone: '13900001111', text: '另一个进程写的' };
      const sent = await receive(dave, dave.text, 'd1');
      expect((await otherStore.customers.get(sent.conversation.customerId))?.name).toBe(dave.name);
      const list = await other.forWorkspace(ws).conversations.list({ limit: 50 });
      expect(list.find((c) => c.id === sent.conversation.id)?.lastMessage?.text).toBe(dave.text);
      const messages = await other.forWorkspace(ws).messages.list(sent.conversation.id, { limit: 5 });
      expect(messages.map((m) => m.text)).toEqual([dave.text]);
    } finally {
      await other.close();
    }
  });

  it('stores a retention policy per workspace', async () => {
    const store = db.forWorkspace(ws);
    expect(await store.privacy.retention()).toMatchObject({ transcriptsDays: null, updatedAt: null });
    await store.privacy.setRetention(
      { transcriptsDays: 180, recordingsDays: null, attachmentsDays: 30 },
      now,
    );
    expect(await store.privacy.retention()).toEqual({
      transcriptsDays: 180,
      recordingsDays: null,
      attachmentsDays: 30,
      updatedAt: now,
    });
    expect(await db.forWorkspace(newId()).privacy.retention()).toMatchObject({ transcriptsDays: null });
  });
});

function pgDump(url: string): Buffer {
  const u = new URL(url);
  const schema = /search_path=(\S+)/.exec(u.searchParams.get('options') ?? '')?.[1];
  if (!schema) throw new Error('no test schema in the URL');
  u.searchParams.delete('options');
  return execFileSync('pg_dump', ['--schema', schema, u.toString()], { maxBuffer: 64 * 1024 * 1024 });
}
