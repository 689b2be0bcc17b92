// @zhike/bot: the self-service bot's dialogue engine. Pure TypeScript on @zhike/nlu; the host supplies
// orders, tickets and callbacks through ports and stores the per-conversation state.

export { CARRIED_FACTS, carriedState } from './carryOver.ts';
export {
  BOT_INTENT_OPTIONS,
  buildRetrieval,
  type CompileBotOptions,
  type CompiledBot,
  type CompiledBotJson,
  checkTemplateIntents,
  compileBot,
  compileBotSliced,
  compiledBotFromJSON,
  DEFAULT_DECISION,
  type DecisionParameters,
  fillTemplate,
  type TargetDescription,
  templateVariableValues,
  trainingExamples,
} from './compile.ts';
export {
  combineReadings,
  HANDOFF_KINDS,
  HANDOFF_RULE_WEIGHT,
  type HandoffExample,
  type HandoffKind,
  type HandoffReading,
  learnedReading,
  rulesReading,
  trainHandoffModel,
} from './handoffReading.ts';
export { type BusinessHours, type BusinessHoursPeriod, isWithinBusinessHours } from './hours.ts';
export {
  type ArticlePassage,
  type KnowledgeArticleEntry,
  type KnowledgeBase,
  type KnowledgeFaqEntry,
  knowledgeFromTemplate,
  plainText,
  splitArticle,
} from './knowledge.ts';
export { OUT_OF_SCOPE_EXAMPLES } from './out-of-scope.ts';
export { summariseTurn, type TurnOutcome, type TurnSummary, turnOutcome } from './outcome.ts';
export {
  ACTION_PLACEHOLDERS,
  applyDialogueOverrides,
  type CustomIntent,
  checkDialogueOverrides,
  DIALOGUE_LIMITS,
  type DialogueOrigin,
  type DialogueOverrides,
  type EffectiveDialogue,
  type EffectiveForm,
  type EffectiveIntent,
  effectiveDialogue,
  type FormOverride,
  type IntentOverride,
  type OverrideProblem,
  type OverridesCheck,
  type SlotOverride,
} from './overrides.ts';
export type {
  BotTemplate,
  FormSlot,
  HandlerSpec,
  TemplateFaq,
  TemplateForm,
  TemplateIntent,
  TemplateVariable,
} from './template.ts';
export { INTENT_LABEL_MAX, intentDisplayName, intentLabelProblem } from './template.ts';
export {
  type BotPorts,
  type CustomerTicket,
  type CustomerTickets,
  type DialogueState,
  type Handoff,
  initialDialogueState,
  type KnowledgePassage,
  type Order,
  OrderLookupUnavailable,
  type PendingStep,
  type Reply,
  type ReplyKind,
  type TurnCustomer,
  type TurnInput,
  type TurnKnowledge,
  type TurnResult,
  type Understanding,
} from './types.ts';
export { type Analysis, type Candidate, type Retrieval, rankTargets } from './understand.ts';
