// The wire protocol's plain constants and frame types, importable as `@zhike/contracts/protocol` without
// pulling the schema library into a browser bundle. Runtime code here is literals only; the only imports
// are `import type`, which vanish at build time (protocol.test.ts keeps it that way).
import type { Suggestion } from './assist.ts';
import type { Conversation, Message } from './conversations.ts';
import type { WidgetMessage } from './widget.ts';

// ── HTTP ────────────────────────────────────────────────────────────────────────────────────────────
/** Send the session's `csrfToken` in this header on cookie-authenticated writes. */
export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_COOKIE = 'zhike_session';

/** Longest message text any channel accepts (characters). */
export const MAX_MESSAGE_TEXT = 5000;
export const WIDGET_MAX_TEXT = MAX_MESSAGE_TEXT;
/**
 * Reply variables the server fills in an agent's message as it is sent (the customer's personal data,
 * which agents see masked); a draft may keep them (packages/core PERSONAL_REPLY_VARIABLES).
 */
export const FILLED_ON_SEND: readonly string[] = ['customer.name'];

/** Outbound webhook delivery (bot and agent messages to API-channel customers). */
export const WEBHOOK_SIGNATURE_HEADER = 'x-zhike-signature'; // "sha256=<hex HMAC-SHA256 of the raw body>"
export const WEBHOOK_DELIVERY_HEADER = 'x-zhike-delivery'; // unique delivery id; the same on every retry

