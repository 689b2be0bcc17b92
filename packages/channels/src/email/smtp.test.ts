// Real SMTP on loopback: nodemailer talks to our listener, and the adapter talks to a local smtp-server
// standing in for the shop's relay.
import { createVerify, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { type AdapterContext, InboundParseError, PermanentSendFailure } from '../adapter.ts';
import type { EmailInboxConfig } from './config.ts';
import { emailAdapter } from './emailAdapter.ts';
import { parseEmail } from './parse.ts';
import { relayGuard } from './relayGuard.ts';
import { type ReceivedMail, type SmtpListener, startSmtpListener } from './smtpListener.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function listener(
  options: {
    maxMessageBytes?: number;
    auth?: { user: string; password: string };
    deliver?: (m: ReceivedMail) => Promise<void>;
  } = {},
) {
  const received: ReceivedMail[] = [];
  const smtp: SmtpListener = await startSmtpListener({
    host: '127.0.0.1',
    port: 0,
    maxMessageBytes: options.maxMessageBytes ?? 1024 * 1024,
    auth: options.auth ?? null,
    hasMailbox: async (address) => address === 'support@shop.example',
    deliver:
      options.deliver ??
      (async (mail) => {
        received.push(mail);
      }),
  });
  cleanups.push(() => smtp.close());
  return { smtp, received };
}

const client = (port: number, auth?: { user: string; pass: string }) =>
  nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, auth });

describe('SMTP listener', () => {
  it('accepts a multipart mail with an attachment for an inbox address', async () => {
    const { smtp, received } = await listener();
    const info = await client(smtp.port).sendMail({
      from: '"Li Lei" <li@customer.example>',
      to: 'Support@Shop.example',
      subject: 'Broken lamp',
      text: 'It arrived broken, photo attached.',
      html: '<p>It arrived <b>broken</b>, photo attached.</p>',
      attachments: [{ filename: 'lamp.png', content: PNG, contentType: 'image/png' }],
    });
    expect(info.accepted).toHaveLength(1);
    expect(received).toHaveLength(1);
    expect(received[0]!.recipients).toEqual(['support@shop.example']);
    expect(received[0]!.authenticatedRelay).toBe(false);
    const parsed = await parseEmail(received[0]!.raw, {
      inboxAddress: 'support@shop.example',
      authenticatedRelay: false,
    });
    if (parsed.kind !== 'message') throw new Error(parsed.kind);
    expect(parsed.event.text).toBe('Broken lamp\n\nIt arrived broken, photo attached.');
    expect(parsed.event.attachments?.[0]?.content.equals(PNG)).toBe(true);
  });

  it('refuses unknown addresses with 550 at RCPT and takes nothing', async () => {
    const { smtp, received } = await listener();
    const error = await client(smtp.port)
      .sendMail({ from: 'li@customer.example', to: 'someone@elsewhere.example', subject: 'x', text: 'y' })
      .catch((e: { responseCode?: number }) => e);
    expect((error as { responseCode?: number }).responseCode).toBe(550);
    expect(received).toHaveLength(0);
  });

  it('refuses an oversized mail with 552 and takes nothing', async () => {
    const { smtp, received } = await listener({ maxMessageBytes: 4096 });
    const error = await client(smtp.port)
      .sendMail({
        from: 'li@customer.example',
        to: 'support@shop.example',
        subject: 'x',
        text: 'y'.repeat(20_000),
      })
      .catch((e: { responseCode?: number }) => e);
    expect((error as { responseCode?: number }).responseCode).toBe(552);
    expect(received).toHaveLength(0);
    // The connection and the listener are still good for the next mail.
    await client(smtp.port).sendMail({
      from: 'li@customer.example',
      to: 'support@shop.example',
      subject: 'x',
      text: 'y',
    });
    expect(received).toHaveLength(1);
  });

  it('marks mail from the logged-in relay and refuses a wrong password', async () => {
    const { smtp, received } = await listener({ auth: { user: 'mailhost', password: 'correct horse' } });
    await client(smtp.port, { user: 'mailhost', pass: 'correct horse' }).sendMail({
      from: 'li@customer.example',
      to: 'support@shop.example',
      subject: 'x',
      text: 'y',
    });
    expect(received[0]!.authenticatedRelay).toBe(true);
    const error = await client(smtp.port, { user: 'mailhost', pass: 'wrong' })
      .sendMail({ from: 'li@customer.example', to: 'support@shop.example', subject: 'x', text: 'y' })
      .catch((e: { responseCode?: number }) => e);
    expect((error as { responseCode?: number }).responseCode).toBe(535);
    expect(received).toHaveLength(1);
  });

  it('offers STARTTLS with the configured certificate, and AUTH only after it', async () => {
    const dir = new URL('./testdata/', import.meta.url);
    const cert = readFileSync(new URL('localhost-test.crt', dir));
    const key = readFileSync(new URL('localhost-test.key', dir));
    const received: ReceivedMail[] = [];
    const smtp = await startSmtpListener({
      host: '127.0.0.1',
      port: 0,
      maxMessageBytes: 1024 * 1024,
      tls: { key, cert },
      auth: { user: 'mailhost', password: 'correct horse' },
      hasMailbox: async (address) => address === 'support@shop.example',
      deliver: async (mail) => {
        received.push(mail);
      },
    });
    cleanups.push(() => smtp.close());
    const mail = { from: 'li@customer.example', to: 'support@shop.example', subject: 'x', text: 'y' };
    const secure = nodemailer.createTransport({
      host: 'localhost',
      port: smtp.port,
      secure: false,
      requireTLS: true,
      tls: { ca: cert },
      auth: { user: 'mailhost', pass: 'correct horse' },
    });
    await secure.sendMail(mail);
    expect(received[0]!.authenticatedRelay).toBe(true);
    // The password never crosses the wire in clear text.
    const plain = await client(smtp.port, { user: 'mailhost', pass: 'correct horse' })
      .sendMail(mail)
      .catch((e: { responseCode?: number }) => e.responseCode);
    expect(plain).toBe(538);
    expect(received).toHaveLength(1);
  });

  it('answers 550 for mail the server cannot read and 451 when storing failed', async () => {
    let fail: Error = new InboundParseError('mail without a From address');
    const { smtp } = await listener({
      deliver: async () => {
        throw fail;
      },
    });
    const send = () =>
      client(smtp.port)
        .sendMail({ from: 'li@customer.example', to: 'support@shop.example', subject: 'x', text: 'y' })
        .catch((e: { responseCode?: number }) => e.responseCode);
    expect(await send()).toBe(550);
    fail = new Error('database is down');
    expect(await send()).toBe(451);
  });
});

