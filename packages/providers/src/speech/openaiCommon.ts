// What the OpenAI-compatible speech adapters share: where the endpoints are and how languages are named.

/** `{baseUrl}/v1/audio/…`; a base URL that already ends in /v1 (as many servers document it) is accepted. */
export function openaiAudioUrl(baseUrl: string, endpoint: 'transcriptions' | 'speech'): string {
  const base = baseUrl.replace(/\/+$/, '');
  return `${/\/v1$/.test(base) ? base : `${base}/v1`}/audio/${endpoint}`;
}

/**
 * ISO-639-1 (what Whisper-style servers take) from our BCP-47 tags; Cantonese stays 'yue', which
 * Whisper large-v3 and SenseVoice know. Sichuanese has no code of its own there: it is Chinese.
 */
export function isoLanguage(language: string): string {
  const tag = language.toLowerCase();
  if (tag === 'yue' || tag === 'zh-yue' || tag === 'zh-hk' || tag === 'zh-mo') return 'yue';
  return tag.split('-')[0]!;
}

export function bearer(apiKey: string | undefined): Record<string, string> {
  return apiKey ? { authorization: `Bearer ${apiKey}` } : {};
}
