// Email → ticket over real SMTP on loopback, on SQLite and PostgreSQL: in an email inbox with
// `createTickets`, a new thread opens a ticket (source email, the inbox's category and priority) linked to
// its conversation; the customer's next mail in the thread lands on that ticket's timeline; once solved, a
// mail within the reopen window reopens it; once closed, the next mail opens a new ticket. An inbox
// without the setting files nothing.
import type { AddressInfo } from 'node:net';
import { type Backend, testBackends } from '@zhike/db';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, eventually, type TestApp, type TestSession } from './testing.ts';

const FORWARDER = { user: 'mailhost', pass: 'forwarding-secret-123' };

/** The shop's relay for our replies: accepts and forgets (the worker does not run here anyway). */
async function startRelay() {
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _s, cb) {
      stream.on('data', () => undefined);
      stream.on('end', () => cb());
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type TicketRow = { id: string; status: string; source: string; category: string | null; priority: string };

describe.each(testBackends)('email tickets on %s', { timeout: 120_000 }, (backend: Backend) => {
  let t: TestApp;
  let owner: TestSession;
  let relay: Awaited<ReturnType<typeof startRelay>>;
  let smtpPort: number;

  const mail = (message: SendMailOptions) =>
    nodemailer
      .createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true, auth: FORWARDER })
      .sendMail(message);
  const inject = (opts: { method?: 'GET' | 'POST'; url: string; payload?: unknown }) =>
    t.app.inject({
      method: opts.method ?? 'GET',
      url: opts.url,
      headers: owner.headers,
      ...(opts.payload === undefined ? {} : { payload: opts.payload as object }),
    });
  const addInbox = async (address: string, extra: Record<string, unknown>) => {
    const res = await inject({
      method: 'POST',
      url: '/api/v1/inboxes',
      payload: {
        name: address,
        adapter: 'email',
        config: { address, smtpHost: 'localhost', smtpPort: relay.port, smtpSecure: false, ...extra },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
  };
  /** The conversation a mail became (by its Message-ID). */
  const conversationOf = async (messageId: string) => {
    const store = t.app.zhike.db.forWorkspace(await t.demoWorkspaceId());
    const inboxes = await store.inboxes.list();
    return eventually(async () => {
      for (const inbox of inboxes) {
        const m = await store.messages.findByIdempotencyKey(inbox.id, `email:${messageId}`);
        if (m) return m.conversationId;
      }
      return undefined;
    }, 20_000);
  };
  const ticketsOf = async (conversationId: string) =>
    (await inject({ url: `/api/v1/tickets?conversationId=${conversationId}` })).json().tickets as TicketRow[];

  beforeAll(async () => {
    relay = await startRelay();
    t = await createTestApp(backend, {
      startWorker: false,
      env: {
        ZHIKE_CHANNEL_ALLOW_HOSTS: 'localhost',
        ZHIKE_SMTP_PORT: '0',
        ZHIKE_SMTP_HOST: '127.0.0.1',
        ZHIKE_SMTP_AUTH_USER: FORWARDER.user,
        ZHIKE_SMTP_AUTH_PASSWORD: FORWARDER.pass,
      },
    });
    smtpPort = t.app.zhike.smtp!.port;
    owner = await t.login();
    await addInbox('service@shop.example', {
      createTickets: true,
      ticketCategory: '售后',
      ticketPriority: 'high',
      smtpAllowPlaintext: true,
    });
    await addInbox('hello@shop.example', { smtpAllowPlaintext: true });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await relay?.close();
  });

  it('opens a ticket per new thread, adds the replies to it, reopens it, and opens anew once closed', async () => {
    await mail({
      from: '"韩梅梅" <han.meimei@customer.example>',
      to: 'service@shop.example',
      subject: '洗衣机漏水',
      messageId: '<leak-1@customer.example>',
      text: '买了三个月的洗衣机，底部一直漏水。',
    });
    const conversationId = await conversationOf('leak-1@customer.example');
    const [ticket] = await eventually(async () => {
      const list = await ticketsOf(conversationId);
      return list.length > 0 ? list : undefined;
    }, 20_000);
    expect(ticket).toMatchObject({ source: 'email', category: '售后', priority: 'high', status: 'new' });
    const detail = (await inject({ url: `/api/v1/tickets/${ticket?.id}` })).json();
    expect(detail.ticket).toMatchObject({
      subject: '洗衣机漏水',
      description: '洗衣机漏水\n\n买了三个月的洗衣机，底部一直漏水。',
      conversationId,
    });
    expect(detail.entries.map((e: { kind: string }) => e.kind)).toEqual(['created']);

    // The customer writes again in the thread: a reply on the ticket, not a second ticket.
    await mail({
      from: 'han.meimei@customer.example',
      to: 'service@shop.example',
      subject: 'Re: 洗衣机漏水',
      messageId: '<leak-2@customer.example>',
      inReplyTo: '<leak-1@customer.example>',
      references: ['<leak-1@customer.example>'],
      text: '补充：型号是 XQG100。',
    });
    expect(await conversationOf('leak-2@customer.example')).toBe(conversationId);
    const replied = await eventually(async () => {
      const now = (await inject({ url: `/api/v1/tickets/${ticket?.id}` })).json();
      return now.entries.some((e: { kind: string }) => e.kind === 'reply') ? now : undefined;
    }, 20_000);
    expect(replied.entries.at(-1)).toMatchObject({
      kind: 'reply',
      authorType: 'customer',
      body: '补充：型号是 XQG100。',
    });
    expect(await ticketsOf(conversationId)).toHaveLength(1);

    // Solved, then the customer writes within the reopen window: open again, still one ticket.
    await inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticket?.id}/status`,
      payload: { status: 'solved' },
    });
    await mail({
      from: 'han.meimei@customer.example',
      to: 'service@shop.example',
      subject: 'Re: 洗衣机漏水',
      messageId: '<leak-3@customer.example>',
      inReplyTo: '<leak-2@customer.example>',
      references: ['<leak-1@customer.example>', '<leak-2@customer.example>'],
      text: '又漏了。',
    });
    await eventually(async () => {
      const list = await ticketsOf(conversationId);
      return list[0]?.status === 'open' ? list : undefined;
    }, 20_000);
    expect(await ticketsOf(conversationId)).toHaveLength(1);

    // Closed is final: the next mail in the thread opens a new ticket.
    await inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticket?.id}/status`,
      payload: { status: 'closed' },
    });
    await mail({
      from: 'han.meimei@customer.example',
      to: 'service@shop.example',
      subject: 'Re: 洗衣机漏水',
      messageId: '<leak-4@customer.example>',
      inReplyTo: '<leak-3@customer.example>',
      references: ['<leak-1@customer.example>', '<leak-3@customer.example>'],
      text: '这次是门封条破了。',
    });
    const both = await eventually(async () => {
      const list = await ticketsOf(conversationId);
      return list.length === 2 ? list : undefined;
    }, 20_000);
    expect(both.map((x) => x.status).sort()).toEqual(['closed', 'new']);
    const fresh = both.find((x) => x.status === 'new');
    expect((await inject({ url: `/api/v1/tickets/${fresh?.id}` })).json().ticket.subject).toBe(
      '这次是门封条破了。',
    );
  });

  it('files nothing from an inbox without the setting', async () => {
    await mail({
      from: 'li.lei@customer.example',
      to: 'hello@shop.example',
      subject: '营业时间？',
      messageId: '<hours@customer.example>',
      text: '周末营业吗？',
    });
    const conversationId = await conversationOf('hours@customer.example');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await ticketsOf(conversationId)).toEqual([]);
  });

  it('refuses a bad ticket setting on the inbox', async () => {
    const res = await inject({
      method: 'POST',
      url: '/api/v1/inboxes',
      payload: {
        name: 'bad',
        adapter: 'email',
        config: {
          address: 'bad@shop.example',
          smtpHost: 'localhost',
          smtpPort: relay.port,
          createTickets: 'yes',
          ticketPriority: 'asap',
        },
      },
    });
    expect(res.statusCode).toBe(400);
  });
});
