// Topic mining and customer emotion over a period's messages (pure: the server reads and unseals them).
export { type ClusterOptions, DEFAULT_CLUSTER_OPTIONS } from './cluster.ts';
export {
  ANGRY,
  type ConversationEmotion,
  type ConversationMood,
  type EmotionBucket,
  type EmotionReport,
  emotionReport,
  type ScoredMessage,
} from './emotion.ts';
export { groupKeyPhrases, type KeyPhrase, type KeyPhraseOptions } from './keyphrases.ts';
export {
  type MinedTopic,
  mineTopics,
  mineTopicsAsync,
  type TopicMessage,
  type TopicMiningOptions,
  type TopicModel,
} from './mine.ts';
export { type ClusterQuality, clusterQuality } from './quality.ts';
export { type RisingOptions, type TopicTrend, topicTrends, trendOf } from './rising.ts';
export { createTermExtractor, type MessageTerms, type TermExtractor } from './terms.ts';
