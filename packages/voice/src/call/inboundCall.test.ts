import { parse } from 'sdp-transform';
import { describe, expect, it } from 'vitest';
import { formatUri, getCSeq, getHeader, getTo, getTopVia } from '../sip/index.ts';
import type { CallEnded } from './callEvents.ts';
import { InboundSipCall } from './inboundCall.ts';
import { FakeMedia, FakeSignalling, ListTrace, ManualClock, serverRequest } from './testFakes.ts';

const offer = [
  'v=0',
  'o=- 1 2 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 21200 RTP/AVP 8 0 101',
  'a=rtpmap:101 telephone-event/8000',
  'a=ptime:20',
  'a=DIRECTION',
  '',
].join('\r\n');

function invite(options: { body?: string; cseq?: number; recordRoute?: boolean } = {}): string {
  const body = options.body ?? offer.replace('DIRECTION', 'sendrecv');
  return [
    'INVITE sip:bot@192.0.2.10:5070 SIP/2.0',
    'Via: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bKinv1;rport',
    ...(options.recordRoute ? ['Record-Route: <sip:10.0.0.1;lr>'] : []),
    'Max-Forwards: 70',
    'From: "Alice" <sip:+8613800138000@127.0.0.1>;tag=alice1',
    'To: <sip:bot@192.0.2.10>',
    'Call-ID: call-1@127.0.0.1',
    `CSeq: ${options.cseq ?? 1} INVITE`,
    'Contact: <sip:alice@127.0.0.1:5062>',
    ...(body ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

function inDialog(method: string, cseq: number, toTag: string, body = ''): string {
  return [
    `${method} sip:bot@192.0.2.10:5070 SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK${method}${cseq}`,
    'From: "Alice" <sip:+8613800138000@127.0.0.1>;tag=alice1',
    `To: <sip:bot@192.0.2.10>;tag=${toTag}`,
    'Call-ID: call-1@127.0.0.1',
    `CSeq: ${cseq} ${method}`,
    'Contact: <sip:alice@127.0.0.1:5062>',
    ...(body ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

async function setup(text = invite()) {
  const clock = new ManualClock();
  const signalling = new FakeSignalling();
  const media = new FakeMedia();
  const trace = new ListTrace();
  const incoming = serverRequest(text);
  const deps = {
    signalling,
    media,
    clock,
    trace,
    mediaAddress: '203.0.113.7',
    contactUser: 'zhike',
    timers: { t1: 500, t2: 4000 },
  };
  const call = await InboundSipCall.receive(deps, incoming);
  return { clock, signalling, media, trace, incoming, call, deps };
}

async function answered() {
  const context = await setup();
  const call = context.call!;
  const done = call.answer();
  const tag = getTo(context.incoming.responses.at(-1)!).params.tag!;
  call.handleRequest(serverRequest(inDialog('ACK', 1, tag)));
  await done;
  return { ...context, call, tag };
}

describe('InboundSipCall', () => {
  it('sends 100 and 180, then 200 with an SDP answer retransmitted until the ACK', async () => {
    const { call, incoming, clock, media, trace } = await setup();
    expect(call).not.toBeNull();
    expect(incoming.responses.map((r) => r.status)).toEqual([100, 180]);
    expect(getTo(incoming.responses[1]!).params.tag).toBeTruthy();
    expect(getHeader(incoming.responses[1]!, 'Contact')).toBe('<sip:zhike@192.0.2.10:5070>');
    expect(call!.from).toEqual({
      uri: 'sip:+8613800138000@127.0.0.1',
      phone: '+8613800138000',
      displayName: 'Alice',
    });

    const events: string[] = [];
    call!.on('answered', () => events.push('answered'));
    const done = call!.answer();
    expect(call!.state).toBe('connecting');
    const ok = incoming.responses.at(-1)!;
    expect(ok.status).toBe(200);
    const sdp = parse(ok.body.toString());
    expect(sdp.connection?.ip).toBe('203.0.113.7');
    expect(sdp.media[0]?.payloads).toBe('8 101');
    expect(media.legs[0]?.negotiated).toMatchObject({
      codec: 'PCMA',
      remotePort: 21200,
      dtmfPayloadType: 101,
    });

    clock.advance(500); // T1
    clock.advance(1000); // 2·T1
    expect(incoming.responses.filter((r) => r.status === 200)).toHaveLength(3);
    const tag = getTo(ok).params.tag!;
    call!.handleRequest(serverRequest(inDialog('ACK', 1, tag)));
    await done;
    expect(call!.state).toBe('active');
    expect(events).toEqual(['answered']);
    clock.advance(10_000);
    expect(incoming.responses.filter((r) => r.status === 200)).toHaveLength(3);
    expect(trace.names()).toContain('call.answered');
    expect(trace.names()).toContain('INVITE received');
  });

  it('sends BYE and ends with no-ack when the ACK never comes (64·T1)', async () => {
    const { call, clock, signalling } = await setup();
    const done = call!.answer();
    done.catch(() => {});
    clock.advance(31_000);
    expect(call!.state).toBe('connecting');
    clock.advance(1_000);
    expect(call!.state).toBe('ended');
    expect((await call!.ended).cause).toBe('no-ack');
    expect(signalling.last('BYE').request.uri.user).toBe('alice');
    await expect(done).rejects.toMatchObject({ cause: 'no-ack' });
  });

  it('answers CANCEL with 200 and the INVITE with 487', async () => {
    const { call, incoming, media } = await setup();
    const cancel = serverRequest(
      invite()
        .replace('INVITE sip:', 'CANCEL sip:')
        .replace('1 INVITE', '1 CANCEL')
        .replace(/Content-Type.*\r\n/, '')
        .replace(/Content-Length: \d+\r\n\r\n[\s\S]*$/, 'Content-Length: 0\r\n\r\n'),
    );
    expect(getTopVia(cancel.request).params.branch).toBe(call!.inviteBranch);
    call!.handleRequest(cancel);
    expect(cancel.responses.map((r) => r.status)).toEqual([200]);
    expect(incoming.responses.at(-1)!.status).toBe(487);
    expect(await call!.ended).toEqual({ cause: 'cancelled', status: 487 });
    expect(media.released).toBe(1);
  });

  it('answers the INVITE with 487 when the caller sends BYE while it rings', async () => {
    const { call, incoming } = await setup();
    const tag = getTo(incoming.responses.at(-1)!).params.tag!;
    const bye = serverRequest(inDialog('BYE', 2, tag));
    call!.handleRequest(bye);
    expect(bye.responses[0]?.status).toBe(200);
    expect(incoming.responses.at(-1)!.status).toBe(487);
    expect((await call!.ended).cause).toBe('remote-hangup');
  });

  it('rejects with the status asked for', async () => {
    const { call, incoming } = await setup();
    call!.reject(603);
    expect(incoming.responses.at(-1)!.status).toBe(603);
    expect((await call!.ended).cause).toBe('rejected');
    expect(() => call!.reject(486)).toThrow();
  });

  it('refuses offers without G.711 (488), bodies that are not SDP (415) and a full RTP range (503)', async () => {
    const noG711 = offer.replace('DIRECTION', 'sendrecv').replace('RTP/AVP 8 0 101', 'RTP/AVP 9');
    const refused = await setup(invite({ body: noG711 }));
    expect(refused.call).toBeNull();
    expect(refused.incoming.responses.map((r) => r.status)).toEqual([100, 488]);
    expect(refused.media.released).toBe(1);

    const text = await setup(invite().replace('application/sdp', 'text/plain'));
    expect(text.incoming.responses.at(-1)!.status).toBe(415);

    const clock = new ManualClock();
    const media = new FakeMedia();
    media.exhausted = true;
    const incoming = serverRequest(invite());
    const deps = {
      signalling: new FakeSignalling(),
      media,
      clock,
      trace: new ListTrace(),
      mediaAddress: '203.0.113.7',
      contactUser: 'zhike',
    };
    expect(await InboundSipCall.receive(deps, incoming)).toBeNull();
    expect(incoming.responses.at(-1)!.status).toBe(503);
  });

  it('ends on BYE from the peer with 200, closing RTP', async () => {
    const { call, tag, media } = await answered();
    const bye = serverRequest(inDialog('BYE', 2, tag));
    call.handleRequest(bye);
    expect(bye.responses.map((r) => r.status)).toEqual([200]);
    expect(await call.ended).toEqual({ cause: 'remote-hangup' });
    expect(media.legs[0]!.isClosed).toBe(true);
    expect(call.media).toBeNull();
  });

  it('refuses an in-dialog request with an old CSeq (500) and unknown methods (501)', async () => {
    const { call, tag } = await answered();
    const stale = serverRequest(inDialog('BYE', 1, tag));
    call.handleRequest(stale);
    expect(stale.responses[0]!.status).toBe(500);
    const update = serverRequest(inDialog('UPDATE', 3, tag));
    call.handleRequest(update);
    expect(update.responses[0]!.status).toBe(501);
    const options = serverRequest(inDialog('OPTIONS', 4, tag));
    call.handleRequest(options);
    expect(options.responses[0]!.status).toBe(200);
    expect(call.state).toBe('active');
  });

  it("accepts the peer's hold and resume re-INVITEs", async () => {
    const { call, tag, media } = await answered();
    const holds: boolean[] = [];
    call.on('hold', (state) => holds.push(state.remote));
    const hold = serverRequest(inDialog('INVITE', 2, tag, offer.replace('DIRECTION', 'sendonly')));
    call.handleRequest(hold);
    const ok = hold.responses.at(-1)!;
    expect(ok.status).toBe(200);
    expect(parse(ok.body.toString()).media[0]?.direction).toBe('recvonly');
    expect(media.legs[0]!.muted).toBe(true);
    call.handleRequest(serverRequest(inDialog('ACK', 2, tag)));

    const resume = serverRequest(
      inDialog('INVITE', 3, tag, offer.replace('DIRECTION', 'sendrecv').replace('21200', '21210')),
    );
    call.handleRequest(resume);
    expect(parse(resume.responses.at(-1)!.body.toString()).media[0]?.direction).toBe('sendrecv');
    expect(media.legs[0]!.muted).toBe(false);
    expect(media.updates.at(-1)?.remotePort).toBe(21210);
    expect(holds).toEqual([true, false]);
  });

  it('holds and resumes the peer with its own re-INVITE, ACKing the 2xx', async () => {
    const { call, signalling, media } = await answered();
    const holding = call.hold();
    const reinvite = signalling.last('INVITE');
    expect(formatUri(reinvite.request.uri)).toBe('sip:alice@127.0.0.1:5062');
    expect(getCSeq(reinvite.request).method).toBe('INVITE');
    expect(parse(reinvite.request.body.toString()).media[0]?.direction).toBe('sendonly');
    reinvite.reply(200, {
      body: offer.replace('DIRECTION', 'recvonly'),
      headers: [{ name: 'Contact', value: '<sip:alice@127.0.0.1:5062>' }],
    });
    await holding;
    expect(call.holdState).toEqual({ local: true, remote: false });
    expect(media.legs[0]!.muted).toBe(true);
    expect(getCSeq(signalling.acks.at(-1)!.request)).toEqual({
      seq: getCSeq(reinvite.request).seq,
      method: 'ACK',
    });

    const resuming = call.resume();
    signalling.last('INVITE').reply(200, { body: offer.replace('DIRECTION', 'sendrecv') });
    await resuming;
    expect(call.holdState).toEqual({ local: false, remote: false });
    expect(media.legs[0]!.muted).toBe(false);
  });

  it('hangs up with BYE through the route set', async () => {
    const context = await setup(invite({ recordRoute: true }));
    const call = context.call!;
    const done = call.answer();
    const tag = getTo(context.incoming.responses.at(-1)!).params.tag!;
    call.handleRequest(serverRequest(inDialog('ACK', 1, tag)));
    await done;
    const hangup = call.hangup();
    const bye = context.signalling.last('BYE');
    expect(bye.destination).toEqual({ transport: 'UDP', host: '10.0.0.1', port: 5060 });
    expect(getHeader(bye.request, 'Route')).toBe('<sip:10.0.0.1;lr>');
    expect(getTo(bye.request).params.tag).toBe('alice1');
    bye.reply(200);
    await hangup;
    expect(((await call.ended) as CallEnded).cause).toBe('local-hangup');
  });

  it('offers in the 200 when the INVITE had no SDP and reads the answer from the ACK', async () => {
    const { call, incoming, media } = await setup(invite({ body: '' }));
    const done = call!.answer();
    const ok = incoming.responses.at(-1)!;
    expect(parse(ok.body.toString()).media[0]?.payloads).toBe('8 0 101');
    expect(media.legs).toHaveLength(0);
    const tag = getTo(ok).params.tag!;
    call!.handleRequest(
      serverRequest(
        inDialog('ACK', 1, tag, offer.replace('DIRECTION', 'sendrecv').replace('8 0 101', '0 101')),
      ),
    );
    await done;
    expect(media.legs[0]?.negotiated.codec).toBe('PCMU');
  });
});
