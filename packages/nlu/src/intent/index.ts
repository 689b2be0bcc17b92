export {
  INTENT_MODEL_VERSION,
  type IntentExample,
  type IntentModel,
  type IntentModelJson,
  type IntentPrediction,
  type IntentRank,
  intentModelFromJSON,
  OOS_LABEL,
  type OutOfScopeRule,
  type TrainIntentOptions,
  trainIntentModel,
} from './model.ts';
