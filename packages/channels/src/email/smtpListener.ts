// The inbound side of email: an SMTP server that accepts mail only for the addresses of existing email
// inboxes (anything else: 550 at RCPT, before a byte of content is taken), never relays, caps the size,
// offers STARTTLS with the operator's certificate and, optionally, AUTH for the shop's own mail host
// forwarding to us. What to do with an accepted mail is the caller's (the server parses and stores it).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { InboundParseError } from '../adapter.ts';

export interface ReceivedMail {
  /** RCPT TO addresses, lower-cased, each one an inbox's address. */
  recipients: string[];
  raw: Buffer;
  /** The client logged in with the listener's AUTH credentials. */
  authenticatedRelay: boolean;
  remoteAddress: string;
}

export interface SmtpListenerOptions {
  host: string;
  port: number;
  /** Host name in the greeting; the machine's name when absent. */
  name?: string;
  maxMessageBytes: number;
  /** PEM key and certificate; enables STARTTLS (and then AUTH only after it). */
  tls?: { key: string | Buffer; cert: string | Buffer } | null;
  /** One login for the shop's mail host; AUTH is not offered without it. */
  auth?: { user: string; password: string } | null;
  maxClients?: number;
  /** Whether an address belongs to an email inbox (in any workspace). */
  hasMailbox(address: string): Promise<boolean>;
  /** Stores an accepted mail. Throw InboundParseError to refuse it for good (5xx), anything else to have the sender retry (4xx). */
  deliver(mail: ReceivedMail): Promise<void>;
  onError?(error: Error): void;
}

export interface SmtpListener {
  port: number;
  close(): Promise<void>;
}

class SmtpReply extends Error {
  constructor(
    readonly responseCode: number,
    message: string,
  ) {
    super(message);
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest();
const sameSecret = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

function collect(stream: SMTPServerDataStream, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Past the limit the rest is read and thrown away, so the client still gets its 552 answer.
      if (size <= limit) chunks.push(chunk);
    });
    stream.on('error', reject);
    stream.on('end', () => resolve(stream.sizeExceeded || size > limit ? null : Buffer.concat(chunks)));
  });
}

export async function startSmtpListener(options: SmtpListenerOptions): Promise<SmtpListener> {
  const disabled: string[] = [];
  if (!options.tls) disabled.push('STARTTLS');
  if (!options.auth) disabled.push('AUTH');
  const authOf = (session: SMTPServerSession) => session.user === 'relay';

  const { SMTPServer } = await import('smtp-server'); // loaded only where inbound mail is on
  const server = new SMTPServer({
    name: options.name,
    banner: 'Zhike',
    size: options.maxMessageBytes,
    rejectOversized: true,
    disabledCommands: disabled,
    ...(options.tls ? { key: options.tls.key, cert: options.tls.cert } : {}),
    authOptional: true,
    // Without a certificate there is no way to protect the password; the README says to use one.
    allowInsecureAuth: !options.tls,
    authMethods: ['PLAIN', 'LOGIN'],
    disableReverseLookup: true,
    maxClients: options.maxClients ?? 100,
    maxRecipients: 50,
    // A forwarding mail host sends many mails over one connection without logging in.
    maxAllowedUnauthenticatedCommands: 1000,
    logger: false,
    onAuth(auth, _session, callback) {
      const expected = options.auth;
      const ok =
        expected !== null &&
        expected !== undefined &&
        sameSecret(auth.username ?? '', expected.user) &&
        sameSecret(auth.password ?? '', expected.password);
      if (!ok) callback(new SmtpReply(535, 'Authentication failed'));
      else callback(null, { user: 'relay' });
    },
    onRcptTo(address, _session, callback) {
      const recipient = address.address.trim().toLowerCase();
      options.hasMailbox(recipient).then(
        (known) => callback(known ? null : new SmtpReply(550, `No such mailbox: ${recipient}`)),
        (error: Error) => {
          options.onError?.(error);
          callback(new SmtpReply(451, 'Temporary failure, try again later'));
        },
      );
    },
    onData(stream, session, callback) {
      collect(stream, options.maxMessageBytes)
        .then(async (raw) => {
          if (!raw) throw new SmtpReply(552, 'Message exceeds the maximum size');
          await options.deliver({
            recipients: session.envelope.rcptTo.map((r) => r.address.trim().toLowerCase()),
            raw,
            authenticatedRelay: authOf(session),
            remoteAddress: session.remoteAddress,
          });
        })
        .then(
          () => callback(null, 'Message accepted'),
          (error: Error) => {
            if (error instanceof SmtpReply) return callback(error);
            if (error instanceof InboundParseError)
              return callback(new SmtpReply(550, `Message refused: ${error.message}`));
            options.onError?.(error);
            callback(new SmtpReply(451, 'Temporary failure, try again later'));
          },
        );
    },
  });
  server.on('error', (error) => options.onError?.(error));

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
