// @zhike/nlu public surface. Each component is importable alone; lines are grouped by owner module.

export {
  type ClusterItem,
  type ClusterOptions,
  clusterQuestions,
  cosineSimilarity,
  DEFAULT_CLUSTER_THRESHOLD,
  type QuestionCluster,
} from './cluster.ts';
export {
  createDialectRewriter,
  DIALECT_LEXICON,
  DIALECTS,
  type Dialect,
  type DialectEntry,
  type DialectEvidence,
  type DialectLexicon,
  type MandarinForm,
  toMandarin,
} from './dialect/index.ts';
// Numerals, entities, language, urgency, FAQ retrieval, LLM assist.
export {
  type Currency,
  createEntityExtractor,
  type DateTimeValue,
  type DateValue,
  DEFAULT_ORDER_NUMBER_PATTERN,
  type Entity,
  type EntityExtractor,
  type EntityExtractorConfig,
  type EntityType,
  type LocationValue,
  type MoneyValue,
  type ProductRecord,
  type QuantityValue,
} from './entities/index.ts';
export {
  buildOutOfScopeSplit,
  type ClassificationReport,
  type CommandIo,
  DatasetError,
  type EvaluationReport,
  evaluateModel,
  formatOutOfScopeReport,
  type LabelMetrics,
  measureOutOfScope,
  measureThroughput,
  type OutOfScopeReport,
  type OutOfScopeSplit,
  type OutOfScopeSplitOptions,
  parseJsonl,
  readJsonl,
  runEvalCommand,
  scoreClassification,
  trainAndEvaluate,
} from './eval/index.ts';
export {
  createFaqIndex,
  type FaqAnswer,
  type FaqCalibration,
  type FaqEntry,
  type FaqHit,
  type FaqIndex,
  type FaqIndexOptions,
} from './faq/index.ts';
export { createFeaturiser, type Featuriser, type FeaturiserOptions } from './features/index.ts';
export * from './intent/index.ts';
export {
  detectLanguage,
  LANGUAGES,
  type Language,
  type LanguageGuess,
  type LanguageVariety,
} from './language/index.ts';
export * from './llm/index.ts';
export { type NormaliseOptions, normalise } from './normalise/index.ts';
export { parseChineseNumber, replaceChineseNumerals } from './normalise/numerals.ts';
export {
  analyseSentiment,
  createSentimentAnalyser,
  type Polarity,
  type SentimentAnalyser,
  type SentimentAnalysis,
} from './sentiment/index.ts';
export { runSteps, runStepsSliced, type Steps } from './steps.ts';
export { createTokeniser, type Tokeniser, type TokeniserOptions } from './tokenise/index.ts';
export * from './topics/index.ts';
export { detectUrgency, type Urgency, type UrgencyLevel, type UrgencySignal } from './urgency/index.ts';
