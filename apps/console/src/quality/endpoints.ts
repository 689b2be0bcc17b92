// The quality inspection endpoints the console calls (spread into createZhikeApi, where every path lives).
import type {
  QualityAppealView,
  QualityResultDetail,
  QualityResultView,
  QualityReviewItem,
  QualityReviewView,
  QualityRulesetBody,
  QualityRulesetView,
  QualityScorecards,
} from '@zhike/contracts';
import type { HttpClient } from '../api/http.ts';

const v1 = '/api/v1/quality';
const enc = encodeURIComponent;

export interface ResultFilter {
  from?: string;
  to?: string;
  agentId?: string;
  subject?: 'conversation' | 'call';
  maxScore?: number;
  ruleId?: string;
  before?: string;
  limit?: number;
}

export type AppealDecision =
  | { decision: 'accepted'; score: number; note?: string | null }
  | { decision: 'rejected'; note?: string | null };

export const qualityEndpoints = (http: HttpClient) => ({
  getQualityRuleset: (signal?: AbortSignal) =>
    http.request<QualityRulesetView>('GET', `${v1}/ruleset`, { signal }),
  saveQualityRuleset: (body: QualityRulesetBody) =>
    http.request<QualityRulesetView>('PUT', `${v1}/ruleset`, { body }),
  listQualityResults: (filter: ResultFilter, signal?: AbortSignal) =>
    http.request<{ results: QualityResultView[] }>('GET', `${v1}/results`, { query: { ...filter }, signal }),
  getQualityResult: (id: string, signal?: AbortSignal) =>
    http.request<QualityResultDetail>('GET', `${v1}/results/${enc(id)}`, { signal }),
  getQualityScorecards: (range: { from?: string; to?: string }, signal?: AbortSignal) =>
    http.request<QualityScorecards>('GET', `${v1}/scorecards`, { query: { ...range }, signal }),
  listQualityReviews: (status: 'pending' | 'done', signal?: AbortSignal) =>
    http.request<{ reviews: QualityReviewItem[] }>('GET', `${v1}/reviews`, { query: { status }, signal }),
  submitQualityReview: (id: string, body: { score: number; comment?: string | null }) =>
    http.request<QualityReviewView>('POST', `${v1}/reviews/${enc(id)}`, { body }),
  listQualityAppeals: (status: 'pending' | 'accepted' | 'rejected' | undefined, signal?: AbortSignal) =>
    http.request<{ appeals: QualityAppealView[] }>('GET', `${v1}/appeals`, {
      query: status ? { status } : {},
      signal,
    }),
  appealQualityResult: (resultId: string, reason: string) =>
    http.request<QualityAppealView>('POST', `${v1}/results/${enc(resultId)}/appeals`, { body: { reason } }),
  decideQualityAppeal: (id: string, body: AppealDecision) =>
    http.request<QualityAppealView>('POST', `${v1}/appeals/${enc(id)}/decision`, { body }),
});
