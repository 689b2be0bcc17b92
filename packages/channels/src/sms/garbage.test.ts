// Whatever reaches a hook URL, the SMS adapters' verifyInbound answers true or false and never throws,
// and parseInbound either reads it or throws InboundParseError (the server's 400), nothing else.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type AdapterContext, type InboundHttpRequest, InboundParseError } from '../adapter.ts';
import { adapterFor } from '../registry.ts';

const token = 'cb_token_0123456789abcdefghij';
const configs = {
  'aliyun-sms': {
    accessKeyId: 'id',
    accessKeySecret: 's',
    signName: 'n',
    templateCode: 'SMS_1',
    templateVariable: 'content',
    callbackToken: token,
  },
  'tencent-sms': {
    secretId: 'id',
    secretKey: 's',
    smsSdkAppId: '1400000000',
    signName: 'n',
    templateId: '1',
    callbackToken: token,
  },
  'twilio-sms': { accountSid: `AC${'0'.repeat(32)}`, authToken: 'a'.repeat(32), from: '+14155550100' },
} as const;

const bodies = [
  Buffer.alloc(0),
  Buffer.from('\u0000\uffff'),
  Buffer.from('%E0%A4%A'),
  Buffer.from('[[[[[[[[[['),
  Buffer.from('{"__proto__":{"x":1}}'),
  Buffer.from('[{"phone_number":{},"content":[],"sequence_id":{}}]'),
  Buffer.from('[{"success":"yes","biz_id":5}]'),
  Buffer.from('{"mobile":13800138000,"nationcode":"86","text":"hi","time":"soon"}'),
  Buffer.from('MessageSid=SM1&MessageStatus=__proto__'),
  Buffer.from('MessageSid=SM1&From=%2B&Body=%ZZ'),
];

function* requests(): Generator<InboundHttpRequest> {
  for (const rawBody of [...bodies, ...Array.from({ length: 20 }, () => randomBytes(64))]) {
    for (const url of ['https://h/hooks/x', `https://h/hooks/x?token=${token}`, 'not a url', '']) {
      yield {
        method: 'POST',
        url,
        headers: {
          'x-twilio-signature': rawBody.toString('base64').slice(0, 28),
          'content-type': 'text/plain',
        },
        query: url.includes('token') ? { token } : {},
        rawBody,
      };
    }
  }
}

describe('SMS adapters on garbage', () => {
  for (const [id, config] of Object.entries(configs)) {
    const adapter = adapterFor(id)!;
    it(`${id} never throws from verifyInbound and only InboundParseError from parseInbound`, async () => {
      const ctx: AdapterContext<Record<string, string>> = {
        config,
        http: () => Promise.reject(new Error('no network in this test')),
        now: () => new Date(),
      };
      let parsed = 0;
      for (const request of requests()) {
        const verdict = await adapter.verifyInbound?.(ctx, request);
        expect(typeof verdict).toBe('boolean');
        try {
          const result = await adapter.parseInbound?.(ctx, request);
          for (const event of result?.events ?? []) {
            if (event.kind === 'status')
              expect(['queued', 'sent', 'delivered', 'read', 'failed']).toContain(event.status);
            else expect(event.identity.value).toMatch(/^\+[1-9]\d{6,14}$/);
          }
          parsed += 1;
        } catch (error) {
          expect(error).toBeInstanceOf(InboundParseError);
        }
      }
      expect(parsed).toBeLessThan(30 * 4);
    });
  }
});
