// The bot's settings (industry template, the owner's values, business hours) and the setup wizard.
import Type from 'typebox';
import { Locale, Timestamp } from './common.ts';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const TemplateId = Type.String({
  pattern: '^[a-z0-9][a-z0-9-]{0,63}$',
  description: 'templates/<id>',
});

export const TemplateVariable = Type.Object({
  key: Type.String(),
  label: Type.String(),
  default: Type.String(),
});
export type TemplateVariable = Type.Static<typeof TemplateVariable>;

/** One locale's file of a template: what the wizard shows in that language and the defaults it pre-fills. */
export const TemplateLocaleInfo = Type.Object({
  name: Type.String(),
  description: Type.String(),
  variables: Type.Array(TemplateVariable),
});
export type TemplateLocaleInfo = Type.Static<typeof TemplateLocaleInfo>;

export const TemplateSummary = Type.Object({
  id: TemplateId,
  faqCount: Type.Integer({ description: 'FAQ entries in the zh-CN file' }),
  intentCount: Type.Integer({ description: 'Dialogue intents (orders, forms, hand-offs, small talk)' }),
  locales: Type.Object({
    'zh-CN': Type.Optional(TemplateLocaleInfo),
    'en-US': Type.Optional(TemplateLocaleInfo),
  }),
});
export type TemplateSummary = Type.Static<typeof TemplateSummary>;

export const TemplateList = Type.Object({ templates: Type.Array(TemplateSummary) });
export type TemplateList = Type.Static<typeof TemplateList>;

const Clock = Type.String({
  pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$',
  description: 'HH:MM, or 24:00',
});

export const BusinessHoursPeriod = Type.Object(
  {
    days: Type.Array(Type.Integer({ minimum: 0, maximum: 6 }), {
      minItems: 1,
      maxItems: 7,
      uniqueItems: true,
      description: '0 = Sunday … 6 = Saturday',
    }),
    open: Clock,
    close: Type.String({ ...Clock, description: 'Before open = past midnight' }),
  },
  { additionalProperties: false },
);

export const BusinessHours = Type.Object(
  {
    timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA zone, e.g. Asia/Shanghai' }),
    periods: Type.Array(BusinessHoursPeriod, { maxItems: 14 }),
  },
  { additionalProperties: false },
);
export type BusinessHours = Type.Static<typeof BusinessHours>;

export const UpdateBotSettingsBody = Type.Object(
  {
    templateId: TemplateId,
    variables: Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 2000 }), {
      maxProperties: 64,
      description: "The template's declared keys only; a key left out keeps the template's default",
    }),
    businessHours: Nullable(BusinessHours),
    orderNumberPattern: Nullable(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'Regular expression of the shop’s order numbers',
      }),
    ),
    botEnabled: Type.Boolean({ description: 'false = every customer message goes to people' }),
  },
  { additionalProperties: false },
);
export type UpdateBotSettingsBody = Type.Static<typeof UpdateBotSettingsBody>;

export const SetupStatus = Type.Object({
  completed: Type.Boolean({ description: 'false = the console opens the setup wizard after sign-in' }),
  completedAt: Nullable(Timestamp),
  botEnabled: Type.Boolean(),
});
export type SetupStatus = Type.Static<typeof SetupStatus>;

export const BotSettingsView = Type.Object({
  /** false until the first save: templateId is null and the bot hands every message to people. */
  configured: Type.Boolean(),
  templateId: Nullable(TemplateId),
  locale: Locale,
  variables: Type.Record(Type.String(), Type.String()),
  businessHours: Nullable(BusinessHours),
  orderNumberPattern: Nullable(Type.String()),
  botEnabled: Type.Boolean(),
  version: Type.Integer({ description: 'Bumped by every save; the compiled bot is rebuilt for it' }),
  updatedAt: Nullable(Timestamp),
  setup: SetupStatus,
});
export type BotSettingsView = Type.Static<typeof BotSettingsView>;
