import { describe, expect, it } from 'vitest';
import { SipParseError } from './errors.ts';
import { BARESIP_INVITE, BARESIP_REGISTER, COMPACT_OPTIONS } from './fixtures.test-data.ts';
import {
  getCallId,
  getContacts,
  getCSeq,
  getFrom,
  getHeader,
  getHeaderValues,
  getNumberHeader,
  getTo,
  getTopVia,
  getVias,
} from './headers.ts';
import {
  createRequest,
  createResponse,
  newBranch,
  parseMessage,
  type SipRequest,
  type SipResponse,
  serializeMessage,
} from './message.ts';
import { formatUri, parseUri } from './uri.ts';

function parseError(input: string, stream = false): SipParseError {
  try {
    parseMessage(input, { stream });
  } catch (e) {
    if (e instanceof SipParseError) return e;
    throw e;
  }
  throw new Error('expected a SipParseError');
}

describe('parseMessage on real messages', () => {
  it('reads baresip REGISTER', () => {
    const msg = parseMessage(BARESIP_REGISTER) as SipRequest;
    expect(msg.kind).toBe('request');
    expect(msg.method).toBe('REGISTER');
    expect(msg.uri).toMatchObject({
      scheme: 'sip',
      host: '127.0.0.1',
      port: 58213,
      params: { transport: 'udp' },
    });
    const via = getTopVia(msg);
    expect(via).toMatchObject({ transport: 'UDP', host: '127.0.0.1', port: 46013 });
    expect(via.params).toEqual({ branch: 'z9hG4bK058b2188816278be', rport: null });
    expect(getFrom(msg).params.tag).toBe('34c061a9586b48a9');
    expect(getTo(msg).params.tag).toBeUndefined();
    expect(getCallId(msg)).toBe('db374d3f002667e5');
    expect(getCSeq(msg)).toEqual({ seq: 50957, method: 'REGISTER' });
    const contacts = getContacts(msg);
    expect(contacts).not.toBe('*');
    expect(contacts[0]).toMatchObject({
      uri: { user: 'alice-0x56075d4592b0', port: 46013 },
      params: { expires: '60' },
    });
    expect(getHeaderValues(msg, 'Allow')).toHaveLength(10);
    expect(getNumberHeader(msg, 'Max-Forwards')).toBe(70);
    expect(msg.body.length).toBe(0);
  });

  it('reads baresip INVITE with its SDP body, on UDP and as a TCP stream', () => {
    for (const stream of [false, true]) {
      const msg = parseMessage(BARESIP_INVITE, { stream }) as SipRequest;
      expect(msg.method).toBe('INVITE');
      expect(msg.body.length).toBe(345);
      expect(msg.body.toString()).toContain('m=audio 31260 RTP/AVP 0 8 101');
      expect(getHeaderValues(msg, 'Supported')).toEqual([]);
    }
  });

  it('round-trips real messages byte for byte', () => {
    for (const raw of [BARESIP_REGISTER, BARESIP_INVITE]) {
      expect(serializeMessage(parseMessage(raw)).toString()).toBe(raw);
    }
  });

  it('expands compact forms, unfolds lines and splits lists', () => {
    const msg = parseMessage(COMPACT_OPTIONS) as SipRequest;
    expect(getHeader(msg, 'Call-ID')).toBe('a84b4c76e66710');
    expect(getHeader(msg, 'i')).toBe('a84b4c76e66710');
    const vias = getVias(msg);
    expect(vias).toHaveLength(2);
    expect(vias[1]).toMatchObject({ transport: 'TCP', host: '2001:db8::9', port: 5061 });
    expect(vias[1]!.params).toMatchObject({ received: '2001:db8::7', rport: '5070' });
    const from = getFrom(msg);
    expect(from.displayName).toBe('Alice "A" Liddell');
    expect(from.params.tag).toBe('1928301774');
    const contacts = getContacts(msg);
    if (contacts === '*') throw new Error('not a wildcard');
    expect(contacts.map((c) => formatUri(c.uri))).toEqual([
      'sip:alice@pc33.example.com',
      'sips:bob@[2001:db8::1]:5061;transport=tcp',
    ]);
    expect(contacts[0]!.params).toEqual({ q: '0.7', expires: '3600' });
    expect(contacts[1]!.displayName).toBe('Bob');
    expect(msg.body.toString()).toBe('abcd');
    // Serialised with canonical names; the result parses to the same message.
    const again = parseMessage(serializeMessage(msg)) as SipRequest;
    expect(again.headers).toEqual(msg.headers);
    expect(getHeader(again, 'Supported')).toBe('replaces');
  });

  it('parses a response and reads the status line', () => {
    const raw =
      'SIP/2.0 401 Unauthorized\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKx;rport=5070;received=127.0.0.1\r\n' +
      'From: <sip:a@b>;tag=1\r\nTo: <sip:a@b>;tag=2\r\nCall-ID: c\r\nCSeq: 2 REGISTER\r\n' +
      'WWW-Authenticate: Digest realm="zhike.test", nonce="abc,def", qop="auth"\r\nContent-Length: 0\r\n\r\n';
    const msg = parseMessage(raw) as SipResponse;
    expect(msg).toMatchObject({ kind: 'response', status: 401, reason: 'Unauthorized' });
    // Not a list header: the comma inside the challenge stays.
    expect(getHeaderValues(msg, 'www-authenticate')).toHaveLength(1);
  });

  it('drops datagram bytes past Content-Length and ignores leading CRLFs', () => {
    const msg = parseMessage(`\r\n\r\n${BARESIP_REGISTER}garbage`);
    expect(msg.body.length).toBe(0);
  });
});

