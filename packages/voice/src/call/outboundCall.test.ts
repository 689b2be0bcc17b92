import { parse } from 'sdp-transform';
import { describe, expect, it } from 'vitest';
import { formatUri, getCSeq, getHeader, getTopVia, parseNameAddr, parseUri } from '../sip/index.ts';
import { OutboundSipCall } from './outboundCall.ts';
import { FakeMedia, FakeSignalling, ListTrace, ManualClock, serverRequest } from './testFakes.ts';

const answerSdp = [
  'v=0',
  'o=- 5 5 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 21300 RTP/AVP 0 101',
  'a=rtpmap:101 telephone-event/8000',
  'a=sendrecv',
  '',
].join('\r\n');

async function dial(options: { proxy?: string; authenticate?: boolean; ringTimeoutMs?: number } = {}) {
  const clock = new ManualClock();
  const signalling = new FakeSignalling();
  const media = new FakeMedia();
  const trace = new ListTrace();
  const challenges: number[] = [];
  const call = await OutboundSipCall.dial(
    { signalling, media, clock, trace, mediaAddress: '203.0.113.7', contactUser: 'zhike' },
    {
      target: parseUri('sip:bob@127.0.0.1:5090'),
      from: parseNameAddr('"Zhike" <sip:zhike@pbx.example>'),
      ...(options.proxy ? { proxy: parseUri(options.proxy) } : {}),
      ...(options.authenticate
        ? {
            authenticate: (_request, challenge) => {
              challenges.push(challenge.status);
              return { name: 'Proxy-Authorization', value: 'Digest username="zhike"' };
            },
          }
        : {}),
      ...(options.ringTimeoutMs ? { ringTimeoutMs: options.ringTimeoutMs } : {}),
    },
  );
  return { clock, signalling, media, trace, call, challenges };
}

const contact = { name: 'Contact', value: '<sip:bob@127.0.0.1:5090>' };

