// A tiny provider channel for tests: an adapter speaking a made-up but honest protocol (HMAC-SHA256
// signatures over the public URL and the raw body, JSON events, a bearer-token send API), and a local
// HTTP server playing the provider (records sends, fails on demand, checks the token). It proves the
// server's channel plumbing before any real vendor is plugged in. It is NOT in the production registry:
// tests pass it to createApp through `channelAdapters`.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type ChannelAdapter,
  type DeliveryState,
  type InboundEvent,
  type InboundHttpRequest,
  InboundParseError,
  PermanentSendFailure,
} from '@zhike/channels';
import Type from 'typebox';

export const FAKE_SIGNATURE_HEADER = 'x-fake-signature';

export const FakeChannelConfig = Type.Object({
  apiUrl: Type.String({ pattern: '^https?://' }),
  signingSecret: Type.String({ minLength: 8 }),
  apiToken: Type.String({ minLength: 8 }),
  sender: Type.Optional(Type.String({ maxLength: 32 })),
});
export type FakeChannelConfig = Type.Static<typeof FakeChannelConfig>;

/** What the provider signs: the URL it called and the exact body bytes. */
export function fakeSignature(secret: string, url: string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(url).update('\n').update(body).digest('hex');
}

const states = new Set<DeliveryState>(['queued', 'sent', 'delivered', 'read', 'failed']);

function parseEvent(raw: unknown): InboundEvent {
  if (!raw || typeof raw !== 'object') throw new InboundParseError('an event must be an object');
  const e = raw as Record<string, unknown>;
  const str = (key: string) => {
    const v = e[key];
    if (typeof v !== 'string' || v.length === 0) throw new InboundParseError(`${key} must be a string`);
    return v;
  };
  if (e.type === 'status') {
    const status = str('status') as DeliveryState;
    if (!states.has(status)) throw new InboundParseError('unknown status');
    return {
      kind: 'status',
      providerMessageId: str('id'),
      status,
      ...(typeof e.error === 'string' ? { error: e.error } : {}),
    };
  }
  if (e.type !== 'message') throw new InboundParseError('unknown event type');
  const refs = Array.isArray(e.refs) ? e.refs.filter((r): r is string => typeof r === 'string') : undefined;
  const files = Array.isArray(e.attachments) ? e.attachments : [];
  return {
    kind: 'message',
    providerMessageId: str('id'),
    identity: { kind: 'phone', value: str('from'), verified: true },
    ...(typeof e.name === 'string' ? { profile: { name: e.name } } : {}),
    text: typeof e.text === 'string' ? e.text : '',
    ...(refs ? { threadRefs: refs } : {}),
    ...(e.meta && typeof e.meta === 'object' ? { meta: e.meta as Record<string, string> } : {}),
    attachments: files.map((f) => {
      const file = f as Record<string, unknown>;
      if (typeof file.base64 !== 'string') throw new InboundParseError('attachment without content');
      return {
        name: typeof file.name === 'string' ? file.name : 'file',
        mimeType: typeof file.mimeType === 'string' ? file.mimeType : 'application/octet-stream',
        content: Buffer.from(file.base64, 'base64'),
      };
    }),
  };
}

