// The email channel end to end over real SMTP on loopback: a customer's mail (multipart, with a photo)
// reaches our listener and becomes a conversation; the bot's reply leaves through a local relay in the
// customer's thread; the customer's answer to it continues the same conversation. Re-delivery, unknown
// addresses, hostile HTML, oversized mail, relay failures and bounces on SQLite and PostgreSQL.
import type { AddressInfo } from 'node:net';
import { parseEmail } from '@zhike/channels';
import { type Backend, testBackends } from '@zhike/db';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PNG } from '../../../tests/support/tenancy/requests.ts';
import { diffRows, workspaceRows } from '../../../tests/support/tenancy/snapshot.ts';
import { createTestApp, eventually, type TestApp } from './testing.ts';
import { createWorkspace } from './workspaces.ts';

const RELAY_LOGIN = { user: 'support@shop.example', pass: 'relay-password' };
const FORWARDER = { user: 'mailhost', pass: 'forwarding-secret-123' };

/** The shop's SMTP relay: keeps what it is given; can be told to refuse the next mails with a 4xx. */
async function startRelay() {
  const state = { mails: [] as Buffer[], refuseNext: 0 };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _s, cb) {
      if (auth.username === RELAY_LOGIN.user && auth.password === RELAY_LOGIN.pass)
        cb(null, { user: 'shop' });
      else cb(Object.assign(new Error('Bad login'), { responseCode: 535 }));
    },
    onRcptTo(_a, _s, cb) {
      if (state.refuseNext > 0) {
        state.refuseNext--;
        return cb(Object.assign(new Error('Greylisted, try later'), { responseCode: 451 }));
      }
      cb();
    },
    onData(stream, _s, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        state.mails.push(Buffer.concat(chunks));
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.each(testBackends)('email channel on %s', (backend: Backend) => {
  let t: TestApp;
  let relay: Awaited<ReturnType<typeof startRelay>>;
  let workspaceId: string;
  let inboxId: string;
  let smtpPort: number;

  /** The shop's mail host forwarding (logged in), or, with `null`, anyone on the internet. */
  const customer = (auth: typeof FORWARDER | null = FORWARDER) =>
    nodemailer.createTransport({
      host: '127.0.0.1',
      port: smtpPort,
      secure: false,
      ignoreTLS: true,
      ...(auth ? { auth } : {}),
    });
  const store = () => t.app.zhike.db.forWorkspace(workspaceId);
  const stored = (messageId: string) => store().messages.findByIdempotencyKey(inboxId, `email:${messageId}`);
  const drain = async () => {
    for (let i = 0; i < 50; i++) if ((await t.app.zhike.worker.runDue()) === 0) return;
  };
  const rows = () => workspaceRows(backend, t.database.url, workspaceId);

  beforeAll(async () => {
    relay = await startRelay();
    t = await createTestApp(backend, {
      startWorker: false,
      env: {
        ZHIKE_CHANNEL_ALLOW_HOSTS: 'localhost',
        ZHIKE_SMTP_PORT: '0',
        ZHIKE_SMTP_HOST: '127.0.0.1',
        ZHIKE_SMTP_MAX_BYTES: '100kb',
        ZHIKE_SMTP_AUTH_USER: FORWARDER.user,
        ZHIKE_SMTP_AUTH_PASSWORD: FORWARDER.pass,
      },
    });
    smtpPort = t.app.zhike.smtp!.port;
    workspaceId = await t.demoWorkspaceId();
    const owner = await t.login();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inboxes',
      headers: owner.headers,
      payload: {
        name: '邮件客服',
        adapter: 'email',
        config: {
          address: 'support@shop.example',
          displayName: '演示小店客服',
          smtpHost: 'localhost',
          smtpPort: relay.port,
          smtpSecure: false,
          smtpAllowPlaintext: true,
          smtpUser: RELAY_LOGIN.user,
          smtpPassword: RELAY_LOGIN.pass,
        },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    inboxId = (res.json() as { id: string }).id;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await relay?.close();
  });

  it('takes a multipart mail with a photo into a conversation, answers in its thread, and continues it', async () => {
    await customer().sendMail({
      from: '"李雷" <Li.Lei@customer.example>',
      to: 'support@shop.example',
      subject: '订单 1234 还没到',
      messageId: '<first@customer.example>',
      text: '你们发什么快递？',
      html: '<p>你们发什么快递？</p>',
      attachments: [{ filename: '包裹.png', content: PNG, contentType: 'image/png' }],
    });
    const first = await stored('first@customer.example');
    expect(first?.text).toBe('订单 1234 还没到\n\n你们发什么快递？');
    expect(first?.attachments).toHaveLength(1);
    expect(first?.attachments[0]).toMatchObject({ name: '包裹.png', mimeType: 'image/png' });
    const conversation = await store().conversations.get(first!.conversationId);
    expect(conversation?.channel).toBe('email');
    const person = await store().customers.get(conversation!.customerId);
    expect(person?.name).toBe('李雷');
    expect(person?.identities).toContainEqual(
      expect.objectContaining({ kind: 'email', value: 'li.lei@customer.example', verified: true }),
    );

    await drain();
    const reply = await eventually(() => relay.state.mails[0]);
    // The bot's answer says it is automatic, so another help desk taking it in would not answer it.
    const elsewhere = { inboxAddress: 'someone@else.example', authenticatedRelay: false };
    expect(await parseEmail(reply, elsewhere)).toMatchObject({ kind: 'ignored', reason: 'auto_submitted' });
    const asRead = Buffer.from(reply.toString().replace(/^Auto-Submitted: auto-replied\r\n/im, ''));
    const sent = await parseEmail(asRead, elsewhere);
    if (sent.kind !== 'message') throw new Error(sent.kind);
    expect(sent.event.identity.value).toBe('support@shop.example');
    expect(sent.event.meta?.subject).toBe('Re: 订单 1234 还没到');
    expect(sent.event.threadRefs).toEqual(['first@customer.example']);
    expect(reply.toString()).toMatch(/^To: li\.lei@customer\.example/im);
    expect(sent.event.text.length).toBeGreaterThan(0);

    // The customer answers our reply, with a subject of their own: same conversation.
    await customer().sendMail({
      from: 'li.lei@customer.example',
      to: 'support@shop.example',
      subject: '还有一个问题',
      messageId: '<second@customer.example>',
      inReplyTo: `<${sent.event.providerMessageId}>`,
      references: ['<first@customer.example>', `<${sent.event.providerMessageId}>`],
      text: '能退货吗？\n\n在 2025年6月3日，演示小店客服 写道：\n> 我们发顺丰',
    });
    const second = await stored('second@customer.example');
    expect(second?.conversationId).toBe(first?.conversationId);
    expect(second?.text).toBe('能退货吗？');
  });

  it('keeps an address with the inbox that claimed it first, whatever another workspace configures', async () => {
    const created = await createWorkspace(t.app.zhike, {
      name: '另一家店',
      slug: `other-${backend}`,
      ownerEmail: `owner-${backend}@other.example`,
      ownerPassword: 'another long password',
    });
    if (!created.ok) throw new Error(created.message);
    const other = created.workspace.id;
    const otherOwner = await t.login(`owner-${backend}@other.example`, 'another long password');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inboxes',
      headers: otherOwner.headers,
      payload: {
        name: '冒名',
        adapter: 'email',
        config: {
          address: 'Support@shop.example',
          smtpHost: 'localhost',
          smtpPort: relay.port,
          smtpSecure: false,
        },
      },
    });
    // Whether or not the route refuses the address outright, the mail must not reach the newcomer.
    const before = await workspaceRows(backend, t.database.url, other);
    await customer().sendMail({
      from: 'li.lei@customer.example',
      to: 'support@shop.example',
      subject: 'mine',
      messageId: '<claimed@customer.example>',
      text: 'for the first shop',
    });
    expect(await stored('claimed@customer.example')).toBeTruthy();
    expect(diffRows(before, await workspaceRows(backend, t.database.url, other))).toEqual([]);
    expect([201, 400, 409]).toContain(res.statusCode);
  });

  it('stores a mail delivered twice once', async () => {
    const raw = [
      'From: twice@customer.example',
      'To: support@shop.example',
      'Subject: hello',
      'Message-ID: <twice@customer.example>',
      '',
      'Is anyone there?',
      '',
    ].join('\r\n');
    const send = () =>
      customer().sendMail({ envelope: { from: 'twice@customer.example', to: 'support@shop.example' }, raw });
    await send();
    await send();
    const message = await stored('twice@customer.example');
    expect(message).toBeTruthy();
    const all = await store().messages.list(message!.conversationId, { limit: 50 });
    expect(all.filter((m) => m.author === 'customer')).toHaveLength(1);
  });

  it('refuses unknown addresses (550) and oversized mail (552), storing nothing', async () => {
    const before = await rows();
    const unknown = await customer()
      .sendMail({ from: 'li@customer.example', to: 'sales@shop.example', subject: 'x', text: 'y' })
      .catch((e: { responseCode?: number }) => e.responseCode);
    expect(unknown).toBe(550);
    const big = await customer()
      .sendMail({
        from: 'li@customer.example',
        to: 'support@shop.example',
        subject: 'x',
        text: 'y',
        attachments: [
          { filename: 'big.pdf', content: Buffer.alloc(200_000, 7), contentType: 'application/pdf' },
        ],
      })
      .catch((e: { responseCode?: number }) => e.responseCode);
    expect(big).toBe(552);
    expect(diffRows(before, await rows())).toEqual([]);
  });

  it('keeps the text of hostile HTML and none of its code; an unauthenticated sender is unverified', async () => {
    await customer(null).sendMail({
      from: 'mallory@customer.example',
      to: 'support@shop.example',
      subject: 'Hi',
      messageId: '<html@customer.example>',
      html: '<p onclick="x()">Please <img src=x onerror="alert(1)">help<script>alert(2)</script> <a href="javascript:alert(3)">me</a></p>',
    });
    const message = await stored('html@customer.example');
    expect(message?.text).toBe('Hi\n\nPlease help me');
    const conversation = await store().conversations.get(message!.conversationId);
    const person = await store().customers.get(conversation!.customerId);
    expect(person?.identities).toContainEqual(
      expect.objectContaining({ kind: 'email', value: 'mallory@customer.example', verified: false }),
    );
  });

  it('retries a reply the relay refuses for now, then sends it once', async () => {
    await drain();
    const before = relay.state.mails.length;
    relay.state.refuseNext = 1;
    await customer().sendMail({
      from: 'retry@customer.example',
      to: 'support@shop.example',
      subject: '退货',
      messageId: '<retry@customer.example>',
      text: '怎么退货？',
    });
    await drain();
    expect(relay.state.mails.length).toBe(before);
    const message = await stored('retry@customer.example');
    const bot = (await store().messages.list(message!.conversationId, { limit: 50 })).find(
      (m) => m.author === 'bot',
    );
    expect(bot).toBeTruthy();
    const deliveries = await store().channels.deliveries.forMessages([bot!.id]);
    expect(deliveries.get(bot!.id)?.[0]).toMatchObject({ status: 'queued' });
    // The worker's backoff: run it again later.
    const deliveryOf = async () =>
      (await store().channels.deliveries.forMessages([bot!.id])).get(bot!.id)?.[0];
    const sent = await eventually(async () => {
      await t.app.zhike.worker.runDue();
      const d = await deliveryOf();
      return d?.status === 'sent' ? d : undefined;
    }, 20_000);
    expect(sent.attempts).toBe(2);
    // Exactly one mail left with this reply's Message-ID.
    const copies = relay.state.mails.filter((m) => m.toString().includes(`<${sent.providerMessageId}>`));
    expect(copies).toHaveLength(1);

    // The customer's server later returns it: the reply is marked failed, with its reason.
    const bounce = [
      'From: MAILER-DAEMON@mx.customer.example',
      'To: support@shop.example',
      'Subject: Undelivered Mail Returned to Sender',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
      '',
      '--b',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.customer.example',
      '',
      'Final-Recipient: rfc822; retry@customer.example',
      'Action: failed',
      'Status: 5.2.2',
      'Diagnostic-Code: smtp; 552 5.2.2 mailbox full',
      '--b',
      'Content-Type: text/rfc822-headers',
      '',
      `Message-ID: <${sent.providerMessageId}>`,
      '--b--',
      '',
    ].join('\r\n');
    await customer(null).sendMail({ envelope: { from: '', to: 'support@shop.example' }, raw: bounce });
    expect((await store().channels.deliveries.forMessages([bot!.id])).get(bot!.id)?.[0]).toMatchObject({
      status: 'failed',
      error: 'smtp; 552 5.2.2 mailbox full',
    });
  });
});
