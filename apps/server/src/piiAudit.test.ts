// Masked personal data in every response that carries it, the audited reveal, and the audit log for
// owners (list, CSV / JSON-lines export with the chain summary, verify), on both backends. Also: agents'
// emails and webhook secrets are sealed in the database.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type Backend, testBackends } from '@zhike/db';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from './auth/secrets.ts';
import { createTestApp, TEST_ADMIN, type TestApp, type TestSession } from './testing.ts';

const PERSON = { name: '欧阳晓明', phone: '13912345678', email: 'xiaoming.ouyang@example.cn' };

describe.each(testBackends)('masking, reveal and the audit log on %s', (backend: Backend) => {
  let t: TestApp;
  let owner: TestSession;
  let admin: TestSession;
  let agent: TestSession;
  let customerId: string;
  let conversationId: string;

  async function person(role: 'admin' | 'agent', email: string) {
    await t.app.zhike.db.directory.addUser({
      id: t.app.zhike.newId(),
      workspaceId: await t.demoWorkspaceId(),
      email,
      name: role === 'admin' ? '管理员' : '客服小王',
      role,
      createdAt: new Date().toISOString(),
      passwordHash: await hashPassword('a-long-password'),
    });
    return t.login(email, 'a-long-password');
  }

  beforeAll(async () => {
    t = await createTestApp(backend);
    owner = await t.login();
    admin = await person('admin', 'Admin.Person@Test.Zhike.Local');
    agent = await person('agent', 'agent.person@test.zhike.local');
    const key = await t.apiKey();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inbound',
      headers: { authorization: `Bearer ${key}` },
      payload: {
        customer: { externalId: 'crm-42', ...PERSON },
        text: '我的订单还没到',
        messageId: 'm-1',
      },
    });
    expect(res.statusCode).toBe(200);
    conversationId = res.json().conversationId;
    const conversation = await t.app.zhike.db
      .forWorkspace(await t.demoWorkspaceId())
      .conversations.get(conversationId);
    customerId = conversation!.customerId;
  });
  afterAll(async () => t?.close());

  const get = (s: TestSession, url: string) => t.app.inject({ url, headers: { cookie: s.cookie } });
  const reveal = (s: TestSession, fields: string[]) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/customers/${customerId}/reveal`,
      headers: s.headers,
      payload: { fields },
    });
  const noClearValues = (body: string) => {
    for (const value of Object.values(PERSON)) expect(body).not.toContain(value);
  };

  it('masks customer data for everyone in the customer panel, conversation lists and order phones', async () => {
    for (const s of [agent, admin, owner]) {
      const customer = await get(s, `/api/v1/customers/${customerId}`);
      expect(customer.statusCode).toBe(200);
      expect(customer.json()).toMatchObject({
        name: '欧***',
        phone: '139****5678',
        email: 'x**************@example.cn',
      });
      noClearValues(customer.body);
      const list = await get(s, '/api/v1/conversations');
      expect(list.statusCode).toBe(200);
      expect(list.json().conversations[0].customer.name).toBe('欧***');
      noClearValues(list.body);
      const one = await get(s, `/api/v1/conversations/${conversationId}`);
      noClearValues(one.body);
      const orders = await get(s, '/api/v1/orders');
      expect(orders.statusCode).toBe(200);
      for (const order of orders.json().orders as { phone: string | null }[])
        expect(order.phone === null || /^\d{3}\*{4}\d{4}$/.test(order.phone)).toBe(true);
      expect(orders.body).not.toContain('13800138000');
    }
  });

  it('refuses reveal to an agent; reveals to an admin what was asked, and audits who, whom and which fields', async () => {
    const refused = await reveal(agent, ['phone']);
    expect(refused.statusCode).toBe(403);
    expect(agent.info.permissions).not.toContain('customers.reveal');

    const res = await reveal(admin, ['phone', 'email']);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: customerId, phone: PERSON.phone, email: PERSON.email });
    expect((await reveal(admin, ['name', 'identities'])).json()).toMatchObject({
      name: PERSON.name,
      identities: expect.arrayContaining([{ channel: 'external', value: 'crm-42' }]),
    });
    expect((await reveal(admin, ['password'])).statusCode).toBe(400);
    expect((await reveal(admin, [])).statusCode).toBe(400);

    const entries = (
      await t.app.zhike.db.forWorkspace(await t.demoWorkspaceId()).auditTrail.list({
        action: 'pii.revealed',
        limit: 10,
      })
    ).reverse();
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({
      actor: { type: 'user', id: admin.info.user.id },
      target: { type: 'customer', id: customerId },
      details: { fields: 'email,phone' },
    });
    noClearValues(JSON.stringify(entries));
  });

  it('shows and exports the audit log to owners only, with the chain verified, and audits the export', async () => {
    for (const s of [agent, admin]) {
      expect((await get(s, '/api/v1/audit')).statusCode).toBe(403);
      expect((await get(s, '/api/v1/audit/export')).statusCode).toBe(403);
      const verify = await t.app.inject({ method: 'POST', url: '/api/v1/audit/verify', headers: s.headers });
      expect(verify.statusCode).toBe(403);
    }

    const page = await get(owner, '/api/v1/audit?limit=2');
    expect(page.statusCode).toBe(200);
    const first = page.json() as { entries: { seq: number }[]; nextCursor: string };
    expect(first.entries).toHaveLength(2);
    expect(first.entries[0]!.seq).toBeGreaterThan(first.entries[1]!.seq);
    const next = (await get(owner, `/api/v1/audit?limit=2&cursor=${first.nextCursor}`)).json();
    expect(next.entries[0].seq).toBeLessThan(first.entries[1]!.seq);

    const filtered = await get(owner, `/api/v1/audit?action=pii.revealed&actor=${admin.info.user.id}`);
    expect((filtered.json().entries as { action: string }[]).map((e) => e.action)).toEqual([
      'pii.revealed',
      'pii.revealed',
    ]);
    const future = new Date(Date.now() + 86_400_000).toISOString();
    expect((await get(owner, `/api/v1/audit?from=${future}`)).json().entries).toEqual([]);
    expect((await get(owner, '/api/v1/audit?action=DROP TABLE')).statusCode).toBe(400);
    expect((await get(owner, '/api/v1/audit?cursor=abc')).statusCode).toBe(400);

    const verify = await t.app.inject({
      method: 'POST',
      url: '/api/v1/audit/verify',
      headers: owner.headers,
    });
    expect(verify.json()).toMatchObject({ ok: true, reason: null });

    const csv = await get(owner, '/api/v1/audit/export?action=pii.revealed');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toMatch(/^# Zhike audit export .*chain intact: \d+ entries, head [0-9a-f]{64}$/);
    expect(lines[1]).toBe('seq,id,at,actor_type,actor_id,action,target_type,target_id,details,hash');
    expect(lines.slice(2)).toHaveLength(2);
    expect(lines[2]).toContain(`,pii.revealed,customer,${customerId},`);

    const jsonl = await get(owner, '/api/v1/audit/export?format=jsonl');
    const rows = jsonl.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; action?: string; ok?: boolean });
    expect(rows[0]).toMatchObject({ type: 'verification', ok: true });
    expect(rows.slice(1).every((r) => r.type === 'entry')).toBe(true);
    // Newest first: the first CSV export is already in the log by the time of the second.
    expect(rows[1]).toMatchObject({ action: 'audit.exported' });
    noClearValues(jsonl.body);
    const exports = (await get(owner, '/api/v1/audit?action=audit.exported')).json().entries;
    expect(exports).toHaveLength(2);
    expect(exports[0]).toMatchObject({ actor: { id: owner.info.user.id }, details: { format: 'jsonl' } });
  });

  it('keeps agents’ emails and webhook secrets sealed in the database, and still signs them in', async () => {
    const workspaceId = await t.demoWorkspaceId();
    const inboxes = await t.app.zhike.db.forWorkspace(workspaceId).inboxes.list();
    const secret = inboxes.find((i) => i.channel === 'api')!.webhookSecret!;
    expect(secret).toMatch(/^whsec_/);
    const clear = [
      TEST_ADMIN.email,
      'admin.person@test.zhike.local',
      'agent.person@test.zhike.local',
      secret,
    ];
    if (backend === 'sqlite') {
      const dir = dirname(t.database.url);
      // WAL and journal files too: a value must not sit in plaintext anywhere on disk.
      const bytes = readdirSync(dir)
        .map((f) => readFileSync(join(dir, f)).toString('latin1'))
        .join('\n');
      for (const value of clear) expect(bytes).not.toContain(value);
      const db = new BetterSqlite3(t.database.url, { readonly: true });
      try {
        const rows = db.prepare('select email, email_index from users').all() as {
          email: string;
          email_index: string;
        }[];
        expect(rows.length).toBeGreaterThanOrEqual(3);
        for (const row of rows) {
          expect(row.email.startsWith('zk1:')).toBe(true);
          expect(row.email_index.startsWith('zb1:')).toBe(true);
        }
      } finally {
        db.close();
      }
    } else {
      const url = new URL(t.database.url);
      const schema = /search_path=(\S+)/.exec(url.searchParams.get('options') ?? '')![1]!;
      url.searchParams.delete('options');
      const dump = execFileSync('pg_dump', ['--data-only', '--schema', schema, url.toString()], {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      expect(dump).toContain('zk1:');
      expect(dump).toContain('zb1:');
      for (const value of clear) expect(dump).not.toContain(value);
    }
    // Sign-in looks the address up by its blind index, whatever its case.
    expect((await t.login('ADMIN.person@test.zhike.local', 'a-long-password')).info.user.email).toBe(
      'admin.person@test.zhike.local',
    );
  });
});
