import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { InboundParseError } from '../adapter.ts';
import { parseEmail } from './parse.ts';

const composer = nodemailer.createTransport({ streamTransport: true, buffer: true });
type Mail = Parameters<typeof composer.sendMail>[0];

async function compose(mail: Mail): Promise<Buffer> {
  const info = await composer.sendMail(mail);
  return info.message as Buffer;
}

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const options = { inboxAddress: 'support@shop.example', authenticatedRelay: false };

describe('parseEmail', () => {
  it('reads sender, subject, text, thread refs and stored file types from a multipart mail', async () => {
    const raw = await compose({
      from: '"李雷" <Li.Lei@Customer.example>',
      to: 'support@shop.example',
      subject: 'Order 1234 has not arrived',
      messageId: '<m1@customer.example>',
      text: 'It was due on Monday.',
      html: '<p>It was due on <b>Monday</b>.</p><script>alert(1)</script>',
      attachments: [
        { filename: 'photo.png', content: PNG, contentType: 'image/png' },
        { filename: 'run.exe', content: Buffer.from('MZ'), contentType: 'application/octet-stream' },
      ],
    });
    const parsed = await parseEmail(raw, options);
    if (parsed.kind !== 'message') throw new Error(parsed.kind);
    const { event } = parsed;
    expect(event.providerMessageId).toBe('m1@customer.example');
    expect(event.identity).toEqual({ kind: 'email', value: 'li.lei@customer.example', verified: false });
    expect(event.profile).toEqual({ name: '李雷', email: 'li.lei@customer.example' });
    expect(event.text).toBe('Order 1234 has not arrived\n\nIt was due on Monday.\n\n[run.exe — not kept]');
    expect(event.threadRefs).toEqual([]);
    expect(event.meta).toMatchObject({
      subject: 'Order 1234 has not arrived',
      messageId: 'm1@customer.example',
    });
    expect(event.attachments?.map((a) => [a.name, a.mimeType, a.content.equals(PNG)])).toEqual([
      ['photo.png', 'image/png', true],
    ]);
    expect(parsed.dropped).toEqual([{ name: 'run.exe', reason: 'unsupported_type' }]);
    expect(parsed.html).toContain('<b>Monday</b>');
    expect(parsed.html).not.toContain('script');
  });

  it('threads a reply, drops its quoted history and leaves the Re: subject out of the text', async () => {
    const raw = await compose({
      from: 'li@customer.example',
      to: 'support@shop.example',
      subject: 'Re: Order 1234 has not arrived',
      messageId: '<m3@customer.example>',
      inReplyTo: '<ours-2@shop.example>',
      references: ['<m1@customer.example>', '<ours-2@shop.example>'],
      text: 'It came today, thanks!\n\nOn Tue, 3 Jun 2025 at 10:01, Shop <support@shop.example> wrote:\n> We resent it.',
    });
    const parsed = await parseEmail(raw, options);
    if (parsed.kind !== 'message') throw new Error(parsed.kind);
    expect(parsed.event.text).toBe('It came today, thanks!');
    expect(parsed.event.threadRefs).toEqual(['m1@customer.example', 'ours-2@shop.example']);
    expect(parsed.event.meta?.references).toBe('m1@customer.example ours-2@shop.example');
  });

  it('reads an HTML-only mail as sanitised text, without the quote and without script text', async () => {
    const raw = await compose({
      from: 'li@customer.example',
      to: 'support@shop.example',
      subject: 'Re: x',
      inReplyTo: '<ours-2@shop.example>',
      html: '<div>Refund <img src="https://t.example/o.gif" onerror="alert(1)">please<script>alert(2)</script></div><blockquote>old</blockquote>',
    });
    const parsed = await parseEmail(raw, options);
    if (parsed.kind !== 'message') throw new Error(parsed.kind);
    expect(parsed.event.text).toBe('Refund please');
    expect(parsed.html).not.toMatch(/alert|onerror|t\.example/);
  });

  it('identifies a mail without Message-ID by its bytes', async () => {
    const raw = Buffer.from(
      'From: li@customer.example\r\nTo: support@shop.example\r\nSubject: hi\r\n\r\nhello\r\n',
    );
    const a = await parseEmail(raw, options);
    const b = await parseEmail(Buffer.from(raw), options);
    if (a.kind !== 'message' || b.kind !== 'message') throw new Error('not a message');
    expect(a.event.providerMessageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(b.event.providerMessageId).toBe(a.event.providerMessageId);
  });

  it('marks the sender verified only with the relay login or a trusted DMARC pass', async () => {
    const raw = await compose({
      from: 'li@customer.example',
      to: 'support@shop.example',
      subject: 'hi',
      text: 'hello',
      headers: { 'Authentication-Results': 'mx.shop.example; dmarc=pass header.from=customer.example' },
    });
    const verified = async (o: object) => {
      const p = await parseEmail(raw, { ...options, ...o });
      return p.kind === 'message' && p.event.identity.verified;
    };
    expect(await verified({})).toBe(false);
    expect(await verified({ trustedAuthServId: 'mx.shop.example' })).toBe(true);
    expect(await verified({ trustedAuthServId: 'mx.other.example' })).toBe(false);
    expect(await verified({ authenticatedRelay: true })).toBe(true);
  });

  it('ignores auto-replies, bounces and our own mail, and refuses mail without sender or content', async () => {
    const auto = await compose({
      from: 'li@customer.example',
      to: 'support@shop.example',
      subject: 'Out of office',
      text: 'Back Monday',
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    expect(await parseEmail(auto, options)).toMatchObject({ kind: 'ignored', reason: 'auto_submitted' });
    const own = await compose({
      from: 'support@shop.example',
      to: 'support@shop.example',
      subject: 'x',
      text: 'y',
    });
    expect(await parseEmail(own, options)).toMatchObject({ kind: 'ignored', reason: 'own_address' });
    const bounce = Buffer.from(
      'From: MAILER-DAEMON@mx.example\r\nTo: support@shop.example\r\nSubject: Undelivered\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nfailed\r\n--b--\r\n',
    );
    expect(await parseEmail(bounce, options)).toMatchObject({ kind: 'ignored', reason: 'bounce' });
    await expect(parseEmail(Buffer.from('Subject: x\r\n\r\nno sender\r\n'), options)).rejects.toBeInstanceOf(
      InboundParseError,
    );
    const empty = Buffer.from('From: li@customer.example\r\nSubject: \r\n\r\n\r\n');
    await expect(parseEmail(empty, options)).rejects.toBeInstanceOf(InboundParseError);
  });

  it('reads a bounce of one of our mails as its delivery failure', async () => {
    const report = (type: string, action = 'failed') =>
      Buffer.from(
        [
          'From: MAILER-DAEMON@mx.customer.example',
          'To: support@shop.example',
          'Subject: Undelivered Mail Returned to Sender',
          'MIME-Version: 1.0',
          'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
          '',
          '--b',
          'Content-Type: text/plain',
          '',
          'Your message could not be delivered.',
          '--b',
          'Content-Type: message/delivery-status',
          '',
          'Reporting-MTA: dns; mx.customer.example',
          '',
          'Final-Recipient: rfc822; nobody@customer.example',
          `Action: ${action}`,
          'Status: 5.1.1',
          'Diagnostic-Code: smtp; 550 5.1.1 user unknown',
          '--b',
          `Content-Type: ${type}`,
          '',
          'From: support@shop.example',
          'Message-ID: <ours-7.zhike@shop.example>',
          'Subject: Re: x',
          '--b--',
          '',
        ].join('\r\n'),
      );
    for (const type of ['text/rfc822-headers', 'message/rfc822'])
      expect(await parseEmail(report(type), options)).toEqual({
        kind: 'status',
        event: {
          kind: 'status',
          providerMessageId: 'ours-7.zhike@shop.example',
          status: 'failed',
          error: 'smtp; 550 5.1.1 user unknown',
        },
      });
    // "Still trying" is not a failure.
    expect(await parseEmail(report('text/rfc822-headers', 'delayed'), options)).toMatchObject({
      kind: 'ignored',
      reason: 'bounce',
    });
  });

  it('caps long text and the number and size of files', async () => {
    const raw = await compose({
      from: 'li@customer.example',
      to: 'support@shop.example',
      subject: 'Re: long',
      inReplyTo: '<a@x>',
      text: 'x'.repeat(9000),
      attachments: [
        { filename: 'a.png', content: PNG, contentType: 'image/png' },
        { filename: 'b.png', content: PNG, contentType: 'image/png' },
        { filename: 'big.pdf', content: Buffer.alloc(2048, 1), contentType: 'application/pdf' },
      ],
    });
    const parsed = await parseEmail(raw, { ...options, maxAttachments: 1, maxAttachmentBytes: 1024 });
    if (parsed.kind !== 'message') throw new Error(parsed.kind);
    expect(parsed.event.text).toHaveLength(5000);
    expect(parsed.event.text).toMatch(/x…\n\n\[b\.png, big\.pdf — not kept\]$/);
    const capped = await parseEmail(raw, {
      ...options,
      maxAttachments: 1,
      maxAttachmentBytes: 1024,
      maxTextLength: 100,
    });
    if (capped.kind !== 'message') throw new Error(capped.kind);
    // The note about files left behind survives the cut.
    expect(capped.event.text.endsWith('[b.png, big.pdf — not kept]')).toBe(true);
    expect(parsed.event.attachments?.map((a) => a.name)).toEqual(['a.png']);
    expect(parsed.dropped).toEqual([
      { name: 'b.png', reason: 'too_many' },
      { name: 'big.pdf', reason: 'too_large' },
    ]);
  });
});
