// The one seam every outside messaging channel sits behind (SMS vendors, email, WeChat). An adapter turns a
// provider's inbound request into channel-neutral events, and sends an outbound message through the
// provider's real API. Adapters hold no state and do no I/O of their own except through the `http`
// function they are given, so the server decides how they reach the network (SSRF guard, timeouts) and
// tests point them at a local server speaking the provider's protocol.
import type { TSchema } from 'typebox';

/** Channel families a conversation can live on; several adapters (vendors) may serve one family. */
export type ProviderChannel = 'sms' | 'email' | 'wechat' | 'voice';

export type IdentityKind = 'visitor' | 'external' | 'phone' | 'email' | 'wechat';

/** A provider's HTTP request as it arrived, before anything was parsed. */
export interface InboundHttpRequest {
  method: string;
  /** The full public URL the provider called (scheme, host, path and query), as the provider signed it. */
  url: string;
  /** Lower-cased header names. */
  headers: Readonly<Record<string, string | undefined>>;
  query: Readonly<Record<string, string | undefined>>;
  /** Exactly the bytes received; signatures are computed over these. */
  rawBody: Buffer;
}

export interface InboundAttachment {
  name: string;
  mimeType: string;
  content: Buffer;
}

/** A customer's message, normalised. */
export interface InboundMessageEvent {
  kind: 'message';
  /** The provider's id of this message; with the inbox it makes the idempotency key (replays are no-ops). */
  providerMessageId: string;
  /** Who sent it, as the channel proves it (an SMS sender number, a WeChat OpenID, an email From). */
  identity: { kind: IdentityKind; value: string; verified: boolean };
  profile?: { name?: string | null; email?: string | null; phone?: string | null };
  text: string;
  attachments?: InboundAttachment[];
  /**
   * Keeps a channel thread together where the channel has threads (email Message-ID/References): the ids
   * this message refers to, newest last. The server maps them to the conversation they belong to.
   */
  threadRefs?: string[];
  /** Channel-specific facts the outbound side needs later (email subject and Message-ID …). */
  meta?: Record<string, string>;
  receivedAt?: string;
}

/** A provider telling us what happened to a message we sent. */
export interface DeliveryStatusEvent {
  kind: 'status';
  providerMessageId: string;
  status: DeliveryState;
  /** The provider's error code/text when it failed. */
  error?: string;
  at?: string;
}

export type DeliveryState = 'queued' | 'sent' | 'delivered' | 'read' | 'failed';

export type InboundEvent = InboundMessageEvent | DeliveryStatusEvent;

/** What to answer the provider's HTTP request with (some protocols expect a particular body). */
export interface HttpAnswer {
  status: number;
  contentType?: string;
  body: string;
}

export interface ParsedInbound {
  events: InboundEvent[];
  /** Answer sent once the events are durably stored (or found to be replays). */
  answer: HttpAnswer;
}

/**
 * An adapter with a synchronous reply window (WeChat's passive reply within 5 s) may answer an inbound
 * message in the HTTP response itself; the server calls this with the reply if one is ready in time.
 */
export type PassiveReply = (reply: { text: string }) => HttpAnswer;

export interface OutboundMessage {
  /** The recipient as the channel addresses them (phone, email, OpenID…). */
  to: string;
  text: string;
  /** Files to send where the channel supports them; content already decrypted by the server. */
  attachments?: InboundAttachment[];
  /** Stable per message: providers that support it get it to de-duplicate our retries. */
  idempotencyKey: string;
  /** What the inbound side recorded for this thread (email subject, Message-ID to reply to …). */
  threadMeta?: Record<string, string>;
  /** The subject of a message that starts a thread (email), used as given; replies take the thread's. */
  subject?: string;
  /**
   * Written by the bot or the system, not a person. Channels that can say so do (email's
   * `Auto-Submitted: auto-replied`), so another auto-responder does not answer and start a loop.
   */
  automatic?: boolean;
}

