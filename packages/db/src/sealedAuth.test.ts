// Migration 0011's data step on both backends: agents' emails and webhook secrets written in plaintext
// (before 0011, or by a process without a master key) are re-written sealed at the next start, login
// still finds the user by email, and the webhook secret still opens.
import { createIdGenerator, systemClock } from '@zhike/core';
import { generateMasterKey, masterKey } from '@zhike/security';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, parseDatabaseUrl } from './connect.ts';
import { type Database, openDatabase } from './database.ts';
import { createTestDatabase, type TestDatabase, testBackends } from './testing.ts';

describe.each(testBackends)('sealing sign-in data on %s', (backend) => {
  let tdb: TestDatabase;
  const newId = createIdGenerator(systemClock);
  const kek = masterKey(generateMasterKey());
  const ws = newId();
  const ownerId = newId();
  const legacyId = newId();
  const inboxId = newId();
  const now = new Date().toISOString();
  const secret = `whsec_${newId()}`;

  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    // A database written without a master key: everything in plaintext.
    const plain = openDatabase({ url: tdb.url, newId });
    await plain.migrate();
    await plain.directory.seedWorkspace({
      workspace: { id: ws, slug: `s${Date.now()}`, name: 'shop', locale: 'zh-CN', createdAt: now },
      owner: {
        id: ownerId,
        workspaceId: ws,
        email: 'Owner.Shop@Example.CN',
        name: 'o',
        role: 'owner',
        createdAt: now,
        passwordHash: 'x',
      },
      inboxes: [
        {
          id: inboxId,
          workspaceId: ws,
          name: 'api',
          channel: 'api',
          widgetToken: null,
          allowedOrigins: [],
          webhookUrl: null,
          webhookSecret: secret,
          greeting: null,
          createdAt: now,
        },
      ],
      faqs: [],
    });
    // And a row as migration 0011 found it: no blind index yet.
    const { kysely } = connect(parseDatabaseUrl(tdb.url), { poolSize: 1 });
    await sql`insert into users (id, workspace_id, email, name, role, password_hash, created_at)
      values (${legacyId}, ${ws}, ${'legacy.agent@example.cn'}, ${'l'}, ${'agent'}, ${'x'}, ${now})`.execute(
      kysely,
    );
    await kysely.destroy();
    expect(await plain.directory.userForLogin('owner.shop@example.cn')).toMatchObject({ id: ownerId });
    await plain.close();
  });
  afterAll(async () => tdb?.drop());

  const rawRows = async () => {
    const { kysely } = connect(parseDatabaseUrl(tdb.url), { poolSize: 1 });
    try {
      const users = await sql<{ id: string; email: string; emailIndex: string | null }>`
        select id, email, email_index from users`.execute(kysely);
      const inboxes = await sql<{
        webhookSecret: string | null;
      }>`select webhook_secret from inboxes`.execute(kysely);
      return { users: users.rows, inboxes: inboxes.rows };
    } finally {
      await kysely.destroy();
    }
  };

  it('re-writes plaintext rows sealed at the next start with a master key, once', async () => {
    const before = await rawRows();
    expect(before.users.map((u) => u.email).sort()).toEqual([
      'legacy.agent@example.cn',
      'owner.shop@example.cn',
    ]);
    expect(before.inboxes[0]!.webhookSecret).toBe(secret);

    let db: Database = openDatabase({ url: tdb.url, newId, masterKeys: [kek] });
    try {
      await db.migrate();
      const after = await rawRows();
      for (const u of after.users) {
        expect(u.email.startsWith('zk1:')).toBe(true);
        expect(u.emailIndex?.startsWith('zb1:')).toBe(true);
      }
      expect(after.inboxes[0]!.webhookSecret!.startsWith('zk1:')).toBe(true);
      expect(JSON.stringify(after)).not.toMatch(/example\.cn|whsec_/i);

      expect(await db.directory.userForLogin(' OWNER.shop@example.cn')).toMatchObject({
        id: ownerId,
        email: 'owner.shop@example.cn',
      });
      expect(await db.directory.userForLogin('legacy.agent@example.cn')).toMatchObject({ id: legacyId });
      expect(await db.directory.userForLogin('nobody@example.cn')).toBeNull();
      expect((await db.forWorkspace(ws).inboxes.get(inboxId))?.webhookSecret).toBe(secret);
      expect((await db.forWorkspace(ws).users.list()).map((u) => u.email).sort()).toEqual([
        'legacy.agent@example.cn',
        'owner.shop@example.cn',
      ]);
    } finally {
      await db.close();
    }

    // A second start finds nothing left to seal and changes nothing.
    const sealed = await rawRows();
    db = openDatabase({ url: tdb.url, newId, masterKeys: [kek] });
    try {
      await db.migrate();
      expect(await rawRows()).toEqual(sealed);
      expect((await db.directory.userById(legacyId))?.email).toBe('legacy.agent@example.cn');
    } finally {
      await db.close();
    }
  });
});
