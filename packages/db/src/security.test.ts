// Field encryption at rest and the audit chain on both backends: nothing seeded is readable in the SQLite
// file or a pg_dump, lookups still find customers by phone, and the audit table refuses edits.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createIdGenerator, receiveCustomerMessage, systemClock } from '@zhike/core';
import { generateMasterKey, masterKey } from '@zhike/security';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, parseDatabaseUrl } from './connect.ts';
import { type Database, openDatabase } from './database.ts';
import { auditHead } from './migrations/0004_audit_head.ts';
import { createTestDatabase, deleteNewestAuditRows, type TestDatabase, testBackends } from './testing.ts';

const SECRETS = {
  name: '欧阳秘密',
  phone: '13912345678',
  email: 'secret.person@example.cn',
  text: '我的地址是北京市朝阳区机密路1号',
};

describe.each(testBackends)('encryption at rest on %s', (backend) => {
  let tdb: TestDatabase;
  let db: Database;
  const newId = createIdGenerator(systemClock);
  const kek = masterKey(generateMasterKey());
  const ws = newId();
  const inbox = newId();
  const now = new Date().toISOString();

  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    db = openDatabase({ url: tdb.url, newId, masterKeys: [kek] });
    await db.migrate();
    await db.directory.seedWorkspace({
      workspace: { id: ws, slug: `s${Date.now()}`, name: 'shop', locale: 'zh-CN', createdAt: now },
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
    const result = await receiveCustomerMessage(
      { store: db.forWorkspace(ws), clock: systemClock, newId },
      {
        inboxId: inbox,
        identity: { kind: 'phone', value: SECRETS.phone },
        profile: { name: SECRETS.name, email: SECRETS.email, phone: SECRETS.phone },
        text: SECRETS.text,
        idempotencyKey: 'k1',
      },
    );
    expect(result.duplicate).toBe(false);
    await db.audit.record({
      workspaceId: ws,
      actor: { type: 'user', id: 'u1' },
      action: 'settings.changed',
      target: { type: 'inbox', id: inbox },
      details: { fields: 'greeting' },
    });
  });
  afterAll(async () => {
    await db?.close();
    await tdb?.drop();
  });

  it('reads everything back and finds the customer by phone however it is written', async () => {
    const store = db.forWorkspace(ws);
    const customer = await store.customers.findByIdentity('phone', '+86 139-1234-5678');
    expect(customer).toMatchObject({ name: SECRETS.name, email: SECRETS.email, phone: SECRETS.phone });
    // Stored in the one normalised form (E.164), whichever way the channel wrote it.
    expect(customer?.identities).toEqual([
      { kind: 'phone', value: '+8613912345678', verified: false, source: 'api' },
    ]);
    const [summary] = await store.conversations.list({ limit: 10 });
    expect(summary?.customerName).toBe(SECRETS.name);
    expect(summary?.lastMessage?.text).toBe(SECRETS.text);
  });

  it('stores only sealed values and blind indexes', async () => {
    const raw = rawKysely(tdb);
    const customer = (
      await sql<Record<string, string>>`select name, email, phone from customers`.execute(raw)
    ).rows[0]!;
    for (const v of Object.values(customer)) expect(v).toMatch(/^zk1:[\w-]+:[\w-]+$/);
    const identity = (
      await sql<Record<string, string>>`select value, sealed_value from customer_identities`.execute(raw)
    ).rows[0]!;
    expect(identity.value).toMatch(/^zb1:/);
    expect(identity.sealedValue).toMatch(/^zk1:/);
    const message = (await sql<{ text: string }>`select text from messages`.execute(raw)).rows[0]!;
    expect(message.text).toMatch(/^zk1:/);
  });

  it(`leaves none of the seeded values in plaintext in the ${backend === 'sqlite' ? 'SQLite files' : 'pg_dump'}`, async () => {
    await db.close();
    const dump =
      backend === 'sqlite'
        ? Buffer.concat(
            readdirSync(dirname(tdb.url))
              .filter((f) => f.startsWith('zhike.db'))
              .map((f) => readFileSync(join(dirname(tdb.url), f))),
          )
        : pgDump(tdb.url);
    expect(dump.length).toBeGreaterThan(1000);
    expect(dump.includes('customer_identities')).toBe(true);
    for (const value of [
      SECRETS.name,
      SECRETS.phone,
      SECRETS.email,
      SECRETS.text,
      '机密路',
      '1234-5678',
      '秘密',
    ])
      expect(dump.includes(Buffer.from(value)), value).toBe(false);
    db = openDatabase({ url: tdb.url, newId, masterKeys: [kek] });
  });

  it('rotates the master key without touching data; the audit chain verifies and refuses edits', async () => {
    const next = masterKey(generateMasterKey());
    const rotating = openDatabase({ url: tdb.url, newId, masterKeys: [next, kek] });
    // Every wrapped key goes: the workspace's data and index keys and each customer's own key.
    const keys = await sql<{ n: number }>`select count(*) as n from workspace_keys`.execute(rawKysely(tdb));
    expect(Number(keys.rows[0]?.n)).toBeGreaterThan(2);
    expect(await rotating.keyring!.rotateMasterKey()).toMatchObject({ rewrapped: Number(keys.rows[0]?.n) });
    await rotating.close();
    const after = openDatabase({ url: tdb.url, newId, masterKeys: [next] });
    try {
      const c = await after.forWorkspace(ws).customers.findByIdentity('phone', SECRETS.phone);
      expect(c?.name).toBe(SECRETS.name);
      expect(await after.audit.verify()).toMatchObject({ ok: true, count: 1 });
      await expect(sql`update audit_log set actor_id = 'x'`.execute(rawKysely(tdb))).rejects.toThrow(
        /append-only/,
      );
      await expect(sql`delete from audit_log`.execute(rawKysely(tdb))).rejects.toThrow(/append-only/);
    } finally {
      await after.close();
    }
  });

  it('purges audit entries past retention behind a checkpoint; the rest still verifies', async () => {
    const fresh = await createTestDatabase(backend);
    const d = openDatabase({ url: fresh.url, newId });
    try {
      await d.migrate();
      const entry = (daysAgo: number) => ({
        workspaceId: ws,
        at: new Date(Date.now() - daysAgo * 86_400_000).toISOString(),
        actor: { type: 'system' as const, id: 'test' },
        action: 'settings.changed' as const,
        details: {},
      });
      for (const daysAgo of [500, 450, 400, 10]) await d.audit.record(entry(daysAgo));
      expect(await d.audit.purge(30)).toBe(3); // 30 days asked, 365 applied
      expect(await d.audit.verify()).toMatchObject({ ok: true, count: 2 }); // the recent one + audit.pruned
      await expect(sql`delete from audit_log`.execute(rawKysely(fresh))).rejects.toThrow(/append-only/);
    } finally {
      await d.close();
      await fresh.drop();
    }
  });

  it('detects deleted newest rows against the head, even after further appends', async () => {
    const fresh = await createTestDatabase(backend);
    const d = openDatabase({ url: fresh.url, newId });
    try {
      await d.migrate();
      const entry = {
        workspaceId: ws,
        actor: { type: 'system' as const, id: 'test' },
        action: 'settings.changed' as const,
        details: {},
      };
      for (let i = 0; i < 4; i++) await d.audit.record(entry);
      expect(await d.audit.verify()).toMatchObject({ ok: true, count: 4 });
      // The head cannot be wound back or removed while its triggers stand.
      const raw = rawKysely(fresh);
      await expect(sql`update audit_heads set seq = 3`.execute(raw)).rejects.toThrow(/only moves forward/);
      await expect(sql`delete from audit_heads`.execute(raw)).rejects.toThrow(/only moves forward/);

      await deleteNewestAuditRows(fresh.url, 2);
      expect(await d.audit.verify()).toMatchObject({
        ok: false,
        seq: 3,
        expectedSeq: 4,
        reason: 'tail_missing',
      });
      // The next entry links to the deleted head, so writing on does not hide the hole.
      await d.audit.record(entry);
      expect(await d.audit.verify()).toMatchObject({ ok: false, seq: 5, reason: 'prev_mismatch' });
    } finally {
      await d.close();
      await fresh.drop();
    }
  });

  it('starts the head of a log written before migration 0004 at its newest row', async () => {
    const fresh = await createTestDatabase(backend);
    const d = openDatabase({ url: fresh.url, newId });
    try {
      await d.migrate();
      for (let i = 0; i < 3; i++)
        await d.audit.record({
          workspaceId: ws,
          actor: { type: 'system', id: 'test' },
          action: 'settings.changed',
          details: {},
        });
      const raw = rawKysely(fresh);
      const head = (await sql<{ seq: number; hash: string }>`select seq, hash from audit_heads`.execute(raw))
        .rows;
      // Replay the migration's backfill on an emptied head table, as a pre-0004 database would see it.
      await sql`drop table audit_heads`.execute(raw);
      if (backend === 'postgres') await sql`drop function zhike_audit_head_forward`.execute(raw);
      // Run 0004's `up` by hand: the migrator refuses to re-apply it under the later migrations.
      await auditHead.up(raw as Kysely<unknown>);
      const again = (await sql<{ seq: number; hash: string }>`select seq, hash from audit_heads`.execute(raw))
        .rows;
      expect(again.map((r) => ({ seq: Number(r.seq), hash: r.hash }))).toEqual(
        head.map((r) => ({ seq: Number(r.seq), hash: r.hash })),
      );
      expect(await d.audit.verify()).toMatchObject({ ok: true, count: 3 });
    } finally {
      await d.close();
      await fresh.drop();
    }
  });
});

// A second connection, like an operator (or attacker) with direct database access.
const raws = new Map<string, ReturnType<typeof connect>['kysely']>();
function rawKysely(tdb: TestDatabase) {
  let k = raws.get(tdb.url);
  if (!k) {
    k = connect(parseDatabaseUrl(tdb.url), { poolSize: 1 }).kysely;
    raws.set(tdb.url, k);
  }
  return k;
}
afterAll(async () => {
  for (const k of raws.values()) await k.destroy();
});

function pgDump(url: string): Buffer {
  const u = new URL(url);
  const schema = /search_path=(\S+)/.exec(u.searchParams.get('options') ?? '')?.[1];
  if (!schema) throw new Error('no test schema in the URL');
  u.searchParams.delete('options');
  return execFileSync('pg_dump', ['--schema', schema, u.toString()], {
    maxBuffer: 64 * 1024 * 1024,
  });
}
