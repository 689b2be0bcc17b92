// Cost metering and the monthly budget (issue 12): what each billable unit cost this month at the
// workspace's prices, the budget's alerts and hard cap.
import Type from 'typebox';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const CostUnit = Type.Union([
  Type.Literal('bot_interaction'),
  Type.Literal('llm_token'),
  Type.Literal('translation_character'),
  Type.Literal('call_minute'),
  Type.Literal('asr_second'),
  Type.Literal('tts_character'),
  Type.Literal('sms_segment'),
  Type.Literal('email'),
]);

const Price = Type.Number({ minimum: 0, maximum: 1000, description: 'Yuan per unit' });

export const Budget = Type.Object({
  monthlyYuan: Nullable(Type.Number({ minimum: 0, maximum: 100_000_000 })),
  hardCap: Type.Boolean(),
  prices: Type.Object(
    {
      bot_interaction: Type.Optional(Price),
      llm_token: Type.Optional(Price),
      translation_character: Type.Optional(Price),
      call_minute: Type.Optional(Price),
      asr_second: Type.Optional(Price),
      tts_character: Type.Optional(Price),
      sms_segment: Type.Optional(Price),
      email: Type.Optional(Price),
    },
    { additionalProperties: false },
  ),
  agentCostPerConversationYuan: Type.Number({
    minimum: 0,
    maximum: 100_000,
    description: 'What one conversation handled by a person costs, for the estimated savings',
  }),
});
export type Budget = Type.Static<typeof Budget>;

export const BudgetBody = Type.Object(
  {
    /** null removes the budget (no alerts, no cap). */
    monthlyYuan: Nullable(Type.Number({ minimum: 0, maximum: 100_000_000 })),
    hardCap: Type.Boolean(),
    prices: Type.Optional(Budget.properties.prices),
    agentCostPerConversationYuan: Type.Optional(Budget.properties.agentCostPerConversationYuan),
  },
  { additionalProperties: false },
);
export type BudgetBody = Type.Static<typeof BudgetBody>;

export const CostSummaryQuery = Type.Object(
  { month: Type.Optional(Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$' })) },
  { additionalProperties: false },
);

export const CostSummary = Type.Object({
  month: Type.String(),
  currency: Type.Literal('CNY'),
  budget: Budget,
  spentYuan: Type.Number(),
  /** Percent of the budget spent; null without a budget. */
  percent: Nullable(Type.Number()),
  /** Alert thresholds reached this month (50, 80, 100). */
  reached: Type.Array(Type.Integer()),
  /** True when the hard cap holds: LLM calls are off until next month. */
  capped: Type.Boolean(),
  units: Type.Array(
    Type.Object({ unit: CostUnit, quantity: Type.Integer(), costYuan: Type.Number(), price: Type.Number() }),
  ),
  days: Type.Array(Type.Object({ day: Type.String(), costYuan: Type.Number() })),
  /** Conversations resolved this month, by the bot alone and in all. */
  resolved: Type.Integer(),
  botResolved: Type.Integer(),
  /** Spend over resolved conversations; null when none was resolved. */
  costPerResolutionYuan: Nullable(Type.Number()),
  /** Bot-only resolutions at the agent cost per conversation, less the month's spend. */
  estimatedSavingsYuan: Type.Number(),
});
export type CostSummary = Type.Static<typeof CostSummary>;
