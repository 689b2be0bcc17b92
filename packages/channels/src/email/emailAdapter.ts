// The email channel (registry id `email`): replies go out through the shop's SMTP relay with nodemailer,
// threaded under the customer's last mail. Mail comes in through the SMTP listener (smtpListener.ts),
// not a webhook, so there is no verifyInbound/parseInbound here.
import {
  type ChannelAdapter,
  type OutboundMessage,
  PermanentSendFailure,
  type SendResult,
} from '../adapter.ts';
import { EmailInboxConfig, emailSecretFields } from './config.ts';
import { RelayRefused, relayGuard } from './relayGuard.ts';
import { domainOf, ourMessageId, replyHeaders, replySubject } from './threading.ts';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** The plain text as a minimal HTML alternative: escaped, line breaks kept, nothing remote. */
export function textAsHtml(text: string): string {
  const paragraphs = text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  return `<!doctype html><html><body style="font-family:sans-serif;font-size:14px;line-height:1.5">${paragraphs}</body></html>`;
}

/**
 * A PEM key as typed into a one-line field (the console's secret inputs drop line breaks) made PEM
 * again; a key that is not PEM at all is left for the signer to refuse.
 */
export function pemKey(key: string): string {
  const m = /-----BEGIN ([A-Z ]+)-----(.*?)-----END \1-----/s.exec(key.trim());
  if (!m) return key;
  const body = m[2]!.replace(/\s+/g, '').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${m[1]}-----\n${body.join('\n')}\n-----END ${m[1]}-----\n`;
}

const ADDRESS = /^[^\s@<>()[\],;:"]+@[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/;

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
}

/** 5xx from the relay is its final word; 4xx, timeouts and dropped connections may pass. */
function classify(error: unknown): Error {
  if (error instanceof PermanentSendFailure) return error;
  if (error instanceof RelayRefused) return new PermanentSendFailure(error.message);
  const e = error as SmtpError;
  const code = typeof e.responseCode === 'number' ? e.responseCode : null;
  if (code !== null && code >= 500) return new PermanentSendFailure(`SMTP ${code}: ${e.message}`);
  // Settings the relay can never accept are not worth a retry either.
  if (code === null && (e.code === 'ECONFIG' || e.code === 'EENVELOPE'))
    return new PermanentSendFailure(e.message);
  return error instanceof Error ? error : new Error(String(error));
}

export const emailAdapter: ChannelAdapter<EmailInboxConfig> = {
  id: 'email',
  channel: 'email',
  configSchema: EmailInboxConfig,
  secretFields: emailSecretFields,
  // Delivery status: a bounce that comes back to the inbox marks the reply failed (parse.ts).
  capabilities: { maxTextLength: 100_000, attachments: true, deliveryStatus: true, passiveReply: false },

  async send(ctx, message: OutboundMessage): Promise<SendResult> {
    const config = ctx.config;
    const to = message.to.trim();
    if (!ADDRESS.test(to)) throw new PermanentSendFailure('recipient is not an email address');
    const domain = domainOf(config.address);
    const secure = config.smtpSecure ?? config.smtpPort === 465;
    const messageId = ourMessageId(message.idempotencyKey, domain);
    const thread = replyHeaders(message.threadMeta);
    const original = message.threadMeta?.subject;
    const fallback = config.displayName?.trim() || domain;
    const subject =
      original !== undefined
        ? replySubject(original, fallback)
        : message.subject?.replace(/[\r\n]+/g, ' ').trim() || fallback;

    try {
      const address = await (ctx.resolveRelay ?? relayGuard())(config.smtpHost);
      const { default: nodemailer } = await import('nodemailer'); // loaded by the first mail sent
      const transport = nodemailer.createTransport({
        host: address,
        port: config.smtpPort,
        secure,
        requireTLS: !secure && config.smtpAllowPlaintext !== true,
        // We connect to the checked address; the certificate must still name the relay.
        tls: { servername: config.smtpHost },
        name: domain,
        auth: config.smtpUser ? { user: config.smtpUser, pass: config.smtpPassword ?? '' } : undefined,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
        // Message parts come from us as bytes; never let a path or URL make nodemailer read one.
        disableFileAccess: true,
        disableUrlAccess: true,
        ...(config.dkimSelector && config.dkimPrivateKey
          ? {
              dkim: {
                domainName: domain,
                keySelector: config.dkimSelector,
                privateKey: pemKey(config.dkimPrivateKey),
              },
            }
          : {}),
      });
      try {
        await transport.sendMail({
          from: { name: config.displayName?.trim() || '', address: config.address },
          to,
          subject,
          text: message.text,
          html: textAsHtml(message.text),
          messageId: `<${messageId}>`,
          // RFC 3834: a bot's answer is an automatic reply, and a mail we start on our own (a campaign, the
          // weekly review) an automatically generated one, so the customer's vacation responder (or another
          // help desk's bot) stays quiet; our own listener drops such mail the same way.
          ...(message.automatic
            ? { headers: { 'Auto-Submitted': original !== undefined ? 'auto-replied' : 'auto-generated' } }
            : {}),
          ...(thread.inReplyTo ? { inReplyTo: thread.inReplyTo, references: thread.references } : {}),
          attachments: (message.attachments ?? []).map((a) => ({
            filename: a.name,
            content: a.content,
            contentType: a.mimeType,
          })),
        });
      } finally {
        transport.close();
      }
    } catch (error) {
      throw classify(error);
    }
    const references = [...(thread.references ?? []).map((r) => r.slice(1, -1)), messageId];
    return {
      providerMessageId: messageId,
      status: 'sent',
      meta: { messageId, subject, references: references.join(' ') },
    };
  },
};
