import { createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { pcm16ToBytes } from '@zhike/voice';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { percentEncode } from '../../http/aliyunSigning.ts';
import {
  type LocalServer,
  plainFetch,
  type RecordedRequest,
  startLocalServer,
} from '../testSupport/localServer.ts';
import { createAliyunAsr } from './aliyunAsr.ts';
import { createAliyunTts } from './aliyunTts.ts';
import { createNlsTokenSource } from './nlsToken.ts';

interface NlsMessage {
  header: Record<string, string>;
  payload?: Record<string, unknown>;
}

const ACCESS_KEYS: Record<string, string> = { LTAItest: 'testsecret' };

/** POP RPC signature v1 checked as Alibaba Cloud documents it, written apart from the adapter. */
function verifyPop(req: RecordedRequest): string | undefined {
  const url = new URL(req.url, 'http://meta');
  const params = Object.fromEntries(url.searchParams);
  const { Signature: signature, ...rest } = params;
  const secret = ACCESS_KEYS[rest.AccessKeyId ?? ''];
  if (!secret) return 'InvalidAccessKeyId.NotFound';
  const enc = (s: string) =>
    encodeURIComponent(s)
      .replace(/!/g, '%21')
      .replace(/'/g, '%27')
      .replace(/\(/g, '%28')
      .replace(/\)/g, '%29')
      .replace(/\*/g, '%2A');
  const query = Object.keys(rest)
    .sort()
    .map((k) => `${enc(k)}=${enc(rest[k]!)}`)
    .join('&');
  const expected = createHmac('sha1', `${secret}&`)
    .update(`GET&%2F&${enc(query)}`)
    .digest('base64');
  if (signature !== expected) return 'SignatureDoesNotMatch';
  if (rest.Action !== 'CreateToken' || rest.Version !== '2019-02-28' || rest.SignatureMethod !== 'HMAC-SHA1')
    return 'InvalidParameter';
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(rest.Timestamp ?? '')) return 'InvalidTimeStamp.Format';
  return undefined;
}

describe('Aliyun intelligent speech interaction', () => {
  let meta: LocalServer;
  let gateway: LocalServer;
  const issued = new Set<string>();
  let tokenCount = 0;
  let expireTime = Math.floor(Date.now() / 1000) + 24 * 3600;
  const sessions: {
    headers: IncomingMessage['headers'];
    start?: NlsMessage;
    stop?: NlsMessage;
    audioBytes: number;
  }[] = [];

  beforeAll(async () => {
    meta = await startLocalServer((req, res) => {
      const failure = verifyPop(req);
      if (failure) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ Code: failure, Message: 'Specified signature is not matched', RequestId: 'r' }),
        );
        return;
      }
      const id = `token${++tokenCount}`;
      issued.add(id);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          Token: { UserId: '1', Id: id, ExpireTime: expireTime },
          RequestId: 'r',
          ErrMsg: '',
        }),
      );
    });
    gateway = await startLocalServer(
      (req, res) => {
        const body = JSON.parse(req.body.toString()) as {
          token: string;
          text: string;
          format: string;
          sample_rate: number;
        };
        if (
          req.url !== '/stream/v1/tts' ||
          !issued.has(body.token) ||
          req.headers['x-nls-token'] !== body.token
        ) {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              task_id: 'x',
              result: '',
              status: 40000001,
              message: 'Gateway:ACCESS_DENIED:token invalid',
            }),
          );
          return;
        }
        if (body.text === '坏') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              task_id: 'x',
              result: '',
              status: 40000002,
              message: 'Gateway:MESSAGE_INVALID',
            }),
          );
          return;
        }
        res.writeHead(200, { 'content-type': 'audio/x-pcm' });
        res.end(pcm16ToBytes(Int16Array.from([1, 2, body.text.length])));
      },
      { webSocket: true },
    );
    gateway.wss!.on('connection', (socket: WebSocket, req: IncomingMessage) => {
      const session: (typeof sessions)[number] = { headers: req.headers, audioBytes: 0 };
      sessions.push(session);
      const reply = (
        name: string,
        status: number,
        payload?: object,
        statusText = 'Gateway:SUCCESS:Success.',
      ) =>
        socket.send(
          JSON.stringify({
            header: {
              namespace: 'SpeechRecognizer',
              name,
              status,
              message_id: 'm'.repeat(32),
              task_id: session.start?.header?.task_id,
              status_text: statusText,
            },
            ...(payload ? { payload } : {}),
          }),
        );
      socket.on('message', (data: Buffer, isBinary: boolean) => {
        if (isBinary) {
          session.audioBytes += data.length;
          return;
        }
        const message = JSON.parse(data.toString()) as NlsMessage;
        if (message.header.name === 'StartRecognition') {
          session.start = message;
          if (!issued.has(String(req.headers['x-nls-token'])))
            reply('TaskFailed', 40000001, undefined, 'Gateway:ACCESS_DENIED:The token is invalid!');
          else reply('RecognitionStarted', 20000000);
        } else if (message.header.name === 'StopRecognition') {
          session.stop = message;
          reply('RecognitionCompleted', 20000000, {
            result: `收到${session.audioBytes}字节。`,
            duration: 1000,
          });
        }
      });
    });
  });
  afterAll(async () => {
    await meta.close();
    await gateway.close();
  });

  it('percent-encodes as RFC 3986 wants', () => {
    expect(percentEncode("a b*c~d!'()")).toBe('a%20b%2Ac~d%21%27%28%29');
    expect(percentEncode('2019-02-28T12:00:00Z')).toBe('2019-02-28T12%3A00%3A00Z');
  });

  it('gets a token with a POP-signed CreateToken, caches it until near expiry, and a wrong secret fails', async () => {
    let clock = Date.now();
    const tokens = createNlsTokenSource({
      accessKeyId: 'LTAItest',
      accessKeySecret: 'testsecret',
      metaUrl: meta.url,
      fetch: plainFetch,
      now: () => clock,
    });
    const before = tokenCount;
    const [a, b] = await Promise.all([tokens.token(), tokens.token()]);
    expect(a).toBe(b);
    expect(tokenCount).toBe(before + 1);
    expect(await tokens.token()).toBe(a);
    clock = expireTime * 1000 - 60_000;
    expect(await tokens.token()).not.toBe(a);
    expect(tokenCount).toBe(before + 2);

    const wrong = createNlsTokenSource({
      accessKeyId: 'LTAItest',
      accessKeySecret: 'not-it',
      metaUrl: meta.url,
      fetch: plainFetch,
    });
    await expect(wrong.token()).rejects.toMatchObject({ code: 'auth', status: 400 });
  });

  it('recognises over the NLS WebSocket with the token header, app key per language and PCM frames', async () => {
    expireTime = Math.floor(Date.now() / 1000) + 24 * 3600;
    const tokens = createNlsTokenSource({
      accessKeyId: 'LTAItest',
      accessKeySecret: 'testsecret',
      metaUrl: meta.url,
      fetch: plainFetch,
    });
    const asr = createAliyunAsr({
      appKey: 'mandarinKey',
      appKeys: { yue: 'cantoneseKey' },
      tokens,
      gatewayUrl: `ws://127.0.0.1:${gateway.port}/ws/v1`,
      speedup: 50,
    });
    const result = await asr.transcribe(
      { samples: new Int16Array(8000), sampleRate: 8000 },
      { language: 'zh-HK' },
    );
    expect(result).toEqual({ text: '收到32000字节。' });
    const session = sessions.at(-1)!;
    expect(issued.has(String(session.headers['x-nls-token']))).toBe(true);
    expect(session.start!.header).toMatchObject({
      namespace: 'SpeechRecognizer',
      name: 'StartRecognition',
      appkey: 'cantoneseKey',
    });
    expect(session.start!.header.task_id).toMatch(/^[0-9a-f]{32}$/);
    expect(session.start!.header.message_id).toMatch(/^[0-9a-f]{32}$/);
    expect(session.start!.payload).toMatchObject({
      format: 'pcm',
      sample_rate: 16000,
      enable_punctuation_prediction: true,
    });
    expect(session.stop!.header).toMatchObject({
      name: 'StopRecognition',
      task_id: session.start!.header.task_id,
    });
    expect(session.stop!.header.message_id).not.toBe(session.start!.header.message_id);
    await asr.transcribe({ samples: new Int16Array(800), sampleRate: 8000 }, { language: 'zh-CN' });
    expect(sessions.at(-1)!.start!.header.appkey).toBe('mandarinKey');
  });

  it('reports a refused token as an auth error and fetches a new token next time', async () => {
    let calls = 0;
    const tokens = {
      async token() {
        calls++;
        return calls === 1 ? 'forged' : 'forged-again';
      },
      invalidated: 0,
      invalidate() {
        this.invalidated++;
      },
    };
    const asr = createAliyunAsr({ appKey: 'k', tokens, gatewayUrl: `ws://127.0.0.1:${gateway.port}/ws/v1` });
    await expect(asr.transcribe({ samples: new Int16Array(800), sampleRate: 8000 })).rejects.toMatchObject({
      code: 'auth',
      message: expect.stringContaining('40000001'),
    });
    expect(tokens.invalidated).toBe(1);
  });

  it('synthesises PCM over /stream/v1/tts and maps JSON errors', async () => {
    const tokens = createNlsTokenSource({
      accessKeyId: 'LTAItest',
      accessKeySecret: 'testsecret',
      metaUrl: meta.url,
      fetch: plainFetch,
    });
    const tts = createAliyunTts({
      appKey: 'app',
      tokens,
      voices: { yue: 'shanshan' },
      sampleRate: 8000,
      gatewayUrl: gateway.url,
      fetch: plainFetch,
    });
    const audio = await tts.synthesize('您好', { language: 'zh-CN', rate: 2 });
    expect(audio).toEqual({ samples: Int16Array.from([1, 2, 2]), sampleRate: 8000 });
    const body = JSON.parse(gateway.requests.at(-1)!.body.toString());
    expect(body).toMatchObject({
      appkey: 'app',
      text: '您好',
      format: 'pcm',
      sample_rate: 8000,
      voice: 'xiaoyun',
      speech_rate: 250,
    });
    await tts.synthesize('轉人工', { language: 'yue' });
    expect(JSON.parse(gateway.requests.at(-1)!.body.toString()).voice).toBe('shanshan');
    await expect(tts.synthesize('坏')).rejects.toMatchObject({
      code: 'provider',
      message: expect.stringContaining('40000002'),
    });
    const forged = createAliyunTts({
      appKey: 'app',
      tokens: { token: async () => 'forged', invalidate: () => {} },
      gatewayUrl: gateway.url,
      fetch: plainFetch,
    });
    await expect(forged.synthesize('您好')).rejects.toMatchObject({ code: 'auth' });
  });
});
