// Data-subject rights end to end over HTTP on both backends: attachments (visitor and agent upload,
// streaming download, type and size checks, encrypted on disk, scoped to the visitor and the workspace),
// export, consent history, erasure (nothing of the customer left readable, audit chain intact) and the
// retention job (exactly what is older goes).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CustomerExport, WidgetAttachmentUploaded, WidgetSession } from '@zhike/contracts';
import { createIdGenerator, systemClock } from '@zhike/core';
import { type Backend, testBackends } from '@zhike/db';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from './auth/secrets.ts';
import { applyRetention } from './privacy/retention.ts';
import { createTestApp, type TestApp, type TestSession } from './testing.ts';

const MARKER = 'PLAINTEXT-MARKER-收据照片';
const png = (extra = MARKER) =>
  Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.from(extra.repeat(50)),
  ]);
const pdf = () => Buffer.from(`%PDF-1.4\n${MARKER}\n%%EOF\n`);

const VISITOR_NAME = '上官擦除';
const VISITOR_TEXT = '我的退款地址是删除街九号';
const OTHER_PHONE = '13977778888';
const OTHER_TEXT = '另一位顾客的消息';

describe.each(testBackends)('privacy over HTTP on %s', (backend: Backend) => {
  let t: TestApp;
  let owner: TestSession;
  let agent: TestSession;
  let workspaceId = '';
  let inboxToken = '';
  let visitor: WidgetSession;
  let upload: WidgetAttachmentUploaded;
  let customerId = '';
  const clock = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs) };
  const inject = (o: InjectOptions) => t.app.inject(o);

  const widgetUpload = (body: Buffer, session: WidgetSession, type = 'image/png', extra = '') =>
    inject({
      method: 'POST',
      url: `/api/v1/widget/attachments?inbox=${inboxToken}&visitorToken=${encodeURIComponent(session.visitorToken)}&name=${encodeURIComponent('收据.png')}${extra}`,
      headers: { 'content-type': type },
      payload: body,
    });
  const widgetDownload = (id: string, session: WidgetSession) =>
    inject({
      url: `/api/v1/widget/attachments/${id}?inbox=${inboxToken}&visitorToken=${encodeURIComponent(session.visitorToken)}`,
    });
  /** Where the local store (the default) keeps an attachment: the bytes at rest are checked there. */
  const pathOf = (ws: string, id: string) =>
    join(t.config.dataDir, ...t.app.zhike.attachments.keyOf(ws, id).split('/'));
  const newVisitor = async (name?: string) =>
    (
      await inject({ method: 'POST', url: '/api/v1/widget/sessions', payload: { inbox: inboxToken, name } })
    ).json() as WidgetSession;

  beforeAll(async () => {
    t = await createTestApp(backend, { clock, startWorker: false });
    owner = await t.login();
    workspaceId = await t.demoWorkspaceId();
    await t.app.zhike.db.directory.addUser({
      id: t.app.zhike.newId(),
      workspaceId,
      email: 'agent@privacy.test',
      name: 'agent',
      role: 'agent',
      createdAt: new Date().toISOString(),
      passwordHash: await hashPassword('agent-password'),
    });
    agent = await t.login('agent@privacy.test', 'agent-password');
    const inboxes = await t.app.zhike.db.forWorkspace(workspaceId).inboxes.list();
    inboxToken = inboxes.find((i) => i.channel === 'widget')!.widgetToken!;
    visitor = await newVisitor(VISITOR_NAME);
    const other = await t.app.zhike.commands.receiveCustomerMessage(workspaceId, {
      inboxId: inboxes.find((i) => i.channel === 'widget')!.id,
      identity: { kind: 'phone', value: OTHER_PHONE },
      profile: { name: '另一位', phone: OTHER_PHONE },
      text: OTHER_TEXT,
      idempotencyKey: 'other-1',
    });
    expect(other.duplicate).toBe(false);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('takes a visitor’s photo as a message, stored encrypted, and streams it back only to them', async () => {
    const res = await widgetUpload(png(), visitor, 'image/png', '&clientMessageId=photo-1');
    expect(res.statusCode, res.body).toBe(201);
    upload = res.json() as WidgetAttachmentUploaded;
    expect(upload.attachment).toMatchObject({
      name: '收据.png',
      mimeType: 'image/png',
      uploadedBy: 'customer',
    });
    expect(upload.message.attachments).toEqual([
      { id: upload.attachment.id, name: '收据.png', mimeType: 'image/png', size: png().length },
    ]);
    const customer = await t.app.zhike.db
      .forWorkspace(workspaceId)
      .customers.findByIdentity('visitor', visitor.visitorId);
    customerId = customer!.id;
    await t.app.zhike.commands.receiveCustomerMessage(workspaceId, {
      inboxId:
        upload.message.id &&
        (await t.app.zhike.db.forWorkspace(workspaceId).conversations.get(upload.conversationId))!.inboxId,
      identity: { kind: 'visitor', value: visitor.visitorId },
      text: VISITOR_TEXT,
      idempotencyKey: 'visitor-text-1',
    });

    // A retried upload (same clientMessageId) is the same message and the same file.
    const again = await widgetUpload(png(), visitor, 'image/png', '&clientMessageId=photo-1');
    expect(again.statusCode).toBe(201);
    expect((again.json() as WidgetAttachmentUploaded).attachment.id).toBe(upload.attachment.id);

    const onDisk = pathOf(workspaceId, upload.attachment.id);
    const stored = readFileSync(onDisk);
    expect(stored.subarray(0, 4).toString()).toBe('ZKF1');
    expect(stored.includes(Buffer.from(MARKER))).toBe(false);
    expect(readdirSync(dirname(onDisk))).toHaveLength(1);

    const mine = await widgetDownload(upload.attachment.id, visitor);
    expect(mine.statusCode).toBe(200);
    expect(mine.headers['content-type']).toBe('image/png');
    expect(mine.rawPayload.equals(png())).toBe(true);

    const stranger = await newVisitor();
    expect((await widgetDownload(upload.attachment.id, stranger)).statusCode).toBe(404);
    const forged = { ...visitor, visitorToken: `${visitor.visitorId}.forged` };
    expect((await widgetDownload(upload.attachment.id, forged)).statusCode).toBe(401);
    expect((await widgetDownload(t.app.zhike.newId(), visitor)).statusCode).toBe(404);

    const byAgent = await inject({
      url: `/api/v1/attachments/${upload.attachment.id}`,
      headers: { cookie: agent.cookie },
    });
    expect(byAgent.statusCode).toBe(200);
    expect(byAgent.rawPayload.equals(png())).toBe(true);
  });

  it('refuses files that are not images or PDF by their bytes, and files over the limit', async () => {
    const disguised = await widgetUpload(Buffer.from('<html><script>alert(1)</script></html>'), visitor);
    expect(disguised.statusCode).toBe(415);
    expect((await widgetUpload(png(), visitor, 'text/html')).statusCode).toBe(415);
    expect((await widgetUpload(Buffer.alloc(0), visitor)).statusCode).toBeGreaterThanOrEqual(400);
    const huge = Buffer.concat([png(), Buffer.alloc(10 * 1024 * 1024)]);
    const tooBig = await widgetUpload(huge, visitor);
    expect(tooBig.statusCode).toBe(413);
    expect(readdirSync(dirname(pathOf(workspaceId, upload.attachment.id)))).toHaveLength(1);
  });

  it('lets an agent send a PDF into the conversation; another workspace cannot fetch it', async () => {
    const res = await inject({
      method: 'POST',
      url: `/api/v1/conversations/${upload.conversationId}/attachments?name=invoice.pdf`,
      headers: { ...agent.headers, 'content-type': 'application/octet-stream' },
      payload: pdf(),
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json() as { attachment: { id: string; mimeType: string }; message: { author: string } };
    expect(body.attachment.mimeType).toBe('application/pdf');
    expect(body.message.author).toBe('agent');
    const download = await inject({
      url: `/api/v1/attachments/${body.attachment.id}`,
      headers: { cookie: owner.cookie },
    });
    expect(download.headers['content-disposition']).toMatch(/^attachment;/);
    expect(download.rawPayload.equals(pdf())).toBe(true);
    expect((await widgetDownload(body.attachment.id, visitor)).statusCode).toBe(200);

    // A second workspace's owner.
    const newId = createIdGenerator(systemClock);
    const other = { workspaceId: newId(), userId: newId(), inboxId: newId() };
    const now = new Date().toISOString();
    await t.app.zhike.db.directory.seedWorkspace({
      workspace: {
        id: other.workspaceId,
        slug: `other-${backend}`,
        name: 'Other',
        locale: 'en-US',
        createdAt: now,
      },
      owner: {
        id: other.userId,
        workspaceId: other.workspaceId,
        email: 'owner@other-privacy.test',
        name: 'Other owner',
        role: 'owner',
        createdAt: now,
        passwordHash: await hashPassword('other-password'),
      },
      inboxes: [],
      faqs: [],
    });
    const stranger = await t.login('owner@other-privacy.test', 'other-password');
    for (const url of [
      `/api/v1/attachments/${body.attachment.id}`,
      `/api/v1/customers/${customerId}/export`,
      `/api/v1/customers/${customerId}/consents`,
    ])
      expect((await inject({ url, headers: { cookie: stranger.cookie } })).statusCode, url).toBe(404);
    const erase = await inject({
      method: 'POST',
      url: `/api/v1/customers/${customerId}/erase`,
      headers: stranger.headers,
      payload: { confirm: 'ERASE' },
    });
    expect(erase.statusCode).toBe(404);
    const upload2 = await inject({
      method: 'POST',
      url: `/api/v1/conversations/${upload.conversationId}/attachments`,
      headers: { ...stranger.headers, 'content-type': 'image/png' },
      payload: png(),
    });
    expect(upload2.statusCode).toBe(404);
  });

  it('records consent with its history; agents may record it but not export or erase', async () => {
    const put = (session: TestSession, status: 'granted' | 'withdrawn', source?: string) =>
      inject({
        method: 'PUT',
        url: `/api/v1/customers/${customerId}/consents`,
        headers: session.headers,
        payload: { purpose: 'marketing_sms', status, ...(source ? { source } : {}) },
      });
    expect((await put(agent, 'granted')).statusCode).toBe(200);
    clock.offsetMs += 1000;
    const withdrawn = await put(owner, 'withdrawn', 'sms_reply');
    expect(withdrawn.json()).toMatchObject({
      current: { marketing_sms: 'withdrawn', marketing_email: null, marketing_wechat: null },
      history: [
        { purpose: 'marketing_sms', status: 'granted', source: 'console' },
        { purpose: 'marketing_sms', status: 'withdrawn', source: 'sms_reply' },
      ],
    });
    const bad = await inject({
      method: 'PUT',
      url: `/api/v1/customers/${customerId}/consents`,
      headers: owner.headers,
      payload: { purpose: 'marketing_fax', status: 'granted' },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      (await inject({ url: `/api/v1/customers/${customerId}/export`, headers: { cookie: agent.cookie } }))
        .statusCode,
    ).toBe(403);
    const erase = await inject({
      method: 'POST',
      url: `/api/v1/customers/${customerId}/erase`,
      headers: agent.headers,
      payload: { confirm: 'ERASE' },
    });
    expect(erase.statusCode).toBe(403);
  });

  it('exports everything about the customer and nothing about anyone else, audited without the data', async () => {
    const res = await inject({
      url: `/api/v1/customers/${customerId}/export`,
      headers: { cookie: owner.cookie },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain(`customer-${customerId}.json`);
    const exported = res.json() as CustomerExport;
    expect(exported.customer.name).toBe(VISITOR_NAME);
    const texts = exported.conversations.flatMap((c) => c.messages.map((m) => m.text));
    expect(texts).toContain(VISITOR_TEXT);
    expect(exported.attachments.map((a) => a.name).sort()).toEqual(['invoice.pdf', '收据.png']);
    expect(exported.consents).toHaveLength(2);
    expect(exported.audit.map((a) => a.action)).toEqual(expect.arrayContaining(['consent.changed']));
    expect(res.body).not.toContain(OTHER_TEXT);
    expect(res.body).not.toContain(OTHER_PHONE);
    const verdict = await t.app.zhike.db.audit.verify();
    expect(verdict.ok).toBe(true);
  });

  it('erases the customer: rows, keys and files gone, nothing readable left, others intact, audit verifies', async () => {
    const attachmentIds = (
      (
        await inject({ url: `/api/v1/customers/${customerId}/export`, headers: { cookie: owner.cookie } })
      ).json() as CustomerExport
    ).attachments.map((a) => a.id);
    expect(attachmentIds).toHaveLength(2);
    const wrongWord = await inject({
      method: 'POST',
      url: `/api/v1/customers/${customerId}/erase`,
      headers: owner.headers,
      payload: { confirm: 'yes' },
    });
    expect(wrongWord.statusCode).toBe(400);
    const res = await inject({
      method: 'POST',
      url: `/api/v1/customers/${customerId}/erase`,
      headers: owner.headers,
      payload: { confirm: '删除' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      customerId,
      keysDestroyed: 1,
      filesRemoved: 2,
      deleted: { customers: 1, attachments: 2, consents: 2 },
    });
    for (const id of attachmentIds) expect(existsSync(pathOf(workspaceId, id))).toBe(false);
    expect(
      (await inject({ url: `/api/v1/customers/${customerId}/export`, headers: { cookie: owner.cookie } }))
        .statusCode,
    ).toBe(404);
    expect((await widgetDownload(attachmentIds[0]!, visitor)).statusCode).toBe(404);

    const store = t.app.zhike.db.forWorkspace(workspaceId);
    expect(await store.customers.findByIdentity('visitor', visitor.visitorId)).toBeNull();
    const other = await store.customers.findByIdentity('phone', OTHER_PHONE);
    expect(other?.name).toBe('另一位');

    const verdict = await t.app.zhike.db.audit.verify();
    expect(verdict.ok).toBe(true);
    const exported = await inject({
      url: `/api/v1/customers/${other!.id}/export`,
      headers: { cookie: owner.cookie },
    });
    expect(exported.statusCode).toBe(200);
    expect(exported.body).toContain(OTHER_TEXT);

    // The audit log and the whole database: none of her data, sealed or not, in readable form.
    const dump =
      backend === 'sqlite'
        ? Buffer.concat(
            readdirSync(dirname(t.database.url))
              .filter((f) => f.startsWith(t.database.url.split('/').pop()!))
              .map((f) => readFileSync(join(dirname(t.database.url), f))),
          )
        : pgDump(t.database.url);
    expect(dump.length).toBeGreaterThan(1000);
    for (const v of [VISITOR_NAME, VISITOR_TEXT, '收据.png', MARKER])
      expect(dump.includes(Buffer.from(v)), v).toBe(false);

    // The same visitor writing again is a new customer.
    const again = await t.app.zhike.commands.receiveCustomerMessage(workspaceId, {
      inboxId: (await store.inboxes.list()).find((i) => i.channel === 'widget')!.id,
      identity: { kind: 'visitor', value: visitor.visitorId },
      text: '又是我',
      idempotencyKey: 'visitor-after-erasure',
    });
    expect(again.conversation.customerId).not.toBe(customerId);
  });

  it('a photo sent while the bot’s refund form asks for one is referenced by the ticket', async () => {
    const customer = await newVisitor();
    const inboxId = (await t.app.zhike.db.forWorkspace(workspaceId).inboxes.list()).find(
      (i) => i.channel === 'widget',
    )!.id;
    let n = 0;
    const say = async (text: string) => {
      await t.app.zhike.commands.receiveCustomerMessage(workspaceId, {
        inboxId,
        identity: { kind: 'visitor', value: customer.visitorId },
        text,
        idempotencyKey: `refund-${++n}`,
      });
      await t.app.zhike.worker.runDue();
    };
    const lastBotText = async (conversationId: string) => {
      const list = await t.app.zhike.db
        .forWorkspace(workspaceId)
        .messages.list(conversationId, { limit: 50 });
      return list.filter((m) => m.author === 'bot').at(-1)?.text ?? '';
    };
    await say('我要申请退款');
    await say('ZK20261125003');
    await say('收到的衣服有破洞');
    const uploaded = (await widgetUpload(png('refund'), customer)).json() as WidgetAttachmentUploaded;
    await t.app.zhike.worker.runDue();
    expect(await lastBotText(uploaded.conversationId)).toContain('ZK20261125003');
    await say('确认');
    const tickets = await t.app.zhike.db.forWorkspace(workspaceId).tickets.list({ limit: 20 });
    const ticket = tickets.find((x) => x.conversationId === uploaded.conversationId);
    expect(ticket?.fields).toMatchObject({ order_number: 'ZK20261125003', photos: uploaded.attachment.id });
  });

  it('retention: owner-only policy; the job deletes exactly the older messages and attachments', async () => {
    const policy = { transcriptsDays: 30, recordingsDays: null, attachmentsDays: 30 };
    const asAgent = await inject({
      method: 'PUT',
      url: '/api/v1/privacy/retention',
      headers: agent.headers,
      payload: policy,
    });
    expect(asAgent.statusCode).toBe(403);
    const tooShort = await inject({
      method: 'PUT',
      url: '/api/v1/privacy/retention',
      headers: owner.headers,
      payload: { ...policy, transcriptsDays: 1 },
    });
    expect(tooShort.statusCode).toBe(400);

    // Forty days ago: a visitor's text and photo. Today: another text and photo.
    clock.offsetMs = -40 * 86_400_000;
    const old = await newVisitor('旧访客');
    const oldPhoto = (await widgetUpload(png('old'), old)).json() as WidgetAttachmentUploaded;
    clock.offsetMs = 0;
    const fresh = (
      await widgetUpload(png('new'), old, 'image/png', '&clientMessageId=new')
    ).json() as WidgetAttachmentUploaded;
    expect(fresh.conversationId).toBe(oldPhoto.conversationId);

    const put = await inject({
      method: 'PUT',
      url: '/api/v1/privacy/retention',
      headers: owner.headers,
      payload: policy,
    });
    expect(put.statusCode).toBe(200);
    expect(
      (await inject({ url: '/api/v1/privacy/retention', headers: { cookie: owner.cookie } })).json(),
    ).toMatchObject(policy);

    const store = t.app.zhike.db.forWorkspace(workspaceId);
    const before = await store.messages.list(oldPhoto.conversationId, { limit: 50 });
    const cutoff = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const expected = before.filter((m) => m.createdAt < cutoff).length;
    expect(expected).toBeGreaterThan(0);
    const run = await applyRetention(t.app.zhike, t.app.zhike.attachments);
    expect(run).toMatchObject({ attachments: 1 });
    expect(run.messages).toBeGreaterThanOrEqual(expected);
    const after = await store.messages.list(oldPhoto.conversationId, { limit: 50 });
    expect(after.map((m) => m.id)).toEqual(before.filter((m) => m.createdAt >= cutoff).map((m) => m.id));
    expect(await store.privacy.purgedAt(oldPhoto.conversationId)).not.toBeNull();
    expect(await store.conversations.get(oldPhoto.conversationId)).not.toBeNull();
    expect(existsSync(pathOf(workspaceId, oldPhoto.attachment.id))).toBe(false);
    expect(existsSync(pathOf(workspaceId, fresh.attachment.id))).toBe(true);
    expect((await widgetDownload(fresh.attachment.id, old)).statusCode).toBe(200);
    expect(await applyRetention(t.app.zhike, t.app.zhike.attachments)).toMatchObject({
      messages: 0,
      attachments: 0,
    });
    const verdict = await t.app.zhike.db.audit.verify();
    expect(verdict.ok).toBe(true);
  });
});

function pgDump(url: string): Buffer {
  const u = new URL(url);
  const schema = /search_path=(\S+)/.exec(u.searchParams.get('options') ?? '')?.[1];
  if (!schema) throw new Error('no test schema in the URL');
  u.searchParams.delete('options');
  return execFileSync('pg_dump', ['--schema', schema, u.toString()], { maxBuffer: 64 * 1024 * 1024 });
}
