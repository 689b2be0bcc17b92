// The topic and emotion report endpoints the console calls (spread into createZhikeApi, where every path lives).
import type { EmotionQuery, EmotionTrend, TopicReport, TopicsQuery } from '@zhike/contracts';
import type { HttpClient } from '../api/http.ts';

export const topicEndpoints = (http: HttpClient) => ({
  getTopics: (query: TopicsQuery, signal?: AbortSignal) =>
    http.request<TopicReport>('GET', '/api/v1/analytics/topics', { query: { ...query }, signal }),
  getEmotion: (query: EmotionQuery, signal?: AbortSignal) =>
    http.request<EmotionTrend>('GET', '/api/v1/analytics/emotion', { query: { ...query }, signal }),
});
