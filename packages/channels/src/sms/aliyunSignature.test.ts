import { describe, expect, it } from 'vitest';
import {
  aliyunCanonicalQuery,
  aliyunPercentEncode,
  aliyunSignature,
  aliyunStringToSign,
} from './aliyunSignature.ts';

// The worked example in Alibaba Cloud's "Signature mechanism" (RPC, SignatureVersion 1.0) pages:
// AccessKey testid / testsecret, DescribeRegions on 2016-02-23T12:46:24Z. The pages print the timestamp
// parameter both as "TimeStamp" (signature CT9X0Vtw…) and as "Timestamp" (OLeaidS1…); both are checked.
const example = (timestampName: string) => ({
  AccessKeyId: 'testid',
  Action: 'DescribeRegions',
  Format: 'XML',
  SignatureMethod: 'HMAC-SHA1',
  SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
  SignatureVersion: '1.0',
  [timestampName]: '2016-02-23T12:46:24Z',
  Version: '2014-05-26',
});

describe('Alibaba Cloud signature V1', () => {
  it('builds the documented string to sign', () => {
    expect(aliyunStringToSign('GET', example('TimeStamp'))).toBe(
      'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1' +
        '%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0' +
        '%26TimeStamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26',
    );
  });

  it('matches both documented signatures', () => {
    expect(aliyunSignature('GET', example('TimeStamp'), 'testsecret')).toBe('CT9X0VtwR86fNWSnsc6v8YGOjuE=');
    expect(aliyunSignature('GET', example('Timestamp'), 'testsecret')).toBe('OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
  });

  it("encodes per RFC 3986 with the vendor rules: %20 for space, ~ literal, !'()* encoded, UTF-8", () => {
    expect(aliyunPercentEncode("a b~c*d!e'f(g)h+i/j")).toBe('a%20b~c%2Ad%21e%27f%28g%29h%2Bi%2Fj');
    expect(aliyunPercentEncode('阿里云')).toBe('%E9%98%BF%E9%87%8C%E4%BA%91');
    expect(aliyunPercentEncode('{"content":"你好"}')).toBe('%7B%22content%22%3A%22%E4%BD%A0%E5%A5%BD%22%7D');
  });

  it('sorts by name, leaves Signature out, and changes with any parameter or the method', () => {
    const params = { b: '2', a: '1', Signature: 'ignored' };
    expect(aliyunCanonicalQuery(params)).toBe('a=1&b=2');
    const base = aliyunSignature('POST', params, 's');
    expect(aliyunSignature('POST', { ...params, Signature: 'other' }, 's')).toBe(base);
    expect(aliyunSignature('GET', params, 's')).not.toBe(base);
    expect(aliyunSignature('POST', { ...params, a: '3' }, 's')).not.toBe(base);
    expect(aliyunSignature('POST', params, 't')).not.toBe(base);
  });
});