/** The error catalogue: every 4xx/5xx is application/problem+json (RFC 9457) with one of these types. */
export const problemCodes = {
  validation_failed: 400,
  malformed_body: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  invalid_signature: 401,
  forbidden: 403,
  csrf_failed: 403,
  origin_not_allowed: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;
export type ProblemCode = keyof typeof problemCodes;

export const problemTypeUri = (code: ProblemCode): string => `urn:zhike:problem:${code}`;

// ── Widget socket: WS /api/v1/widget/ws?inbox=<widgetToken>&visitorToken=<token> ─────────────────────
/**
 * Application close codes. A refused WebSocket handshake reaches browser code only as 1006, which looks
 * exactly like a network failure, so the server accepts the upgrade and closes with one of these instead.
 */
export const WIDGET_CLOSE = {
  /** Unknown or forged visitor token: start a new session (POST /widget/sessions), then reconnect. */
  unknownVisitor: 4401,
  /** The page's Origin is not in the inbox's allowedOrigins: retrying will not help. */
  originNotAllowed: 4403,
  /** No widget inbox has this token (deleted or mistyped): retrying will not help. */
  unknownInbox: 4404,
} as const;
export type WidgetCloseCode = (typeof WIDGET_CLOSE)[keyof typeof WIDGET_CLOSE];

/** Console socket close codes. */
export const CONSOLE_CLOSE = {
  /** The session was revoked or expired: sign in again; reconnecting will not help. */
  sessionEnded: 4401,
} as const;

/**
 * The `code` of an `error` frame, and whether resending the same frame may succeed. When the failing
 * frame was a `send`, the error carries its clientMessageId so the widget can mark that message at once.
 */
export const widgetSocketErrors = {
  /** Not JSON, or not a frame this protocol knows. */
  bad_frame: { retryable: false },
  /** A well-formed frame with unacceptable content (e.g. empty text, longer than WIDGET_MAX_TEXT). */
  validation_failed: { retryable: false },
  /** What the frame refers to no longer exists (e.g. the inbox was removed). */
  not_found: { retryable: false },
  /** Too many frames in a short time; resend after a pause. */
  rate_limited: { retryable: true },
  /** The server failed while handling the frame; nothing was stored, resending is safe. */
  internal: { retryable: true },
} as const satisfies Record<string, { retryable: boolean }>;
export type WidgetSocketErrorCode = keyof typeof widgetSocketErrors;

/** Most messages one `history` frame carries; `hasMore` says to sync again after its last message. */
export const WIDGET_SYNC_LIMIT = 200;

/** client → server */
export type WidgetClientFrame =
  | { type: 'send'; clientMessageId: string; text: string }
  /** Call the shop from the browser (WidgetConfig.voiceCalls): the offer's SDP must carry PCMU or PCMA. */
  | { type: 'call.start'; sdp: string }
  | { type: 'call.hangup' }
  /** Ask for the messages after `after` (a message id, or null for all), oldest first, in pages. */
  | { type: 'sync'; after: string | null }
  | { type: 'ping' };

/** server → client */
export type WidgetServerFrame =
  | { type: 'ready'; visitorId: string; conversationId: string | null }
  | {
      type: 'ack';
      clientMessageId: string;
      message: WidgetMessage;
      conversationId: string;
      duplicate: boolean;
    }
  | { type: 'message'; conversationId: string; message: WidgetMessage }
  /**
   * A bot answer being written: `text` is the whole draft so far (show it in place of the previous
   * draft with the same `draftId`; ignore a lower `seq`). The stored answer arrives later as a `message`
   * whose id is `draftId` and replaces it, possibly with a different text; a draft never followed by its
   * message (the turn was abandoned) should be dropped after a while.
   */
  | { type: 'draft'; conversationId: string; draftId: string; seq: number; text: string }
  /** `hasMore`: the reply was capped at WIDGET_SYNC_LIMIT; sync again after the last message. */
  | { type: 'history'; conversationId: string | null; messages: WidgetMessage[]; hasMore: boolean }
  | { type: 'error'; code: WidgetSocketErrorCode; detail: string; clientMessageId?: string }
  /**
   * The customer's place in line for a human: `position` 1 = next; `waitMinutes` the estimate (null: no
   * estimate, nobody available yet). `position: null` = no longer waiting (picked up, or overflowed).
   */
  | { type: 'queue'; conversationId: string; position: number | null; waitMinutes: number | null }
  /** The server's SDP answer to `call.start`: media flows once ICE connects. */
  | { type: 'call.answer'; callId: string; sdp: string }
  /** Who the caller is talking to now ('bot', 'queued' = waiting for a person, 'agent'). */
  | { type: 'call.state'; callId: string; state: LiveCallState }
  | { type: 'call.ended'; callId: string; reason: string }
  | { type: 'call.error'; code: CallErrorCode; detail: string; callId?: string }
  | { type: 'pong' };

// ── Browser calls (widget call button and console softphone), over the two sockets above ─────────────
/** Longest SDP a call frame may carry (a browser's offer is a few kilobytes). */
export const CALL_MAX_SDP = 20_000;
/** Where a live call stands, as the softphone and the widget show it. */
export type LiveCallState = 'ringing' | 'bot' | 'queued' | 'agent' | 'ended';
/**
 * `bad_offer`: the SDP is unusable (no G.711 audio); `not_found`: no such live call (ended, or another
 * workspace's); `conflict`: someone else answered, or this socket already has a call; `unavailable`: calls
 * are not enabled here; `internal`: the server failed, trying again may work.
 */
export type CallErrorCode =
  | 'bad_offer'
  | 'not_found'
  | 'conflict'
  | 'unavailable'
  | 'forbidden'
  | 'invalid'
  | 'internal';
/**
 * How an agent's call-back goes: 'dialling' (the line is being called), 'ringing' (the phone rings), then
 * one outcome: 'answered' (bridged; `call.state` frames follow), 'busy', 'no_answer', 'rejected', 'failed'.
 */
export type CallbackProgress =
  | 'dialling'
  | 'ringing'
  | 'answered'
  | 'busy'
  | 'no_answer'
  | 'rejected'
  | 'failed';

export interface CallTranscriptLine {
  seq: number;
  speaker: 'caller' | 'bot' | 'agent';
  text: string;
  startMs: number;
  endMs: number;
}

/** Console → server frames of the softphone; `callId` is the live call's id from `call.offered`. */
export type ConsoleCallFrame =
  /** Answer a waiting call with the agent's microphone: the server replies `call.answer`. */
  | { type: 'call.answer'; callId: string; sdp: string }
  | { type: 'call.mute'; callId: string; muted: boolean }
  | { type: 'call.hold'; callId: string; held: boolean }
  | { type: 'call.hangup'; callId: string }
  /** Hand the caller to another agent (they are offered it) or back to the voice bot. */
  | { type: 'call.transfer'; callId: string; to: { kind: 'agent'; userId: string } | { kind: 'bot' } }
  /**
   * Call a customer back (by the conversation the agent works in, or the customer's id) on one of their
   * known phones through a voice inbox: the server replies `call.answer` with the new call's id, then
   * `call.progress` frames until the outcome. `phone`/`inboxId` choose among the customer's and the
   * workspace's; absent, the first of each.
   */
  | {
      type: 'call.dial';
      target: { conversationId: string } | { customerId: string };
      phone?: string;
      inboxId?: string;
      sdp: string;
    };

// ── Console feed: WS /api/v1/console/ws (session cookie) ──────────────────────────────────────────────
/** Server → client frames, already filtered to the signed-in user's workspace. */
export type ConsoleServerFrame =
  | { type: 'ready'; userId: string }
  | { type: 'message.created'; conversationId: string; message: Message }
  /** A message changed after it was created: today, its delivery on a provider channel. */
  | { type: 'message.updated'; conversationId: string; message: Message }
  | { type: 'conversation.updated'; conversation: Conversation }
  /** A routing rule asked for this user (named, or as a supervisor) to hear about a conversation. */
  | { type: 'routing.notified'; conversation: Conversation; ruleName: string | null }
  /** A waiting conversation offered to `userId` (the console pops it for that agent, with a countdown). */
  | {
      type: 'offer';
      offer: {
        id: string;
        conversationId: string;
        userId: string;
        queueId: string | null;
        expiresAt: string;
      };
    }
  /** The offer is over without this agent picking up (declined, expired, taken by someone else). */
  | {
      type: 'offer.withdrawn';
      offerId: string;
      conversationId: string;
      userId: string;
      reason: 'declined' | 'expired' | 'picked_up_elsewhere';
    }
  /** Nobody picked up in time: shown to supervisors. */
  | { type: 'queue.pickup_missed'; conversationId: string; userId: string; queueId: string | null }
  | { type: 'agent.status'; userId: string; status: 'online' | 'away' | 'offline' }
  /** A ticket's SLA target is 75 % used (to its assignee) or breached (to it and to supervisors). */
  | {
      type: 'ticket.sla';
      alert: 'warning' | 'breached';
      ticketId: string;
      metric: 'first_response' | 'next_response' | 'resolution';
      dueAt: string;
    }
  /** A colleague @mentioned this user in a ticket's internal note (sent to the mentioned only). */
  | {
      type: 'ticket.mentioned';
      ticketId: string;
      ticketNumber: string;
      entryId: string;
      /** Who wrote the note (a user id), when a person did. */
      authorId: string | null;
    }
  /** Reply suggestions for a customer message in a conversation people hold (agent assist). */
  | {
      type: 'suggestions';
      conversationId: string;
      messageId: string;
      suggestions: Suggestion[];
      /** From the customer message's event reaching the server process to the suggestions being sent. */
      latencyMs: number;
    }
  /**
   * A call waits for a person (the bot handed off, or an agent transferred it): the softphone rings with
   * the caller and the hand-off card of `conversationId`. `toUserId`: offered to this agent alone.
   */
  | {
      type: 'call.offered';
      call: { callId: string; conversationId: string; from: string; transport: 'sip' | 'webrtc' };
      toUserId: string | null;
    }
  | {
      type: 'call.state';
      callId: string;
      conversationId: string;
      state: LiveCallState;
      agentId: string | null;
    }
  /** The SDP answer to this socket's `call.answer` or `call.dial`: the agent's audio flows once ICE connects. */
  | { type: 'call.answer'; callId: string; sdp: string; conversationId?: string }
  /** Where this socket's call-back stands (see CallbackProgress). */
  | { type: 'call.progress'; callId: string; progress: CallbackProgress }
  /** A finished line of the live transcript (caller, bot or agent), in order of `seq`. */
  | { type: 'call.transcript'; callId: string; conversationId: string; line: CallTranscriptLine }
  /** Agent assist on a call: reply suggestions for what the caller just said (transcript line `seq`). */
  | {
      type: 'call.suggestions';
      callId: string;
      conversationId: string;
      seq: number;
      suggestions: Suggestion[];
    }
  | { type: 'call.error'; code: CallErrorCode; detail: string; callId?: string }
  | { type: 'pong' };

/** `activity`: the agent used the console (typed, clicked); sent at most every 30 s; keeps them online. */
export type ConsoleClientFrame = { type: 'ping' } | { type: 'activity' } | ConsoleCallFrame;