/** A local relay: records what it was given, or answers RCPT with the code it is told to. */
async function relay() {
  const state = { raw: [] as Buffer[], rcptReply: null as number | null, logins: [] as string[] };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: true,
    logger: false,
    onAuth(auth, _s, cb) {
      state.logins.push(`${auth.username}:${auth.password}`);
      cb(null, { user: auth.username });
    },
    onRcptTo(_a, _s, cb) {
      if (state.rcptReply === null) return cb();
      const error = new Error(state.rcptReply >= 500 ? 'No such user' : 'Try later') as Error & {
        responseCode: number;
      };
      error.responseCode = state.rcptReply;
      cb(error);
    },
    onData(stream, _s, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        state.raw.push(Buffer.concat(chunks));
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { port: (server.server.address() as AddressInfo).port, state };
}

function context(port: number, overrides: Partial<EmailInboxConfig> = {}): AdapterContext<EmailInboxConfig> {
  return {
    config: {
      address: 'support@shop.example',
      displayName: '演示小店客服',
      smtpHost: 'localhost',
      smtpPort: port,
      smtpSecure: false,
      smtpAllowPlaintext: true,
      smtpUser: 'support@shop.example',
      smtpPassword: 'relay-secret',
      ...overrides,
    },
    http: () => Promise.reject(new Error('email sends no HTTP')),
    now: () => new Date(),
    resolveRelay: relayGuard({ allowHosts: ['localhost'] }),
  };
}

describe('email adapter send', () => {
  it('replies in the thread: Re: subject, In-Reply-To/References, stable Message-ID, text and HTML', async () => {
    const { port, state } = await relay();
    const message = {
      to: 'li@customer.example',
      text: 'Sorry about the lamp.\n\nA new one ships today <with care>.',
      idempotencyKey: 'message-42',
      attachments: [{ name: 'label.png', mimeType: 'image/png', content: PNG }],
      threadMeta: {
        subject: 'Broken lamp',
        messageId: 'm1@customer.example',
        references: 'm0@customer.example',
      },
    };
    const result = await emailAdapter.send(context(port), message);
    const again = await emailAdapter.send(context(port), message);
    expect(again.providerMessageId).toBe(result.providerMessageId);
    expect(result.status).toBe('sent');
    expect(result.meta).toEqual({
      messageId: result.providerMessageId,
      subject: 'Re: Broken lamp',
      references: `m0@customer.example m1@customer.example ${result.providerMessageId}`,
    });
    expect(state.logins).toEqual(['support@shop.example:relay-secret', 'support@shop.example:relay-secret']);

    const parsed = await parseEmail(state.raw[0]!, {
      inboxAddress: 'other@shop.example',
      authenticatedRelay: false,
    });
    if (parsed.kind !== 'message') throw new Error(parsed.kind);
    expect(parsed.event.providerMessageId).toBe(result.providerMessageId);
    expect(parsed.event.threadRefs).toEqual(['m0@customer.example', 'm1@customer.example']);
    expect(parsed.event.meta?.subject).toBe('Re: Broken lamp');
    expect(parsed.event.profile?.name).toBe('演示小店客服');
    expect(parsed.event.text).toBe(message.text);
    expect(parsed.html).toContain('A new one ships today &lt;with care&gt;.');
    expect(parsed.event.attachments?.[0]?.content.equals(PNG)).toBe(true);
  });

  it('starts a new thread under the subject it is given, unprefixed (a campaign, the weekly review)', async () => {
    const { port, state } = await relay();
    const result = await emailAdapter.send(context(port), {
      to: 'li@customer.example',
      text: 'New arrivals this week.',
      idempotencyKey: 'campaign-1',
      subject: '本周上新\r\nBcc: evil@example.com',
      automatic: true,
    });
    // Not a reply: automatically generated (RFC 3834), so responders stay quiet all the same.
    expect(state.raw[0]!.toString()).toMatch(/^Auto-Submitted: auto-generated\r$/m);
    expect(result.meta?.subject).toBe('本周上新 Bcc: evil@example.com');
    const asRead = Buffer.from(state.raw[0]!.toString().replace(/^Auto-Submitted: .*\r\n/im, ''));
    const parsed = await parseEmail(asRead, {
      inboxAddress: 'other@shop.example',
      authenticatedRelay: false,
    });
    if (parsed.kind !== 'message') throw new Error(parsed.kind);
    expect(parsed.event.meta?.subject).toBe('本周上新 Bcc: evil@example.com');
    expect(state.raw[0]!.toString()).not.toMatch(/^Bcc:/m);
  });

  it('signs with DKIM when a selector and key are configured', async () => {
    const { port, state } = await relay();
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    // As pasted into a one-line secret field: the line breaks are gone.
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString().replace(/\n/g, ' ');
    await emailAdapter.send(context(port, { dkimSelector: 'zhike', dkimPrivateKey: pem }), {
      to: 'li@customer.example',
      text: 'Signed.',
      idempotencyKey: 'dkim',
    });
    const raw = state.raw[0]!.toString();
    const header = /^DKIM-Signature:(.*(?:\r\n[ \t].*)*)/m.exec(raw)?.[1]?.replace(/\r\n[ \t]/g, ' ') ?? '';
    expect(header).toMatch(/\bd=shop\.example;/);
    expect(header).toMatch(/\bs=zhike;/);
    // The signature verifies with the public key over the signed headers (relaxed canonicalisation).
    const tags = Object.fromEntries(
      header.split(';').map((t) => {
        const [k, ...v] = t.trim().split('=');
        return [k, v.join('=').replace(/\s+/g, '')];
      }),
    ) as Record<string, string>;
    const headers = raw.slice(0, raw.indexOf('\r\n\r\n')).split(/\r\n(?![ \t])/);
    const relaxed = (line: string) => {
      const i = line.indexOf(':');
      return `${line.slice(0, i).trim().toLowerCase()}:${line
        .slice(i + 1)
        .replace(/\r\n/g, '')
        .replace(/[ \t]+/g, ' ')
        .trim()}`;
    };
    const signed = tags
      .h!.split(':')
      .map((name) => relaxed(headers.find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))!));
    const own = relaxed(`DKIM-Signature:${header}`).replace(/b=[^;]*$/, 'b=');
    const verify = createVerify('RSA-SHA256');
    verify.update(`${[...signed, own].join('\r\n')}`);
    expect(verify.verify(publicKey, Buffer.from(tags.b!, 'base64'))).toBe(true);
  });

  it('starts a thread of its own when there is nothing to reply to', async () => {
    const { port, state } = await relay();
    await emailAdapter.send(context(port), { to: 'li@customer.example', text: 'Hello', idempotencyKey: 'k' });
    const raw = state.raw[0]!.toString();
    expect(raw).not.toMatch(/^In-Reply-To:/im);
    // A person wrote it: no Auto-Submitted. Automatic mail says so (RFC 3834): one we start (a notice,
    // a campaign) is auto-generated, the bot's answer in a customer's thread auto-replied.
    expect(raw).not.toMatch(/^Auto-Submitted:/im);
    await emailAdapter.send(context(port), {
      to: 'li@customer.example',
      text: 'Hi',
      idempotencyKey: 'b',
      automatic: true,
    });
    expect(state.raw[1]!.toString()).toMatch(/^Auto-Submitted: auto-generated\r$/im);
    await emailAdapter.send(context(port), {
      to: 'li@customer.example',
      text: 'Hi again',
      idempotencyKey: 'c',
      automatic: true,
      threadMeta: { subject: 'Lamp', messageId: 'm9@customer.example' },
    });
    expect(state.raw[2]!.toString()).toMatch(/^Auto-Submitted: auto-replied\r$/im);
    expect(raw).toMatch(/^Subject: =\?UTF-8\?/m);
  });

  it('gives up on 5xx and on bad recipients, retries 4xx and unreachable relays', async () => {
    const { port, state } = await relay();
    const send = (ctx = context(port), to = 'li@customer.example') =>
      emailAdapter.send(ctx, { to, text: 'x', idempotencyKey: 'k' }).then(
        () => 'sent',
        (e: Error) => (e instanceof PermanentSendFailure ? 'permanent' : 'retry'),
      );
    state.rcptReply = 550;
    expect(await send()).toBe('permanent');
    state.rcptReply = 451;
    expect(await send()).toBe('retry');
    state.rcptReply = null;
    expect(await send(context(port), 'not an address\r\nBcc: x@y')).toBe('permanent');
    // By default the password never crosses in clear text: this relay refuses STARTTLS (500), so nothing
    // goes, and the settings have to change before anything will.
    const logins = state.logins.length;
    expect(await send(context(port, { smtpAllowPlaintext: undefined }))).toBe('permanent');
    expect(state.logins).toHaveLength(logins);
    // Nothing listens on the port any more.
    const closed = await relay();
    await cleanups.pop()!();
    expect(await send(context(closed.port))).toBe('retry');
    expect(state.raw).toHaveLength(0);
  });

  it('refuses a relay on a private address unless the operator allowed it', async () => {
    const { port, state } = await relay();
    const strict = { ...context(port), resolveRelay: undefined };
    await expect(
      emailAdapter.send(strict, { to: 'li@customer.example', text: 'x', idempotencyKey: 'k' }),
    ).rejects.toBeInstanceOf(PermanentSendFailure);
    const ip = {
      ...context(port, { smtpHost: '127.0.0.1' }),
      resolveRelay: relayGuard({ allowHosts: ['localhost'] }),
    };
    await expect(
      emailAdapter.send(ip, { to: 'li@customer.example', text: 'x', idempotencyKey: 'k' }),
    ).rejects.toBeInstanceOf(PermanentSendFailure);
    expect(state.raw).toHaveLength(0);
  });
});
