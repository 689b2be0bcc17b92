// Mail the SMTP listener accepted, into conversations: each recipient is an email inbox (the oldest one
// that claimed the address, so a second workspace naming someone else's address cannot take their mail),
// the mail is parsed for that inbox and accepted the way every provider channel's messages are.
import {
  type EmailInboxConfig,
  parseEmail,
  type ReceivedMail,
  receivingAddresses,
  type SmtpListener,
  startSmtpListener,
} from '@zhike/channels';
import type { Inbox } from '@zhike/core';
import type { SmtpListenerConfig } from '../config.ts';
import { type AcceptInboundDeps, acceptInbound } from './acceptInbound.ts';

export const EMAIL_ADAPTER_ID = 'email';

export interface EmailInbound {
  inboxAt(address: string): Promise<Inbox | null>;
  deliver(mail: ReceivedMail): Promise<void>;
}

export function emailInbound(deps: AcceptInboundDeps): EmailInbound {
  const inboxAt = async (address: string): Promise<Inbox | null> => {
    const wanted = address.trim().toLowerCase();
    const inboxes = await deps.db.directory.channelInboxes(EMAIL_ADAPTER_ID);
    return (
      inboxes.find((inbox) =>
        receivingAddresses(inbox.channelConfig as Partial<EmailInboxConfig> | null).includes(wanted),
      ) ?? null
    );
  };
  return {
    inboxAt,
    async deliver(mail) {
      const seen = new Set<string>();
      for (const recipient of mail.recipients) {
        const inbox = await inboxAt(recipient);
        // Two addresses of one inbox in one envelope are one delivery.
        if (!inbox || seen.has(inbox.id)) continue;
        seen.add(inbox.id);
        const config = (inbox.channelConfig ?? {}) as Partial<EmailInboxConfig>;
        const parsed = await parseEmail(mail.raw, {
          inboxAddress: config.address ?? recipient,
          authenticatedRelay: mail.authenticatedRelay,
          trustedAuthServId: config.trustedAuthServId ?? null,
        });
        if (parsed.kind === 'ignored') {
          deps.log.info({ inboxId: inbox.id, reason: parsed.reason }, 'email not taken into a conversation');
          continue;
        }
        // A customer's message, or a bounce reporting that one of our replies never arrived.
        await acceptInbound(deps, inbox, [parsed.event]);
      }
    },
  };
}

/** Starts the listener configured by ZHIKE_SMTP_*; the caller closes it with the app. */
export function startEmailListener(
  config: SmtpListenerConfig,
  deps: AcceptInboundDeps,
  name: string,
): Promise<SmtpListener> {
  const inbound = emailInbound(deps);
  return startSmtpListener({
    host: config.host,
    port: config.port,
    name,
    maxMessageBytes: config.maxBytes,
    tls: config.tls,
    auth: config.auth,
    hasMailbox: async (address) => (await inbound.inboxAt(address)) !== null,
    deliver: (mail) => inbound.deliver(mail),
    onError: (err) => deps.log.warn({ err }, 'SMTP listener error'),
  });
}
