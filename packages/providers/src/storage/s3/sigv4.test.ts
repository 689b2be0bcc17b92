// The signer against AWS's published example ("Signature Version 4 signing", GET Object with the example
// keys on 2013-05-24), and the addressing of both URL styles.
import { describe, expect, it } from 'vitest';
import { s3Address } from './s3Client.ts';
import { EMPTY_SHA256, encodeKeyPath, signV4, uriEncode } from './sigv4.ts';

describe('SigV4 for S3', () => {
  it("reproduces AWS's documented GET Object example: canonical request, string to sign, signature", () => {
    const signed = signV4({
      method: 'GET',
      host: 'examplebucket.s3.amazonaws.com',
      path: '/test.txt',
      headers: { Range: 'bytes=0-9' },
      payloadHash: EMPTY_SHA256,
      region: 'us-east-1',
      service: 's3',
      now: new Date('2013-05-24T00:00:00Z'),
      credentials: {
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      },
    });
    expect(EMPTY_SHA256).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(signed.canonicalRequest).toBe(
      [
        'GET',
        '/test.txt',
        '',
        'host:examplebucket.s3.amazonaws.com',
        'range:bytes=0-9',
        `x-amz-content-sha256:${EMPTY_SHA256}`,
        'x-amz-date:20130524T000000Z',
        '',
        'host;range;x-amz-content-sha256;x-amz-date',
        EMPTY_SHA256,
      ].join('\n'),
    );
    expect(signed.stringToSign).toBe(
      'AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972',
    );
    expect(signed.signature).toBe('f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41');
    expect(signed.headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });

  it('encodes as RFC 3986 wants, and sorts the query by encoded name', () => {
    expect(uriEncode("a b+c/d~e_f.g-h*!'()")).toBe('a%20b%2Bc%2Fd~e_f.g-h%2A%21%27%28%29');
    expect(uriEncode('收据')).toBe('%E6%94%B6%E6%8D%AE');
    expect(encodeKeyPath('zhike/attachments/a b.zkf')).toBe('zhike/attachments/a%20b.zkf');
    const signed = signV4({
      method: 'GET',
      host: 'h',
      path: '/b',
      query: { prefix: 'attachments/', 'list-type': '2', 'continuation-token': 'x=y', uploads: '' },
      payloadHash: EMPTY_SHA256,
      region: 'us-east-1',
      service: 's3',
      now: new Date('2024-01-02T03:04:05.678Z'),
      credentials: { accessKeyId: 'k', secretAccessKey: 's' },
    });
    expect(signed.query).toBe('continuation-token=x%3Dy&list-type=2&prefix=attachments%2F&uploads=');
    expect(signed.headers['x-amz-date']).toBe('20240102T030405Z');
  });

  it('addresses a key path-style (MinIO) or virtual-host style (AWS)', () => {
    const minio = { endpoint: 'http://minio:9000', bucket: 'zhike', forcePathStyle: true };
    expect(s3Address(minio, 'attachments/w/f.zkf')).toEqual({
      protocol: 'http:',
      hostname: 'minio',
      port: 9000,
      host: 'minio:9000',
      path: '/zhike/attachments/w/f.zkf',
    });
    expect(s3Address(minio, '').path).toBe('/zhike');
    const aws = {
      endpoint: 'https://s3.eu-central-1.amazonaws.com',
      bucket: 'shop-files',
      forcePathStyle: false,
    };
    expect(s3Address(aws, 'recordings/r.zkf')).toEqual({
      protocol: 'https:',
      hostname: 'shop-files.s3.eu-central-1.amazonaws.com',
      port: 443,
      host: 'shop-files.s3.eu-central-1.amazonaws.com',
      path: '/recordings/r.zkf',
    });
    expect(s3Address(aws, '').path).toBe('/');
    // An endpoint behind a path (a gateway that mounts S3 under /s3).
    expect(s3Address({ ...minio, endpoint: 'http://gw/s3/' }, 'k').path).toBe('/s3/zhike/k');
  });
});
