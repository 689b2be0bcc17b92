// The dialogue editor (issue 4): the owner's overrides of the template's intents and forms, the effective
// dialogue they give, and its versions.
import Type from 'typebox';
import { Id, Locale, Timestamp } from './common.ts';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const strict = { additionalProperties: false } as const;

const Name = Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$' });
const Text = Type.String({ maxLength: 4000 });
const Example = Type.String({ maxLength: 200 });
const Examples = Type.Array(Example, { maxItems: 200 });

export const DialogueHandler = Type.Union([
  Type.Object(
    {
      type: Type.Literal('action'),
      action: Type.Union([
        Type.Literal('order.lookup'),
        Type.Literal('ticket.lookup'),
        Type.Literal('ticket.create'),
        Type.Literal('callback.create'),
      ]),
      slots: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 4 })),
      reply: Type.Optional(Text),
      verify: Type.Optional(Type.Literal('phone_last4')),
    },
    strict,
  ),
  Type.Object({ type: Type.Literal('form'), form: Name }, strict),
  Type.Object(
    {
      type: Type.Literal('handoff'),
      reason: Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$' }),
      priority: Type.Optional(Type.Union([Type.Literal('normal'), Type.Literal('high')])),
    },
    strict,
  ),
  Type.Object({ type: Type.Literal('reply'), text: Text }, strict),
]);
export type DialogueHandler = Type.Static<typeof DialogueHandler>;

export const DialogueOverrides = Type.Object(
  {
    intents: Type.Optional(
      Type.Record(
        Name,
        Type.Object(
          {
            enabled: Type.Optional(Type.Boolean()),
            addExamples: Type.Optional(Examples),
            removeExamples: Type.Optional(Examples),
            handler: Type.Optional(DialogueHandler),
          },
          strict,
        ),
        { maxProperties: 200 },
      ),
    ),
    customIntents: Type.Optional(
      Type.Array(
        Type.Object(
          {
            name: Type.String({ maxLength: 64 }),
            label: Type.Optional(Type.String({ minLength: 1, maxLength: 16 })),
            description: Type.Optional(Type.String({ maxLength: 200 })),
            enabled: Type.Optional(Type.Boolean()),
            examples: Examples,
            handler: DialogueHandler,
          },
          strict,
        ),
        { maxItems: 100 },
      ),
    ),
    forms: Type.Optional(
      Type.Record(
        Name,
        Type.Object(
          {
            slots: Type.Optional(
              Type.Record(
                Name,
                Type.Object({ prompt: Type.Optional(Text), optional: Type.Optional(Type.Boolean()) }, strict),
                { maxProperties: 20 },
              ),
            ),
            policy: Type.Optional(Text),
            confirm: Type.Optional(Text),
            done: Type.Optional(Text),
          },
          strict,
        ),
        { maxProperties: 50 },
      ),
    ),
  },
  strict,
);
export type DialogueOverrides = Type.Static<typeof DialogueOverrides>;

export const SaveDialogueBody = Type.Object(
  {
    baseVersion: Type.Integer({ minimum: 0, description: 'The version the edit started from' }),
    overrides: DialogueOverrides,
  },
  strict,
);
export type SaveDialogueBody = Type.Static<typeof SaveDialogueBody>;

const Origin = Type.Union([Type.Literal('template'), Type.Literal('overridden'), Type.Literal('custom')]);

export const DialogueIntentView = Type.Object({
  name: Type.String(),
  label: Nullable(
    Type.String({
      description: 'Short name people see; null = none (description or first example stand in)',
    }),
  ),
  description: Nullable(Type.String()),
  origin: Origin,
  enabled: Type.Boolean(),
  examples: Type.Array(Type.String()),
  handler: DialogueHandler,
});
export type DialogueIntentView = Type.Static<typeof DialogueIntentView>;

export const DialogueFormView = Type.Object({
  id: Type.String(),
  origin: Origin,
  slots: Type.Array(
    Type.Object({
      name: Type.String(),
      entity: Nullable(Type.String()),
      prompt: Type.String(),
      optional: Type.Boolean(),
    }),
  ),
  policy: Nullable(Type.String()),
  confirm: Nullable(Type.String()),
  done: Type.String(),
  submit: Type.Object({
    action: Type.Union([Type.Literal('ticket.create'), Type.Literal('callback.create')]),
    ticketType: Type.Optional(Type.String()),
  }),
});
export type DialogueFormView = Type.Static<typeof DialogueFormView>;

export const DialogueView = Type.Object({
  templateId: Type.String(),
  locale: Locale,
  /** 0 while the template runs unchanged. */
  version: Type.Integer(),
  overrides: DialogueOverrides,
  intents: Type.Array(DialogueIntentView),
  forms: Type.Array(DialogueFormView),
  /** What each action's reply template may name, besides the shop's variables and customer fields. */
  actionPlaceholders: Type.Record(Type.String(), Type.Array(Type.String())),
  variables: Type.Array(Type.String()),
});
export type DialogueView = Type.Static<typeof DialogueView>;

export const DialogueVersionSummary = Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  templateId: Type.String(),
  locale: Type.String(),
  authorUserId: Nullable(Type.String()),
  restoredFrom: Nullable(Type.Integer()),
  createdAt: Timestamp,
});
export type DialogueVersionSummary = Type.Static<typeof DialogueVersionSummary>;

export const DialogueVersionList = Type.Object({ versions: Type.Array(DialogueVersionSummary) });
export type DialogueVersionList = Type.Static<typeof DialogueVersionList>;

export const DialogueVersionParams = Type.Object({ versionId: Id }, strict);
