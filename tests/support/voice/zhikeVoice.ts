// A Zhike app in this process with its SIP user agent on (free SIP port and RTP range on loopback),
// signed in as the demo shop's owner, with typed helpers for what voice tests do through the HTTP API:
// choose the ASR, add a SIP voice inbox (and make the user agent take it at once), follow a call's
// conversation and read the stored call.
import type { CallDetail, CallList } from '@zhike/contracts';
import { createTestApp, type TestApp, type TestSession } from '../../../apps/server/src/testing.ts';
import { freePortBlock } from './ports.js';

export interface VoiceApp {
  readonly t: TestApp;
  readonly owner: TestSession;
  /** host:port of its SIP user agent. */
  readonly sipAddress: string;
  api<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown): Promise<T>;
  /** ASR through an OpenAI-compatible server (the ASR double's baseUrl); TTS stays espeak-ng. */
  useOpenAiAsr(baseUrl: string, apiKey: string): Promise<void>;
  /** Adds a `sip-voice` inbox and reloads the user agent's inboxes; returns the inbox id. */
  addSipInbox(name: string, config: Record<string, unknown>): Promise<string>;
  calls(): Promise<CallList['calls']>;
  call(id: string): Promise<CallDetail>;
  /** Customer and bot messages of a conversation, oldest first. */
  messages(conversationId: string): Promise<Array<{ author: string; text: string }>>;
  /** The stored recording as the console fetches it. */
  recording(callId: string): Promise<{ status: number; type: string; bytes: Buffer }>;
  close(): Promise<void>;
}

/** Polls `probe` until it returns a value other than undefined; the last error explains a timeout. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: not within ${timeoutMs} ms${last ? ` (last error: ${(last as Error).message})` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function startVoiceApp(env: Record<string, string> = {}): Promise<VoiceApp> {
  const ports = await freePortBlock(60);
  const t = await createTestApp('sqlite', {
    env: {
      ZHIKE_SIP_PORT: String(ports.sip),
      ZHIKE_SIP_HOST: '127.0.0.1',
      ZHIKE_RTP_PORTS: `${ports.rtpLow}-${ports.rtpHigh}`,
      // The ASR double listens on loopback, which provider adapters may reach only when allowed.
      ZHIKE_CHANNEL_ALLOW_HOSTS: '127.0.0.1',
      ...env,
    },
  });
  const sip = t.app.zhike.voice.sip;
  if (!sip) {
    await t.close();
    throw new Error('the app started without its SIP user agent');
  }
  const owner = await t.login();
  const api = async <T>(method: string, url: string, payload?: unknown): Promise<T> => {
    const res = await t.app.inject({
      method: method as 'GET',
      url,
      headers: owner.headers,
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json() as T;
  };
  return {
    t,
    owner,
    sipAddress: `127.0.0.1:${sip.address.port}`,
    api,
    async useOpenAiAsr(baseUrl, apiKey) {
      await api('PUT', '/api/v1/voice/speech-settings', {
        settings: {
          asr: { provider: 'openai', baseUrl, model: 'whisper-1' },
          tts: { provider: 'espeak-ng' },
        },
        secrets: { 'asr.apiKey': apiKey },
      });
    },
    async addSipInbox(name, config) {
      const inbox = await api<{ id: string }>('POST', '/api/v1/inboxes', {
        name,
        adapter: 'sip-voice',
        config,
      });
      await sip.reload();
      return inbox.id;
    },
    async calls() {
      return (await api<CallList>('GET', '/api/v1/calls')).calls;
    },
    call: (id) => api<CallDetail>('GET', `/api/v1/calls/${id}`),
    async messages(conversationId) {
      const list = await api<{ messages: Array<{ author: string; text: string }> }>(
        'GET',
        `/api/v1/conversations/${conversationId}/messages?limit=100`,
      );
      return list.messages;
    },
    async recording(callId) {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/v1/calls/${callId}/recording`,
        headers: owner.headers,
      });
      return {
        status: res.statusCode,
        type: String(res.headers['content-type'] ?? ''),
        bytes: res.rawPayload,
      };
    },
    close: () => t.close(),
  };
}