describe('OutboundSipCall', () => {
  it('sends an INVITE with our offer, rings on 180 and ACKs the 200 (and its retransmission)', async () => {
    const { call, signalling, media, trace } = await dial();
    const invite = signalling.last('INVITE');
    expect(invite.destination).toEqual({ transport: 'UDP', host: '127.0.0.1', port: 5090 });
    expect(formatUri(invite.request.uri)).toBe('sip:bob@127.0.0.1:5090');
    expect(getHeader(invite.request, 'Contact')).toBe('<sip:zhike@192.0.2.10:5070>');
    expect(parse(invite.request.body.toString()).media[0]?.payloads).toBe('8 0 101');
    expect(call.state).toBe('dialing');

    const events: string[] = [];
    call.on('ringing', () => events.push('ringing'));
    call.on('answered', () => events.push('answered'));
    invite.reply(100);
    invite.reply(180, { toTag: 'bob1' });
    expect(call.state).toBe('alerting');
    invite.reply(200, {
      toTag: 'bob1',
      body: answerSdp,
      headers: [contact, { name: 'Record-Route', value: '<sip:10.0.0.2;lr>, <sip:10.0.0.1;lr>' }],
    });
    await call.waitForAnswer();
    expect(events).toEqual(['ringing', 'answered']);
    expect(call.state).toBe('active');
    expect(media.legs[0]?.negotiated).toMatchObject({
      codec: 'PCMU',
      remotePort: 21300,
      dtmfPayloadType: 101,
    });
    const ack = signalling.acks[0]!;
    expect(getCSeq(ack.request)).toEqual({ seq: 1, method: 'ACK' });
    // §12.1.2: the UAC reverses Record-Route, so the proxy nearest to us comes first.
    expect(ack.destination.host).toBe('10.0.0.1');
    expect(formatUri(ack.request.uri)).toBe('sip:bob@127.0.0.1:5090');

    invite.reply(200, { toTag: 'bob1', body: answerSdp, headers: [contact] });
    expect(signalling.acks).toHaveLength(2);
    expect(trace.names()).toContain('180 Ringing received');

    const bye = serverRequest(
      [
        'BYE sip:zhike@192.0.2.10:5070 SIP/2.0',
        'Via: SIP/2.0/UDP 127.0.0.1:5090;branch=z9hG4bKbye',
        `From: <sip:bob@127.0.0.1:5090>;tag=bob1`,
        `To: ${getHeader(invite.request, 'From')}`,
        `Call-ID: ${call.id}`,
        'CSeq: 7 BYE',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
    call.handleRequest(bye);
    expect(bye.responses[0]?.status).toBe(200);
    expect((await call.ended).cause).toBe('remote-hangup');
  });

  it('answers a 407 with credentials once and maps 486 to busy', async () => {
    const { call, signalling, challenges } = await dial({
      authenticate: true,
      proxy: 'sip:pbx.example:5080',
    });
    const first = signalling.last('INVITE');
    expect(first.destination).toEqual({ transport: 'UDP', host: 'pbx.example', port: 5080 });
    expect(getHeader(first.request, 'Route')).toBe('<sip:pbx.example:5080;lr>');
    first.reply(407, { toTag: 'x' });
    const second = signalling.last('INVITE');
    expect(second).not.toBe(first);
    expect(getCSeq(second.request).seq).toBe(2);
    expect(getHeader(second.request, 'Proxy-Authorization')).toBe('Digest username="zhike"');
    expect(getHeader(second.request, 'From')).toBe(getHeader(first.request, 'From'));
    expect(getTopVia(second.request).params.branch).not.toBe(getTopVia(first.request).params.branch);
    second.reply(407, { toTag: 'y' });
    expect(challenges).toEqual([407]);
    expect(await call.ended).toMatchObject({ cause: 'unauthorized', status: 407 });
  });

  it.each([
    [486, 'busy'],
    [600, 'busy'],
    [603, 'declined'],
    [480, 'no-answer'],
    [408, 'no-answer'],
    [404, 'not-found'],
    [503, 'unreachable'],
    [500, 'failed'],
  ])('maps a final %i to %s', async (status, cause) => {
    const { call, signalling, media } = await dial();
    signalling.last('INVITE').reply(status, { toTag: 'z' });
    expect(await call.ended).toMatchObject({ cause, status });
    expect(media.released).toBe(1);
  });

  it('cancels a ringing call with the INVITE branch and ends as cancelled', async () => {
    const { call, signalling } = await dial();
    const invite = signalling.last('INVITE');
    invite.reply(180, { toTag: 'bob1' });
    await call.hangup();
    const cancel = signalling.last('CANCEL');
    expect(getTopVia(cancel.request).params.branch).toBe(getTopVia(invite.request).params.branch);
    expect(getCSeq(cancel.request)).toEqual({ seq: 1, method: 'CANCEL' });
    expect(cancel.destination).toEqual(invite.destination);
    expect(await call.ended).toEqual({ cause: 'cancelled' });
  });

  it('waits for a provisional response before cancelling (§9.1) and gives up on the ring timeout', async () => {
    const { call, signalling, clock } = await dial({ ringTimeoutMs: 30_000 });
    clock.advance(30_000);
    expect(await call.ended).toEqual({ cause: 'no-answer' });
    expect(signalling.requests.filter((r) => r.request.method === 'CANCEL')).toHaveLength(0);
    signalling.last('INVITE').reply(180, { toTag: 'late' });
    expect(signalling.requests.filter((r) => r.request.method === 'CANCEL')).toHaveLength(1);
  });

  it('ACKs and hangs up a 2xx that arrives after we gave up', async () => {
    const { call, signalling } = await dial();
    const invite = signalling.last('INVITE');
    invite.reply(180, { toTag: 'bob1' });
    await call.hangup();
    invite.reply(200, { toTag: 'bob1', body: answerSdp, headers: [contact] });
    expect(signalling.acks).toHaveLength(1);
    expect(signalling.last('BYE').request.uri.user).toBe('bob');
  });

  it('hangs up an answer it cannot use (no G.711 in the answer)', async () => {
    const { call, signalling } = await dial();
    signalling.last('INVITE').reply(200, {
      toTag: 'bob1',
      body: answerSdp.replace('RTP/AVP 0 101', 'RTP/AVP 9'),
      headers: [contact],
    });
    expect(await call.ended).toMatchObject({ cause: 'failed', status: 488 });
    expect(signalling.acks).toHaveLength(1);
    expect(signalling.last('BYE')).toBeDefined();
  });
});
