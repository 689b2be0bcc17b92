// The web chat widget's HTTP bootstrap and its WebSocket protocol.
//
// 1. GET  /api/v1/widget/config?inbox=<widgetToken>          → WidgetConfig
// 2. POST /api/v1/widget/sessions {inbox, visitorToken?}      → WidgetSession (new or resumed visitor + history)
// 3. WS   /api/v1/widget/ws?inbox=<widgetToken>&visitorToken=<token>
//    client → server: WidgetClientFrame; server → client: WidgetServerFrame (both in protocol.ts,
//    with the socket's error codes and close codes).
// The browser's Origin must be in the inbox's allowedOrigins (when that list is not empty) for all three.
// A send is acknowledged only after the message is durably stored; resending the same clientMessageId
// (e.g. after a reconnect) returns the original message with duplicate=true and stores nothing new.
import Type from 'typebox';
import { Id, Locale, Timestamp } from './common.ts';
import { Attachment, MessageAuthor } from './conversations.ts';

export const WidgetConfigQuery = Type.Object(
  { inbox: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);
export const WidgetConfig = Type.Object({
  inboxId: Id,
  name: Type.String({ description: 'Shop / inbox display name' }),
  greeting: Type.Union([Type.String(), Type.Null()]),
  locale: Locale,
  /** The workspace takes calls: the widget shows its call button (WebRTC, frames `call.*`). */
  voiceCalls: Type.Boolean(),
});
export type WidgetConfig = Type.Static<typeof WidgetConfig>;

/**
 * Who the shop says its signed-in visitor is. `signature` = hex HMAC-SHA256, keyed with the inbox's
 * identity verification secret, over the canonical string of the other fields (README: signed widget
 * identity). Signed: the identities are verified; unsigned: only suggestions; wrongly signed: 401.
 */
export const WidgetIdentity = Type.Object(
  {
    externalId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    phone: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    email: Type.Optional(Type.String({ minLength: 3, maxLength: 254 })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    signature: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F]{64}$' })),
  },
  { additionalProperties: false },
);
export type WidgetIdentity = Type.Static<typeof WidgetIdentity>;

export const WidgetSessionBody = Type.Object(
  {
    inbox: Type.String({ minLength: 1, maxLength: 100 }),
    visitorToken: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    name: Type.Optional(Type.String({ maxLength: 200 })),
    identity: Type.Optional(WidgetIdentity),
  },
  { additionalProperties: false },
);
export type WidgetSessionBody = Type.Static<typeof WidgetSessionBody>;

export const WidgetMessage = Type.Object({
  id: Id,
  author: MessageAuthor,
  authorName: Type.Union([Type.String(), Type.Null()]),
  text: Type.String(),
  createdAt: Timestamp,
  clientMessageId: Type.Union([Type.String(), Type.Null()]),
  /** Uploaded files (photos); download them from /api/v1/widget/attachments/:id. */
  attachments: Type.Optional(Type.Array(Attachment)),
});
export type WidgetMessage = Type.Static<typeof WidgetMessage>;

export const WidgetSession = Type.Object({
  visitorId: Id,
  /** Signed; keep it in localStorage. An unknown or forged token yields a new visitor. */
  visitorToken: Type.String(),
  conversationId: Type.Union([Id, Type.Null()]),
  messages: Type.Array(WidgetMessage, { description: 'Latest messages, oldest first' }),
});
export type WidgetSession = Type.Static<typeof WidgetSession>;

export const WidgetWsQuery = Type.Object(
  {
    inbox: Type.String({ minLength: 1, maxLength: 100 }),
    visitorToken: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);
