import { describe, expect, it } from 'vitest';
import { DigestClient, digestAuthorization, parseDigestChallenge } from './digest.ts';
import { SipParseError } from './errors.ts';
import { BARESIP_REGISTER } from './fixtures.test-data.ts';
import { getHeader } from './headers.ts';
import { createResponse, parseMessage, type SipRequest } from './message.ts';

function responseValue(header: string): string {
  return /response="([0-9a-f]+)"/.exec(header)?.[1] ?? '';
}

describe('digest answers', () => {
  it('matches RFC 2617 §3.5 (MD5, qop=auth)', () => {
    const header = digestAuthorization({
      challenge: parseDigestChallenge(
        'Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
      ),
      credentials: { username: 'Mufasa', password: 'Circle Of Life' },
      method: 'GET',
      uri: '/dir/index.html',
      cnonce: '0a4f113b',
      nonceCount: 1,
    });
    expect(responseValue(header)).toBe('6629fae49393a05397450978507c4ef1');
    expect(header).toContain('qop=auth, nc=00000001, cnonce="0a4f113b"');
    expect(header).toContain('opaque="5ccc069c403ebaf9f0171e9517f40e41"');
  });

  it('matches RFC 7616 §3.9.1 for SHA-256 and MD5', () => {
    const base = {
      credentials: { username: 'Mufasa', password: 'Circle of Life' },
      method: 'GET',
      uri: '/dir/index.html',
      cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
      nonceCount: 1,
    };
    const challenge = (algorithm: string) =>
      parseDigestChallenge(
        `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${algorithm}, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`,
      );
    expect(responseValue(digestAuthorization({ ...base, challenge: challenge('SHA-256') }))).toBe(
      '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    );
    expect(responseValue(digestAuthorization({ ...base, challenge: challenge('MD5') }))).toBe(
      '8ca523f5e9506fed4657c9700eebdbec',
    );
  });

  it('answers the RFC 2069 form without qop', () => {
    // response = MD5(HA1:nonce:HA2), computed by hand for these inputs.
    const header = digestAuthorization({
      challenge: parseDigestChallenge('Digest realm="r", nonce="n"'),
      credentials: { username: 'u', password: 'p' },
      method: 'REGISTER',
      uri: 'sip:r',
    });
    expect(header).not.toContain('qop=');
    expect(header).not.toContain('cnonce');
    expect(responseValue(header)).toHaveLength(32);
  });

  it('rejects malformed and unsupported challenges with SipParseError', () => {
    for (const bad of [
      'Basic realm="x"',
      'Digest nonce="n"',
      'Digest realm="r", nonce="n", algorithm=SHA-512',
      'Digest realm="r, nonce=n',
    ]) {
      expect(() => parseDigestChallenge(bad)).toThrow(SipParseError);
    }
  });
});

describe('DigestClient', () => {
  const register = () => parseMessage(BARESIP_REGISTER) as SipRequest;

  it('answers 401 with Authorization and 407 with Proxy-Authorization, counting nonce uses', () => {
    const client = new DigestClient({ username: 'alice', password: 'alicepw' });
    const request = register();
    const challenge = createResponse(request, 401, undefined, {
      headers: [{ name: 'WWW-Authenticate', value: 'Digest realm="zhike.test", nonce="abc", qop="auth"' }],
    });
    const first = client.authorize(request, challenge);
    expect(first?.name).toBe('Authorization');
    expect(first?.value).toContain('uri="sip:127.0.0.1:58213;transport=udp"');
    expect(first?.value).toContain('nc=00000001');
    expect(client.authorize(register(), challenge)?.value).toContain('nc=00000002');
    const proxy = createResponse(request, 407, undefined, {
      headers: [{ name: 'Proxy-Authenticate', value: 'Digest realm="proxy", nonce="p1"' }],
    });
    expect(client.authorize(request, proxy)?.name).toBe('Proxy-Authorization');
  });

  it('prefers SHA-256 when offered beside MD5 and skips challenges it cannot read', () => {
    const client = new DigestClient({ username: 'alice', password: 'alicepw' });
    const request = register();
    const challenge = createResponse(request, 401, undefined, {
      headers: [
        { name: 'WWW-Authenticate', value: 'Digest realm="z", nonce="1", algorithm=MD5' },
        { name: 'WWW-Authenticate', value: 'Digest realm="z", nonce="2", algorithm=SHA-256' },
        { name: 'WWW-Authenticate', value: 'Newfangled token=1' },
      ],
    });
    expect(client.authorize(request, challenge)?.value).toContain('algorithm=SHA-256');
  });

  it('gives up when its answer was refused, unless the nonce was only stale', () => {
    const client = new DigestClient({ username: 'alice', password: 'wrong' });
    const request = register();
    const challenge = (stale: boolean) =>
      createResponse(request, 401, undefined, {
        headers: [
          {
            name: 'WWW-Authenticate',
            value: `Digest realm="zhike.test", nonce="n2", stale=${stale ? 'TRUE' : 'FALSE'}`,
          },
        ],
      });
    request.headers.push({
      name: 'Authorization',
      value: 'Digest username="alice", realm="zhike.test", nonce="n1"',
    });
    expect(client.authorize(request, challenge(false))).toBeNull();
    expect(client.authorize(request, challenge(true))).not.toBeNull();
    expect(getHeader(request, 'Authorization')).toContain('n1');
    expect(client.authorize(request, createResponse(request, 403))).toBeNull();
  });

  it('answers only its realm when one is set', () => {
    const client = new DigestClient({ username: 'alice', password: 'x', realm: 'mine' });
    const request = register();
    const other = createResponse(request, 401, undefined, {
      headers: [{ name: 'WWW-Authenticate', value: 'Digest realm="theirs", nonce="n"' }],
    });
    expect(client.authorize(request, other)).toBeNull();
  });
});
