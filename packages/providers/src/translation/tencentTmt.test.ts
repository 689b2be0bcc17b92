import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type LocalServer,
  plainFetch,
  type RecordedRequest,
  startLocalServer,
} from '../speech/testSupport/localServer.ts';
import { createTencentTmt } from './tencentTmt.ts';
import type { TranslationUsage } from './translator.ts';

const SECRETS: Record<string, string> = { AKIDtmt: 'tmtSecretKeyEXAMPLE' };
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** TC3-HMAC-SHA256 recomputed as Tencent Cloud's API 3.0 documentation describes it. */
function verifyTc3(req: RecordedRequest): string | undefined {
  const auth =
    /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([a-z]+)\/tc3_request, SignedHeaders=([a-z;-]+), Signature=([0-9a-f]{64})$/.exec(
      String(req.headers.authorization),
    );
  if (!auth) return 'AuthFailure.InvalidAuthorization';
  const [, secretId, date, service, signedHeaders, signature] = auth;
  const secret = SECRETS[secretId!];
  if (!secret) return 'AuthFailure.SecretIdNotFound';
  if (service !== 'tmt') return 'AuthFailure.InvalidAuthorization';
  const timestamp = Number(req.headers['x-tc-timestamp']);
  if (new Date(timestamp * 1000).toISOString().slice(0, 10) !== date)
    return 'AuthFailure.InvalidAuthorization';
  const headerLines = signedHeaders!
    .split(';')
    .map((name) => `${name}:${String(req.headers[name]).trim().toLowerCase()}\n`)
    .join('');
  const canonical = ['POST', '/', '', headerLines, signedHeaders, sha256(req.body)].join('\n');
  const toSign = [
    'TC3-HMAC-SHA256',
    String(timestamp),
    `${date}/${service}/tc3_request`,
    sha256(canonical),
  ].join('\n');
  const kDate = createHmac('sha256', `TC3${secret}`).update(date!).digest();
  const kService = createHmac('sha256', kDate).update(service!).digest();
  const kSigning = createHmac('sha256', kService).update('tc3_request').digest();
  const expected = createHmac('sha256', kSigning).update(toSign).digest('hex');
  return expected === signature ? undefined : 'AuthFailure.SignatureFailure';
}

interface BatchBody {
  Source: string;
  Target: string;
  ProjectId: number;
  SourceTextList: string[];
}

describe('Tencent Cloud TMT (TextTranslateBatch)', () => {
  let server: LocalServer;
  const usage: TranslationUsage[] = [];
  beforeAll(async () => {
    server = await startLocalServer((req, res) => {
      // Tencent answers errors with HTTP 200 and Response.Error.
      res.writeHead(200, { 'content-type': 'application/json' });
      const fail = (Code: string, Message: string) => {
        res.end(JSON.stringify({ Response: { Error: { Code, Message }, RequestId: 'r-err' } }));
      };
      const failure = verifyTc3(req);
      if (failure) return fail(failure, 'The provided credentials could not be validated.');
      if (req.headers['x-tc-action'] !== 'TextTranslateBatch' || req.headers['x-tc-version'] !== '2018-03-21')
        return fail('InvalidAction', 'no such action');
      const body = JSON.parse(req.body.toString()) as BatchBody;
      const codes = ['auto', 'zh', 'zh-TW', 'en', 'ja', 'ko', 'vi', 'th', 'ms', 'id', 'ru'];
      if (!codes.includes(body.Source) || !codes.includes(body.Target))
        return fail('UnsupportedOperation.UnsupportedLanguage', 'unsupported language');
      const first = body.SourceTextList[0] ?? '';
      if (first === '额度') return fail('FailedOperation.NoFreeAmount', 'free amount used up');
      if (first === '限流') return fail('LimitExceeded.LimitedAccessFrequency', 'too frequent');
      if (first === '超时') return fail('InternalError.BackendTimeout', 'backend timeout');
      res.end(
        JSON.stringify({
          Response: {
            Source: body.Source === 'auto' ? 'zh' : body.Source,
            Target: body.Target,
            TargetTextList: body.SourceTextList.map((t) => `${body.Target}(${t})`),
            RequestId: 'r-ok',
          },
        }),
      );
    });
  });
  afterAll(() => server.close());

  const make = (secretKey = SECRETS.AKIDtmt!) =>
    createTencentTmt({
      secretId: 'AKIDtmt',
      secretKey,
      baseUrl: server.url,
      fetch: plainFetch,
      onUsage: (u) => usage.push(u),
    });

  it('signs TextTranslateBatch with TC3-HMAC-SHA256 and reads TargetTextList', async () => {
    const result = await make().translate({ texts: ['你好', '谢谢'], from: 'zh-Hans', to: 'en' });
    expect(result).toEqual({ texts: ['en(你好)', 'en(谢谢)'], provider: 'tencent', characters: 4 });
    const request = server.requests.at(-1)!;
    expect(request.headers['x-tc-region']).toBe('ap-guangzhou');
    expect(request.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(request.body.toString())).toEqual({
      Source: 'zh',
      Target: 'en',
      ProjectId: 0,
      SourceTextList: ['你好', '谢谢'],
    });
    expect(usage.at(-1)).toEqual({ provider: 'tencent', from: 'zh-Hans', to: 'en', texts: 2, characters: 4 });
  });

  it('maps Cantonese to zh-TW and reports the detected source with auto', async () => {
    const result = await make().translate({ texts: ['thanks'], from: 'auto', to: 'yue' });
    expect(result).toMatchObject({ texts: ['zh-TW(thanks)'], detected: 'zh-Hans' });
    expect(JSON.parse(server.requests.at(-1)!.body.toString())).toMatchObject({
      Source: 'auto',
      Target: 'zh-TW',
    });
  });

  it('splits a batch over 2,000 characters into several signed requests', async () => {
    const before = server.requests.length;
    const texts = Array.from({ length: 5 }, (_, i) => `${i}${'长'.repeat(599)}`);
    const result = await make().translate({ texts, from: 'zh-Hans', to: 'ja' });
    expect(result.texts).toEqual(texts.map((t) => `ja(${t})`));
    const sent = server.requests
      .slice(before)
      .map((r) => (JSON.parse(r.body.toString()) as BatchBody).SourceTextList);
    expect(sent.map((list) => list.length)).toEqual([3, 2]);
  });

  it('a wrong secret is an auth error; quota, rate and backend errors keep their vendor code', async () => {
    await expect(
      make('wrong').translate({ texts: ['你好'], from: 'zh-Hans', to: 'en' }),
    ).rejects.toMatchObject({
      code: 'auth',
      vendorCode: 'AuthFailure.SignatureFailure',
    });
    for (const [text, code] of [
      ['额度', 'quota'],
      ['限流', 'rate_limited'],
      ['超时', 'timeout'],
    ] as const)
      await expect(make().translate({ texts: [text], from: 'zh-Hans', to: 'en' })).rejects.toMatchObject({
        code,
      });
  });
});
