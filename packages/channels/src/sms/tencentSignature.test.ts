import { describe, expect, it } from 'vitest';
import { tc3Date, tc3Sign } from './tencentSignature.ts';

// The worked example in Tencent Cloud's "Signature v3" page: CVM DescribeInstances at 1551113065, SecretKey
// Gu5t9xGARNpq86cd98joQYCN3EXAMPLE, signed headers content-type;host.
const payload = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}';

describe('Tencent Cloud TC3-HMAC-SHA256', () => {
  const signed = tc3Sign({
    secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE',
    secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE',
    service: 'cvm',
    method: 'POST',
    headers: { 'Content-Type': 'application/json; charset=utf-8', Host: 'cvm.tencentcloudapi.com' },
    payload,
    timestamp: 1551113065,
  });

  it('builds the documented canonical request and string to sign', () => {
    expect(signed.canonicalRequest).toBe(
      'POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n' +
        '35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064',
    );
    expect(signed.stringToSign).toBe(
      'TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n' +
        '5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031',
    );
  });

  it('matches the documented signature and Authorization header', () => {
    expect(signed.signature).toBe('72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168');
    expect(signed.authorization).toBe(
      'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, ' +
        'SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168',
    );
  });

  it('takes the credential date in UTC, not local time (00:44 in Beijing is still the 25th)', () => {
    expect(tc3Date(1551113065)).toBe('2019-02-25');
  });

  it('signs extra headers sorted and lower-cased (x-tc-action, as the SMS adapter sends)', () => {
    const withAction = tc3Sign({
      secretId: 'id',
      secretKey: 'key',
      service: 'sms',
      method: 'POST',
      headers: {
        'X-TC-Action': 'SendSms',
        host: 'sms.tencentcloudapi.com',
        'content-type': 'application/json',
      },
      payload: '{}',
      timestamp: 1700000000,
    });
    expect(withAction.signedHeaders).toBe('content-type;host;x-tc-action');
    expect(withAction.canonicalRequest).toContain('x-tc-action:sendsms\n');
  });
});
