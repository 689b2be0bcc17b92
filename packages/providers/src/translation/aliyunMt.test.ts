import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type LocalServer,
  plainFetch,
  type RecordedRequest,
  startLocalServer,
} from '../speech/testSupport/localServer.ts';
import { createAliyunMt } from './aliyunMt.ts';

const ACCESS_KEYS: Record<string, string> = { LTAImt: 'mtSecret' };

const encode = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** POP RPC signature v1 of a POSTed form, recomputed as Alibaba Cloud documents it. */
function verifyPop(req: RecordedRequest): { error?: string; params: Record<string, string> } {
  const params = Object.fromEntries(new URLSearchParams(req.body.toString()));
  const { Signature: signature, ...rest } = params;
  const secret = ACCESS_KEYS[rest.AccessKeyId ?? ''];
  if (!secret) return { error: 'InvalidAccessKeyId.NotFound', params: rest };
  const query = Object.keys(rest)
    .sort()
    .map((k) => `${encode(k)}=${encode(rest[k]!)}`)
    .join('&');
  const expected = createHmac('sha1', `${secret}&`)
    .update(`POST&%2F&${encode(query)}`)
    .digest('base64');
  if (signature !== expected) return { error: 'SignatureDoesNotMatch', params: rest };
  if (rest.SignatureMethod !== 'HMAC-SHA1' || rest.SignatureVersion !== '1.0' || !rest.SignatureNonce)
    return { error: 'IncompleteSignature', params: rest };
  return { params: rest };
}

const PAIRS_WITH_CHINESE_ONLY = new Set(['yue', 'zh-tw']);

describe('Alibaba Cloud machine translation (TranslateGeneral)', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startLocalServer((req, res) => {
      const { error, params } = verifyPop(req);
      if (error) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            RequestId: 'r',
            HostId: 'mt.aliyuncs.com',
            Code: error,
            Message: 'Specified signature is not matched with our calculation.',
          }),
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      const answer = (body: unknown) => {
        res.end(JSON.stringify(body));
      };
      if (
        params.Action !== 'TranslateGeneral' ||
        params.Version !== '2018-10-12' ||
        params.FormatType !== 'text' ||
        params.Scene !== 'general'
      )
        return answer({ Code: 10004, Message: 'bad parameter', RequestId: 'r' });
      const source = params.SourceLanguage!;
      const target = params.TargetLanguage!;
      if (
        (PAIRS_WITH_CHINESE_ONLY.has(source) && target !== 'zh') ||
        (PAIRS_WITH_CHINESE_ONLY.has(target) && source !== 'zh')
      )
        return answer({ Code: 10005, Message: 'language pair not supported', RequestId: 'r' });
      if (params.SourceText === '欠费') return answer({ Code: 10013, Message: 'arrears', RequestId: 'r' });
      const text = params.SourceText!;
      return answer({
        Code: 200,
        Message: 'success',
        RequestId: 'r',
        Data: {
          Translated: `${target}(${text})`,
          WordCount: String([...text].length),
          ...(source === 'auto' ? { DetectedLanguage: 'en' } : {}),
        },
      });
    });
  });
  afterAll(() => server.close());

  const make = (secret = ACCESS_KEYS.LTAImt!) =>
    createAliyunMt({
      accessKeyId: 'LTAImt',
      accessKeySecret: secret,
      baseUrl: server.url,
      fetch: plainFetch,
    });

  it('POSTs a POP-signed TranslateGeneral form per text and sums WordCount', async () => {
    const before = server.requests.length;
    const result = await make().translate({ texts: ['你好', '我的订单在哪里'], from: 'zh-Hans', to: 'en' });
    expect(result).toEqual({ texts: ['en(你好)', 'en(我的订单在哪里)'], provider: 'aliyun', characters: 9 });
    const sent = server.requests.slice(before);
    expect(sent).toHaveLength(2);
    expect(sent[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(sent[0]!.body.toString()))).toMatchObject({
      Action: 'TranslateGeneral',
      Format: 'JSON',
      FormatType: 'text',
      Scene: 'general',
      SourceLanguage: 'zh',
      TargetLanguage: 'en',
      Version: '2018-10-12',
    });
  });

  it('translates Cantonese directly from simplified Chinese and through it from English', async () => {
    const direct = await make().translate({ texts: ['谢谢'], from: 'zh-Hans', to: 'yue' });
    expect(direct).toMatchObject({ texts: ['yue(谢谢)'], characters: 2 });
    const before = server.requests.length;
    const pivoted = await make().translate({ texts: ['thanks'], from: 'en', to: 'yue' });
    expect(pivoted).toMatchObject({ texts: ['yue(zh(thanks))'], characters: 6 + 10 });
    const legs = server.requests
      .slice(before)
      .map((r) => new URLSearchParams(r.body.toString()))
      .map((p) => `${p.get('SourceLanguage')}>${p.get('TargetLanguage')}`);
    expect(legs).toEqual(['en>zh', 'zh>yue']);
    const detected = await make().translate({ texts: ['hello'], from: 'auto', to: 'zh-Hant' });
    expect(detected).toMatchObject({ texts: ['zh-tw(zh(hello))'], detected: 'en' });
  });

  it('a wrong secret is an auth error; business codes map onto error codes', async () => {
    await expect(
      make('wrong').translate({ texts: ['你好'], from: 'zh-Hans', to: 'en' }),
    ).rejects.toMatchObject({
      code: 'auth',
      status: 400,
    });
    await expect(make().translate({ texts: ['欠费'], from: 'zh-Hans', to: 'en' })).rejects.toMatchObject({
      code: 'quota',
      vendorCode: '10013',
    });
  });
});
