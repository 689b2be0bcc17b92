import type { TrainIntentOptions } from '../intent/model.ts';

/** Chosen on a dev split of waimai10k-sentiment train: stronger regularisation than intents need. */
export const SENTIMENT_TRAINING_OPTIONS: TrainIntentOptions = {
  minDf: 2,
  svm: { c: 0.1, maxEpochs: 10 },
  calibrationFolds: 3,
  rankingSize: 2,
  // Polarity has no out-of-scope answer: the probability itself carries the uncertainty.
  maxInScopeLoss: 0,
};
