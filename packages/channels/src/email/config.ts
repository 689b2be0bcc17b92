// What an email inbox is configured with: the address customers write to (the SMTP listener accepts
// mail only for addresses of existing email inboxes), and the relay our replies go out through.
import Type from 'typebox';

const HostName = Type.String({
  minLength: 1,
  maxLength: 253,
  pattern: '^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$',
  description: 'SMTP relay host, e.g. smtp.qiye.aliyun.com, smtp.exmail.qq.com, smtp.qq.com',
});

export const EmailAddress = Type.String({
  minLength: 3,
  maxLength: 254,
  pattern: '^[^\\s@<>()\\[\\],;:"]+@[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$',
});

export const EmailInboxConfig = Type.Object(
  {
    address: {
      ...EmailAddress,
      description: 'The support address customers write to, e.g. support@shop.example',
    },
    /** Where forwarded mail arrives when it is not `address` (the shop's mail host forwards to it). */
    receiveAddress: Type.Optional({
      ...EmailAddress,
      description: 'Address forwarded mail arrives at, e.g. support@cs.shop.example; default: address',
    }),
    displayName: Type.Optional(
      Type.String({ maxLength: 100, pattern: '^[^\\r\\n]*$', description: 'Sender name on replies' }),
    ),
    smtpHost: HostName,
    smtpPort: Type.Integer({ minimum: 1, maximum: 65535, description: '465 (TLS) or 587 (STARTTLS)' }),
    /** Implicit TLS from the first byte; otherwise STARTTLS. Absent: on for port 465 only. */
    smtpSecure: Type.Optional(
      Type.Boolean({
        description: 'TLS from the first byte (port 465); off = STARTTLS (587). Default: on for 465',
      }),
    ),
    /**
     * Send even when a relay without TLS from the first byte offers no STARTTLS (a relay on the LAN).
     * Off by default, so a switch left untouched in the console keeps the password off the wire.
     */
    smtpAllowPlaintext: Type.Optional(
      Type.Boolean({ description: 'Send without STARTTLS when the relay offers none (LAN relays only)' }),
    ),
    smtpUser: Type.Optional(
      Type.String({
        maxLength: 254,
        pattern: '^[^\\r\\n]*$',
        description: 'Relay login, usually the full address',
      }),
    ),
    smtpPassword: Type.Optional(
      Type.String({ maxLength: 500, description: 'Relay password or authorisation code (授权码)' }),
    ),
    /** DKIM selector (the DNS name `<selector>._domainkey.<domain>`) when Zhike signs replies itself. */
    dkimSelector: Type.Optional(
      Type.String({ maxLength: 63, pattern: '^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$' }),
    ),
    /** PEM private key for DKIM; most enterprise relays sign themselves, so both stay empty then. */
    dkimPrivateKey: Type.Optional(Type.String({ maxLength: 8000 })),
    /**
     * authserv-id of the mail host that receives for this address and adds Authentication-Results
     * (e.g. mx.shop.example); its DMARC/DKIM pass marks the sender's address verified.
     */
    trustedAuthServId: Type.Optional(Type.String({ maxLength: 253, pattern: '^[A-Za-z0-9.-]+$' })),
    /**
     * Every new email thread also opens a ticket linked to its conversation (source `email`); later mails
     * in the thread are the customer's replies on it, and reopen it by the workspace's reopen rule.
     */
    createTickets: Type.Optional(Type.Boolean({ description: 'Open a ticket for each new email thread' })),
    ticketCategory: Type.Optional(
      Type.String({ minLength: 1, maxLength: 60, description: 'Category of tickets opened from mail' }),
    ),
    ticketPriority: Type.Optional(
      Type.Union(
        [Type.Literal('low'), Type.Literal('normal'), Type.Literal('high'), Type.Literal('urgent')],
        { description: 'Priority of tickets opened from mail (default normal)' },
      ),
    ),
  },
  { additionalProperties: false },
);
export type EmailInboxConfig = Type.Static<typeof EmailInboxConfig>;

export const emailSecretFields = ['smtpPassword', 'dkimPrivateKey'] as const;

/** The addresses the SMTP listener accepts for an inbox with this config, lower-cased. */
export function receivingAddresses(config: Partial<EmailInboxConfig> | null | undefined): string[] {
  const out = new Set<string>();
  for (const a of [config?.address, config?.receiveAddress])
    if (typeof a === 'string' && a.trim()) out.add(a.trim().toLowerCase());
  return [...out];
}
