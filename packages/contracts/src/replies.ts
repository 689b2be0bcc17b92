// Reply templates (canned replies, issue 7): the shop's wording agents insert with `/shortcut`, and the
// preview that fills a template's variables for one conversation.
import Type from 'typebox';
import { Id, Locale, Timestamp } from './common.ts';

const closed = { additionalProperties: false } as const;
const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const ReplyShortcut = Type.String({
  pattern: '^/?[A-Za-z0-9_-]{1,32}$',
  maxLength: 33,
  description: 'Typed after `/` in the reply box; stored lower-case, unique among live templates',
});
const IntentId = Type.String({ minLength: 1, maxLength: 64 });
/** A variable name as it appears between `{{` and `}}` (`order.number`). */
const VariableName = Type.String({ minLength: 1, maxLength: 100 });

export const ReplyTemplateBody = Type.Object(
  {
    shortcut: ReplyShortcut,
    title: Type.String({ minLength: 1, maxLength: 80 }),
    body: Type.String({ minLength: 1, maxLength: 2000 }),
    intents: Type.Array(IntentId, {
      maxItems: 50,
      description: 'Intent ids of the bot template it answers; empty = any',
    }),
    compliance: Type.Boolean({ description: 'Pinned and highlighted when its intent matches' }),
    locale: Locale,
  },
  closed,
);
export type ReplyTemplateBody = Type.Static<typeof ReplyTemplateBody>;

export const ReplyTemplate = Type.Object({
  id: Id,
  shortcut: Type.String(),
  title: Type.String(),
  body: Type.String(),
  intents: Type.Array(Type.String()),
  compliance: Type.Boolean(),
  locale: Locale,
  /** The industry template (`retail/zh-CN`) it came from while nobody edited it; null for the shop's own. */
  source: Nullable(Type.String()),
  createdBy: Nullable(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  archivedAt: Nullable(Timestamp),
});
export type ReplyTemplate = Type.Static<typeof ReplyTemplate>;

export const ReplyTemplateList = Type.Object({ templates: Type.Array(ReplyTemplate) });
export type ReplyTemplateList = Type.Static<typeof ReplyTemplateList>;

export const ReplyTemplateListQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({ maxLength: 100, description: 'Shortcut (with or without `/`), title or body words' }),
    ),
    includeArchived: Type.Optional(Type.Boolean({ default: false })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  closed,
);
export type ReplyTemplateListQuery = Type.Static<typeof ReplyTemplateListQuery>;

export const ReplyPreviewBody = Type.Union([
  Type.Object({ templateId: Id }, closed),
  Type.Object({ body: Type.String({ minLength: 1, maxLength: 2000 }) }, closed),
]);
export type ReplyPreviewBody = Type.Static<typeof ReplyPreviewBody>;

export const ReplyPreview = Type.Object({
  /** The body with what could be filled; what could not stays as written (`{{order.number}}`). */
  text: Type.String(),
  /** Variables left for the agent to complete, each once, in order of appearance. */
  missing: Type.Array(VariableName),
  /**
   * The customer's personal data (`customer.name`): left as written here, since agents see it masked, and
   * filled by the server when the message is sent (dropped, with the space before it, when unknown).
   */
  deferred: Type.Array(VariableName),
  /** The order the variables were filled from, and whether the customer named it or it is their latest. */
  order: Nullable(
    Type.Object({
      number: Type.String(),
      source: Type.Union([Type.Literal('dialogue'), Type.Literal('latest')]),
    }),
  ),
});
export type ReplyPreview = Type.Static<typeof ReplyPreview>;

/** What a template may name: the reply variables and the shop's own, and the bot's intents to pick from. */
export const ReplyTemplateOptions = Type.Object({
  variables: Type.Array(Type.Object({ key: VariableName, label: Nullable(Type.String()) })),
  intents: Type.Array(Type.Object({ id: IntentId, label: Type.String() })),
});
export type ReplyTemplateOptions = Type.Static<typeof ReplyTemplateOptions>;