export function fakeChannelAdapter(
  options: { id?: string; passiveReply?: boolean; maxTextLength?: number } = {},
): ChannelAdapter<FakeChannelConfig> {
  const verify = (secret: string, request: InboundHttpRequest) => {
    const given = request.headers[FAKE_SIGNATURE_HEADER];
    if (!given || !/^[0-9a-f]{64}$/.test(given)) return false;
    const expected = Buffer.from(fakeSignature(secret, request.url, request.rawBody), 'hex');
    return timingSafeEqual(expected, Buffer.from(given, 'hex'));
  };
  return {
    id: options.id ?? 'fake-channel',
    channel: 'sms',
    configSchema: FakeChannelConfig,
    secretFields: ['signingSecret', 'apiToken'],
    capabilities: {
      maxTextLength: options.maxTextLength ?? 160,
      attachments: true,
      deliveryStatus: true,
      passiveReply: options.passiveReply ?? false,
    },
    verifyInbound: (ctx, request) => verify(ctx.config.signingSecret, request),
    answerChallenge: (_ctx, request) =>
      request.query.echo ? { status: 200, contentType: 'text/plain', body: request.query.echo } : null,
    parseInbound(_ctx, request) {
      let body: unknown;
      try {
        body = JSON.parse(request.rawBody.toString('utf8'));
      } catch {
        throw new InboundParseError('the body is not JSON');
      }
      const list =
        body && typeof body === 'object' && Array.isArray((body as { events?: unknown }).events)
          ? (body as { events: unknown[] }).events
          : [body];
      return {
        events: list.map(parseEvent),
        answer: { status: 200, contentType: 'application/json', body: '{"ok":true}' },
      };
    },
    passiveReply: (_ctx, _request, event, reply) => ({
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({ replyTo: event.providerMessageId, text: reply.text }),
    }),
    async send(ctx, message) {
      const res = await ctx.http(`${ctx.config.apiUrl}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ctx.config.apiToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          from: ctx.config.sender ?? null,
          to: message.to,
          text: message.text,
          idempotencyKey: message.idempotencyKey,
          files: (message.attachments ?? []).map((a) => ({ name: a.name, size: a.content.length })),
          threadMeta: message.threadMeta ?? null,
        }),
      });
      const answer = (await res.json().catch(() => ({}))) as { id?: string; error?: string };
      if (res.status >= 400 && res.status < 500)
        throw new PermanentSendFailure(answer.error ?? `provider refused with ${res.status}`);
      if (!res.ok || !answer.id) throw new Error(answer.error ?? `provider answered ${res.status}`);
      return {
        providerMessageId: answer.id,
        status: 'sent',
        meta: { messageId: `<${answer.id}@fake.test>` },
      };
    },
  };
}

export interface FakeSend {
  id: string;
  to: string;
  text: string;
  idempotencyKey: string;
  files: { name: string; size: number }[];
  threadMeta: Record<string, string> | null;
}

/** The provider's side: a local HTTP server that takes sends with the right token. */
export interface FakeProvider {
  url: string;
  apiToken: string;
  sends: FakeSend[];
  /** The next `n` sends answer 503 (retryable). */
  failNext(n: number): void;
  /** The next send answers 400 (a permanent refusal: bad number). */
  refuseNext(): void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeProvider(apiToken = 'fake-api-token-123'): Promise<FakeProvider> {
  let failing = 0;
  let refusing = 0;
  let seq = 0;
  const sends: FakeSend[] = [];
  const seen = new Map<string, string>();
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const answer = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    };
    if (req.method !== 'POST' || req.url !== '/messages') return answer(404, { error: 'no such API' });
    if (req.headers.authorization !== `Bearer ${apiToken}`) return answer(401, { error: 'bad token' });
    if (failing > 0) {
      failing--;
      return answer(503, { error: 'provider busy' });
    }
    if (refusing > 0) {
      refusing--;
      return answer(400, { error: 'invalid recipient' });
    }
    const send = JSON.parse(body) as Omit<FakeSend, 'id'>;
    // Like real providers with idempotency keys: a retried send gets the first one's id.
    const earlier = seen.get(send.idempotencyKey);
    if (earlier) return answer(200, { id: earlier });
    const id = `fake-${++seq}`;
    seen.set(send.idempotencyKey, id);
    sends.push({ ...send, id });
    return answer(200, { id });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    apiToken,
    sends,
    failNext: (n) => {
      failing = n;
    },
    refuseNext: () => {
      refusing = 1;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A signed request from the fake provider to an inbox's hook (path + query as the app sees it). */
export function fakeHookRequest(
  publicUrl: string,
  hookPath: string,
  signingSecret: string,
  event: Record<string, unknown>,
): { method: 'POST'; url: string; headers: Record<string, string>; payload: string } {
  const payload = JSON.stringify(event);
  return {
    method: 'POST',
    url: hookPath,
    headers: {
      'content-type': 'application/json',
      [FAKE_SIGNATURE_HEADER]: fakeSignature(signingSecret, `${publicUrl}${hookPath}`, payload),
    },
    payload,
  };
}

/** The fake adapter's fixture for the channel contract (tests/support/channelContract.ts). */
export function fakeChannelFixture(adapter = fakeChannelAdapter()) {
  const signingSecret = 'fake-signing-secret-42';
  const customer = '+8613800138000';
  return {
    adapterId: adapter.id,
    extraAdapters: [adapter],
    async startProvider() {
      const provider = await startFakeProvider();
      const signed = (hook: { publicUrl: string; path: string }, event: Record<string, unknown>) =>
        fakeHookRequest(hook.publicUrl, hook.path, signingSecret, event);
      return {
        config: { apiUrl: provider.url, signingSecret, apiToken: provider.apiToken },
        allowHost: '127.0.0.1',
        inboundMessage: (
          hook: { publicUrl: string; path: string },
          m: { providerMessageId: string; text: string },
        ) => signed(hook, { type: 'message', id: m.providerMessageId, from: customer, text: m.text }),
        badlySigned: (
          hook: { publicUrl: string; path: string },
          m: { providerMessageId: string; text: string },
        ) => {
          const request = fakeHookRequest(hook.publicUrl, hook.path, 'not-the-secret', {
            type: 'message',
            id: m.providerMessageId,
            from: customer,
            text: m.text,
          });
          return request;
        },
        deliveredReport: (hook: { publicUrl: string; path: string }, providerMessageId: string) =>
          signed(hook, { type: 'status', id: providerMessageId, status: 'delivered' }),
        sentIds: () => provider.sends.map((s) => s.id),
        failNextSends: (n: number) => provider.failNext(n),
        close: () => provider.close(),
      };
    },
  };
}
