// The dialogue editor's endpoints (spread into createZhikeApi, where every path lives).
import type { DialogueVersionList, DialogueView, SaveDialogueBody } from '@zhike/contracts';
import type { HttpClient } from '../api/http.ts';

const base = '/api/v1/bot/dialogue';

export const dialogueEndpoints = (http: HttpClient) => ({
  getDialogue: (signal?: AbortSignal) => http.request<DialogueView>('GET', base, { signal }),
  saveDialogue: (body: SaveDialogueBody) => http.request<DialogueView>('PUT', base, { body }),
  listDialogueVersions: (signal?: AbortSignal) =>
    http.request<DialogueVersionList>('GET', `${base}/versions`, { signal }),
  restoreDialogueVersion: (id: string) =>
    http.request<DialogueView>('POST', `${base}/versions/${encodeURIComponent(id)}/restore`),
});
