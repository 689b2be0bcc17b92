import { createHash, createHmac } from 'node:crypto';
import { pcm16ToBytes } from '@zhike/voice';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../testSupport/localServer.ts';
import { type LocalServer, plainFetch, startLocalServer } from '../testSupport/localServer.ts';
import { createTencentTts } from './tencentTts.ts';

const SECRETS: Record<string, string> = { AKIDtts: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE' };

/** TC3-HMAC-SHA256 as Tencent's API 3.0 documentation describes it, written apart from the adapter. */
function verifyTc3(req: RecordedRequest): string | undefined {
  const auth =
    /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([a-z]+)\/tc3_request, SignedHeaders=([a-z;-]+), Signature=([0-9a-f]{64})$/.exec(
      String(req.headers.authorization),
    );
  if (!auth) return 'AuthFailure.InvalidAuthorization';
  const [, secretId, date, service, signedHeaders, signature] = auth;
  const secret = SECRETS[secretId!];
  if (!secret) return 'AuthFailure.SecretIdNotFound';
  const timestamp = Number(req.headers['x-tc-timestamp']);
  if (new Date(timestamp * 1000).toISOString().slice(0, 10) !== date)
    return 'AuthFailure.InvalidAuthorization';
  const canonicalHeaders = signedHeaders!
    .split(';')
    .map((name) => `${name}:${String(req.headers[name]).trim().toLowerCase()}\n`)
    .join('');
  const canonical = `POST\n/\n\n${canonicalHeaders}\n${signedHeaders}\n${createHash('sha256').update(req.body).digest('hex')}`;
  const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${date}/${service}/tc3_request\n${createHash('sha256').update(canonical).digest('hex')}`;
  const kDate = createHmac('sha256', `TC3${secret}`).update(date!).digest();
  const kService = createHmac('sha256', kDate).update(service!).digest();
  const kSigning = createHmac('sha256', kService).update('tc3_request').digest();
  const expected = createHmac('sha256', kSigning).update(toSign).digest('hex');
  return expected === signature ? undefined : 'AuthFailure.SignatureFailure';
}

describe('Tencent Cloud TTS (TextToVoice)', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startLocalServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const failure = verifyTc3(req);
      if (failure) {
        res.end(
          JSON.stringify({
            Response: { Error: { Code: failure, Message: 'signature mismatch' }, RequestId: 'r1' },
          }),
        );
        return;
      }
      const body = JSON.parse(req.body.toString()) as { Text: string };
      if (body.Text === '坏') {
        res.end(
          JSON.stringify({
            Response: {
              Error: { Code: 'InvalidParameterValue.VoiceType', Message: 'bad voice' },
              RequestId: 'r2',
            },
          }),
        );
        return;
      }
      const audio = pcm16ToBytes(Int16Array.from([100, -100, body.Text.length]));
      res.end(
        JSON.stringify({ Response: { Audio: audio.toString('base64'), SessionId: 's', RequestId: 'r3' } }),
      );
    });
  });
  afterAll(() => server.close());

  const make = (secretKey: string) =>
    createTencentTts({
      secretId: 'AKIDtts',
      secretKey,
      baseUrl: server.url,
      sampleRate: 8000,
      voices: { yue: '101019' },
      fetch: plainFetch,
    });

  it('signs TextToVoice with TC3-HMAC-SHA256 and decodes the base64 PCM', async () => {
    const audio = await make(SECRETS.AKIDtts!).synthesize('您好，欢迎致电', { language: 'zh-CN', rate: 1.2 });
    expect(audio).toEqual({ samples: Int16Array.from([100, -100, 7]), sampleRate: 8000 });
    const request = server.requests.at(-1)!;
    expect(request.headers['x-tc-action']).toBe('TextToVoice');
    expect(request.headers['x-tc-version']).toBe('2019-08-23');
    expect(request.headers['x-tc-region']).toBe('ap-guangzhou');
    const body = JSON.parse(request.body.toString());
    expect(body).toMatchObject({
      Text: '您好，欢迎致电',
      VoiceType: 101001,
      Codec: 'pcm',
      SampleRate: 8000,
      Speed: 1,
      PrimaryLanguage: 1,
    });
    expect(body.SessionId).toMatch(/^[0-9a-f-]{36}$/);
    await make(SECRETS.AKIDtts!).synthesize('轉人工', { language: 'zh-HK' });
    expect(JSON.parse(server.requests.at(-1)!.body.toString()).VoiceType).toBe(101019);
  });

  it('splits text longer than 150 characters into requests and joins their audio', async () => {
    const before = server.requests.length;
    const text = `${'您的订单已经发货了，'.repeat(12)}。${'预计明天送达。'.repeat(8)}`;
    const audio = await make(SECRETS.AKIDtts!).synthesize(text);
    const sent = server.requests.slice(before).map((r) => JSON.parse(r.body.toString()).Text as string);
    expect(sent.length).toBe(2);
    expect(sent.join('')).toBe(text);
    for (const piece of sent) expect(piece.length).toBeLessThanOrEqual(150);
    expect(Array.from(audio.samples)).toEqual([100, -100, sent[0]!.length, 100, -100, sent[1]!.length]);
  });

  it('a wrong secret fails as an auth error; other API errors carry their code', async () => {
    await expect(make('wrong-secret').synthesize('您好')).rejects.toMatchObject({
      code: 'auth',
      message: expect.stringContaining('AuthFailure.SignatureFailure'),
    });
    await expect(make(SECRETS.AKIDtts!).synthesize('坏')).rejects.toMatchObject({
      code: 'provider',
      message: expect.stringContaining('InvalidParameterValue.VoiceType'),
    });
    await expect(make(SECRETS.AKIDtts!).synthesize('x'.repeat(3001))).rejects.toMatchObject({
      code: 'config',
    });
  });
});
