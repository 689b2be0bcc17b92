// The follow-up survey endpoints (spread into createZhikeApi).
import type { CsatSummaryView, SurveySettingsBody, SurveySettingsView } from '@zhike/contracts';
import type { HttpClient } from '../api/http.ts';

export const surveyEndpoints = (http: HttpClient) => ({
  surveySettings: (signal?: AbortSignal) =>
    http.request<SurveySettingsView>('GET', '/api/v1/surveys/settings', { signal }),
  saveSurveySettings: (body: SurveySettingsBody) =>
    http.request<SurveySettingsView>('PUT', '/api/v1/surveys/settings', { body }),
  csatSummary: (signal?: AbortSignal) =>
    http.request<CsatSummaryView>('GET', '/api/v1/surveys/summary', { signal }),
});