export interface SentQuery {
  to: string;
  idempotencyKey: string;
  /** When the uncertain attempt began: the provider's records from then on are searched. */
  since: Date;
}

export interface SendResult {
  providerMessageId: string;
  status: DeliveryState;
  /** Channel facts to remember for threading (the Message-ID we gave an email …). */
  meta?: Record<string, string>;
}

/** The only way an adapter reaches the network: a fetch with the server's guard and timeout applied. */
export type HttpClient = (url: string, init: RequestInit) => Promise<Response>;

export interface AdapterContext<Config> {
  /** Non-secret settings and secrets merged (secrets are sealed at rest and decrypted for this call). */
  config: Config;
  http: HttpClient;
  now: () => Date;
  /**
   * For adapters that open their own sockets instead of going through `http` (email's SMTP relay):
   * resolves a host to the one address to connect to, refusing private and loopback addresses unless the
   * operator allowed the host (ZHIKE_CHANNEL_ALLOW_HOSTS). Absent = public addresses only.
   */
  resolveRelay?: (hostname: string) => Promise<string>;
}

/** A send the provider refused for good (bad number, unverified template): retrying cannot help. */
export class PermanentSendFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentSendFailure';
  }
}

export interface ChannelCapabilities {
  /** Longest text one message carries; the server splits or truncates longer replies. */
  maxTextLength: number;
  attachments: boolean;
  /** The provider reports delivery status (webhooks/callbacks). */
  deliveryStatus: boolean;
  /** Can answer within the inbound HTTP request (WeChat passive reply). */
  passiveReply: boolean;
}

export interface ChannelAdapter<Config = Record<string, unknown>> {
  /** Registry key, stored on the inbox (e.g. `twilio-sms`). */
  id: string;
  channel: ProviderChannel;
  /** TypeBox schema of the whole config (settings + secrets); validated when an inbox is saved. */
  configSchema: TSchema;
  /** Config fields that are secrets: sealed at rest, write-only over the API, masked in the console. */
  secretFields: readonly string[];
  capabilities: ChannelCapabilities;
  /**
   * True when the request really comes from the provider (signature, token). The server answers 401
   * and stores nothing when false. Must not throw on malformed input: return false.
   */
  verifyInbound?(ctx: AdapterContext<Config>, request: InboundHttpRequest): boolean | Promise<boolean>;
  /**
   * Providers that verify an endpoint with a GET challenge (WeChat `echostr`) answer here; called only
   * after verifyInbound accepted the request.
   */
  answerChallenge?(ctx: AdapterContext<Config>, request: InboundHttpRequest): HttpAnswer | null;
  /** Normalise a verified request. Throws `InboundParseError` for a body it cannot read (→ 400). */
  parseInbound?(
    ctx: AdapterContext<Config>,
    request: InboundHttpRequest,
  ): ParsedInbound | Promise<ParsedInbound>;
  /** Build the passive-reply answer for a parsed inbound message (only when capabilities.passiveReply). */
  passiveReply?(
    ctx: AdapterContext<Config>,
    request: InboundHttpRequest,
    event: InboundMessageEvent,
    reply: { text: string },
  ): HttpAnswer;
  /** Send through the provider's API. Throw to retry later; PermanentSendFailure to give up. */
  send(ctx: AdapterContext<Config>, message: OutboundMessage): Promise<SendResult>;
  /**
   * Asks the provider whether it already took a message we sent with this idempotency key — an earlier
   * attempt whose answer never came back (the process died mid-call, the call timed out). The message it
   * took, or null when it has none. Called before such a part is sent again, so where a provider can
   * answer this the part reaches the customer once; without it the retry sends again (at least once).
   */
  findSent?(ctx: AdapterContext<Config>, query: SentQuery): Promise<SendResult | null>;
}

/** The body of a verified request could not be read. */
export class InboundParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InboundParseError';
  }
}
