// The call endpoints the console calls (spread into createZhikeApi, where every path lives).
import type {
  CallDetail,
  CallList,
  CallState,
  SpeechSettings,
  SpeechSettingsBody,
  VoiceUsage,
} from '@zhike/contracts';
import type { HttpClient } from '../api/http.ts';

export interface CallListFilter {
  state?: CallState;
  conversationId?: string;
}

export const callEndpoints = (http: HttpClient) => ({
  listCalls: (filter: CallListFilter & { before?: string; limit?: number }, signal?: AbortSignal) =>
    http.request<CallList>('GET', '/api/v1/calls', { query: { ...filter }, signal }),
  getCall: (id: string, signal?: AbortSignal) =>
    http.request<CallDetail>('GET', `/api/v1/calls/${encodeURIComponent(id)}`, { signal }),
  getSpeechSettings: () => http.request<SpeechSettings>('GET', '/api/v1/voice/speech-settings'),
  saveSpeechSettings: (body: SpeechSettingsBody) =>
    http.request<SpeechSettings>('PUT', '/api/v1/voice/speech-settings', { body }),
  getVoiceUsage: (range: { from: string; to: string }, signal?: AbortSignal) =>
    http.request<VoiceUsage>('GET', '/api/v1/voice/usage', { query: { ...range }, signal }),
});

/** Same-origin URL of a call's recording: the session cookie authorises it, so an <audio> element can stream it. */
export const recordingUrl = (callId: string) => `/api/v1/calls/${encodeURIComponent(callId)}/recording`;