describe('parseMessage rejects malformed input with a reason', () => {
  const base = BARESIP_REGISTER;
  const cases: [string, string, string, boolean?][] = [
    ['no blank line', base.slice(0, -2), 'bad-header'],
    ['bad version', base.replace('SIP/2.0\r\n', 'SIP/3.0\r\n'), 'bad-version'],
    ['garbage start line', base.replace('REGISTER sip', 'REGISTER  sip'), 'bad-start-line'],
    ['bad uri', base.replace('sip:127.0.0.1:58213;', 'sip:127.0.0.1:99999;'), 'bad-uri'],
    [
      'unsupported scheme',
      base.replace('REGISTER sip:127.0.0.1:58213;transport=udp', 'REGISTER http://x'),
      'unsupported-uri-scheme',
    ],
    ['missing Call-ID', base.replace(/Call-ID:.*\r\n/, ''), 'missing-header'],
    ['missing Via', base.replace(/Via:.*\r\n/, ''), 'missing-header'],
    ['bad Via', base.replace('SIP/2.0/UDP 127', 'SIP/2.0/UDP 1 27'), 'bad-via'],
    ['CSeq method mismatch', base.replace('50957 REGISTER', '50957 INVITE'), 'bad-cseq'],
    ['CSeq overflow', base.replace('50957 REGISTER', '99999999999 REGISTER'), 'bad-cseq'],
    ['bad header line', base.replace('Max-Forwards: 70', 'Max Forwards 70'), 'bad-header'],
    ['bad From', base.replace('From: <sip', 'From: <<sip'), 'bad-uri'],
    ['short body', base.replace('Content-Length: 0', 'Content-Length: 10'), 'body-length-mismatch'],
    ['negative length', base.replace('Content-Length: 0', 'Content-Length: -1'), 'bad-content-length'],
    ['no length on TCP', base.replace('Content-Length: 0\r\n', ''), 'bad-content-length', true],
    ['long body on TCP', `${base}x`, 'body-length-mismatch', true],
    ['invalid UTF-8', base.replace('baresip', '\u00ff'), 'bad-encoding'],
  ];
  for (const [name, input, reason, stream] of cases) {
    it(name, () => {
      const raw = name === 'invalid UTF-8' ? Buffer.from(input, 'latin1').toString('latin1') : input;
      const data = name === 'invalid UTF-8' ? Buffer.from(raw, 'latin1') : raw;
      let error: unknown;
      try {
        parseMessage(data, { stream: stream === true });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SipParseError);
      expect((error as SipParseError).reason).toBe(reason);
    });
  }

  it('enforces size, header count and line length limits', () => {
    expect(parseError(`${base}${'x'.repeat(70_000)}`).reason).toBe('too-large');
    const many = base.replace('Content-Length: 0', `${'X-A: 1\r\n'.repeat(200)}Content-Length: 0`);
    expect(parseError(many).reason).toBe('too-many-headers');
    const long = base.replace('baresip v1.0.0', 'b'.repeat(9000));
    expect(parseError(long).reason).toBe('line-too-long');
  });

  it('keeps the readable part of a bad request so a 400 can be sent', () => {
    const error = parseError(base.replace('50957 REGISTER', 'x REGISTER'));
    expect(error.partial?.method).toBe('REGISTER');
    expect(error.partial?.headers.find((h) => h.name === 'Via')?.value).toContain('z9hG4bK058b2188816278be');
    expect(parseError(base.replace('SIP/2.0\r\n', 'SIP/2.0 x\r\n')).partial).toBeUndefined();
  });
});

describe('building messages', () => {
  it('creates a response copying the dialog headers and adding the To tag', () => {
    const request = parseMessage(BARESIP_INVITE) as SipRequest;
    const trying = createResponse(request, 100, undefined, { toTag: 'abc' });
    expect(getTo(trying).params.tag).toBeUndefined();
    const ok = createResponse(request, 200, undefined, {
      toTag: 'abc',
      headers: [{ name: 'm', value: '<sip:bot@127.0.0.1>' }],
      body: Buffer.from('v=0\r\n'),
    });
    const wire = parseMessage(serializeMessage(ok)) as SipResponse;
    expect(wire.reason).toBe('OK');
    expect(getTo(wire).params.tag).toBe('abc');
    expect(getTo(wire).uri.params.transport).toBe('udp');
    expect(getCSeq(wire)).toEqual({ seq: 22520, method: 'INVITE' });
    expect(getHeader(wire, 'Contact')).toBe('<sip:bot@127.0.0.1>');
    expect(wire.body.toString()).toBe('v=0\r\n');
  });

  it('creates a request and refuses header injection', () => {
    const request = createRequest({
      method: 'OPTIONS',
      uri: parseUri('sip:bob@example.com'),
      headers: [
        { name: 'v', value: `SIP/2.0/UDP 10.0.0.1:5060;branch=${newBranch()}` },
        { name: 'From', value: '<sip:a@example.com>;tag=1' },
        { name: 'To', value: '<sip:bob@example.com>' },
        { name: 'Call-ID', value: 'x1' },
        { name: 'CSeq', value: '1 OPTIONS' },
      ],
    });
    expect(getTopVia(parseMessage(serializeMessage(request))).params.branch).toMatch(/^z9hG4bK/);
    request.headers.push({ name: 'Subject', value: 'a\r\nVia: evil' });
    expect(() => serializeMessage(request)).toThrow(TypeError);
  });
});
