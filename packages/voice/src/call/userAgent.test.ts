import { describe, expect, it } from 'vitest';
import { getHeader, getTo, type SipResponse } from '../sip/index.ts';
import type { Unsubscribe } from '../types.ts';
import type { InboundSipCall } from './inboundCall.ts';
import type { ServerRequest } from './ports.ts';
import { FakeMedia, FakeSignalling, ListTrace, ManualClock, serverRequest } from './testFakes.ts';
import { type AccountRegistration, SipUserAgent, type UserAgentStack } from './userAgent.ts';

class FakeStack extends FakeSignalling implements UserAgentStack {
  private handler: ((incoming: ServerRequest) => void) | null = null;
  closed = false;
  onRequest(handler: (incoming: ServerRequest) => void): Unsubscribe {
    this.handler = handler;
    return () => {
      this.handler = null;
    };
  }
  deliver(text: string, host = '127.0.0.1'): ServerRequest & { responses: SipResponse[] } {
    const incoming = serverRequest(text);
    const withSource = { ...incoming, source: { transport: 'UDP' as const, host, port: 5062 } };
    this.handler?.(withSource);
    return withSource;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

const sdp =
  'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 21200 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n';

function request(
  method: string,
  options: { user?: string; callId?: string; toTag?: string; body?: string; branch?: string } = {},
) {
  const body = options.body ?? '';
  return [
    `${method} sip:${options.user ?? 'bot'}@192.0.2.10:5070 SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:5062;branch=${options.branch ?? 'z9hG4bKaaa'}`,
    'From: <sip:alice@127.0.0.1>;tag=a1',
    `To: <sip:bot@192.0.2.10>${options.toTag ? `;tag=${options.toTag}` : ''}`,
    `Call-ID: ${options.callId ?? 'c1'}`,
    `CSeq: ${method === 'ACK' || method === 'CANCEL' ? 1 : 1} ${method}`,
    'Contact: <sip:alice@127.0.0.1:5062>',
    ...(body ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

function agent(options: { registrations?: AccountRegistration[]; trunk?: string[]; users?: string[] } = {}) {
  const stack = new FakeStack();
  const media = new FakeMedia();
  const ua = new SipUserAgent({
    stack,
    media,
    clock: new ManualClock(),
    createTrace: () => new ListTrace(),
    registrations: options.registrations ?? [],
    isTrunkSource: (host) => (options.trunk ?? ['127.0.0.1']).includes(host),
    mediaAddress: '203.0.113.7',
    ...(options.users ? { answerUsers: options.users } : {}),
  });
  return { stack, media, ua };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('SipUserAgent', () => {
  it('emits incoming calls from an allowed trunk source and routes the ACK and BYE to them', async () => {
    const { stack, ua } = agent();
    const calls: InboundSipCall[] = [];
    ua.onIncoming((call) => calls.push(call));
    const invite = stack.deliver(request('INVITE', { body: sdp }));
    await tick();
    expect(calls).toHaveLength(1);
    expect(invite.responses.map((r) => r.status)).toEqual([100, 180]);
    const answering = calls[0]!.answer();
    const tag = getTo(invite.responses.at(-1)!).params.tag!;
    stack.deliver(request('ACK', { toTag: tag }));
    await answering;
    expect(ua.activeCalls()).toHaveLength(1);
    const bye = stack.deliver(request('BYE', { toTag: tag }).replace('1 BYE', '2 BYE'));
    expect(bye.responses[0]?.status).toBe(200);
    await calls[0]!.ended;
    expect(ua.activeCalls()).toHaveLength(0);
  });

  it('refuses INVITEs from unknown sources (403) and for users it does not answer (404)', async () => {
    const { stack, ua } = agent({ users: ['bot'] });
    ua.onIncoming(() => {});
    expect(stack.deliver(request('INVITE', { body: sdp }), '198.51.100.9').responses[0]?.status).toBe(403);
    expect(stack.deliver(request('INVITE', { body: sdp, user: 'other' })).responses[0]?.status).toBe(404);
  });

  it('accepts INVITEs from a registrar it registered with', async () => {
    const registration: AccountRegistration = {
      account: { id: 'a', registrar: 'sip:pbx.example', user: 'zhike', password: 'x' },
      sourceHosts: () => ['10.1.1.1'],
      authenticate: () => null,
      stop: async () => {},
    };
    const { stack, ua } = agent({ registrations: [registration], trunk: [] });
    const calls: InboundSipCall[] = [];
    ua.onIncoming((call) => calls.push(call));
    stack.deliver(request('INVITE', { body: sdp }), '10.1.1.1');
    await tick();
    expect(calls).toHaveLength(1);
  });

  it('answers OPTIONS with 200, unknown dialogs with 481, other methods with 405, CANCEL of an unknown INVITE with 481', () => {
    const { stack } = agent();
    const options = stack.deliver(request('OPTIONS'));
    expect(options.responses[0]?.status).toBe(200);
    expect(getHeader(options.responses[0]!, 'Allow')).toContain('INVITE');
    expect(stack.deliver(request('BYE', { toTag: 'nope' })).responses[0]?.status).toBe(481);
    expect(stack.deliver(request('MESSAGE')).responses[0]?.status).toBe(405);
    expect(stack.deliver(request('CANCEL')).responses[0]?.status).toBe(481);
    expect(stack.deliver(request('ACK', { toTag: 'nope' })).responses).toHaveLength(0);
  });

  it('rejects with 480 when nobody listens, and ignores a retransmitted INVITE', async () => {
    const { stack, media } = agent();
    const first = stack.deliver(request('INVITE', { body: sdp }));
    const again = stack.deliver(request('INVITE', { body: sdp }));
    await tick();
    expect(first.responses.map((r) => r.status)).toEqual([100, 180, 480]);
    expect(again.responses).toHaveLength(0);
    expect(media.released).toBe(1);
  });

  it('dials through an account (proxy = registrar, its credentials) and stops gracefully', async () => {
    const challenges: number[] = [];
    const registration: AccountRegistration = {
      account: {
        id: 'pbx',
        registrar: 'sip:10.1.1.1:5080',
        user: '8001',
        password: 'x',
        domain: 'pbx.example',
      },
      sourceHosts: () => ['10.1.1.1'],
      authenticate: (_request, challenge) => {
        challenges.push(challenge.status);
        return { name: 'Authorization', value: 'Digest x' };
      },
      stop: async () => {
        stopped = true;
      },
    };
    let stopped = false;
    const { stack, ua } = agent({ registrations: [registration] });
    const call = await ua.dial('sip:13800138000@pbx.example', { accountId: 'pbx' });
    const invite = stack.last('INVITE');
    expect(invite.destination).toEqual({ transport: 'UDP', host: '10.1.1.1', port: 5080 });
    expect(getHeader(invite.request, 'From')).toMatch(/^<sip:8001@pbx\.example>;tag=/);
    invite.reply(401, { toTag: 'x' });
    expect(challenges).toEqual([401]);
    stack.last('INVITE').reply(180, { toTag: 't' });
    await ua.stop();
    expect(stack.last('CANCEL')).toBeDefined();
    expect((await call.ended).cause).toBe('cancelled');
    expect(stopped).toBe(true);
    expect(stack.closed).toBe(true);
    await expect(ua.dial('sip:x@127.0.0.1')).rejects.toThrow(/stopping/);
  });

  it('answers a request that breaks its handling with 500 and keeps serving', async () => {
    const { stack, ua } = agent();
    ua.onIncoming(() => {
      throw new Error('listener bug');
    });
    const invite = stack.deliver(request('INVITE', { body: sdp }));
    await tick();
    expect(invite.responses.map((r) => r.status)).toEqual([100, 180]);
    expect(stack.deliver(request('OPTIONS')).responses[0]?.status).toBe(200);
  });
});

describe('SipUserAgent acceptance', () => {
  it('tells which registration a call arrived on, and follows reconfigure()', async () => {
    const registration: AccountRegistration = {
      account: { id: 'inbox-7', registrar: 'sip:pbx.example', user: '8001', password: 'x' },
      sourceHosts: () => ['10.1.1.1'],
      authenticate: () => null,
      stop: async () => {},
    };
    const { stack, ua } = agent({ trunk: [] });
    const calls: InboundSipCall[] = [];
    ua.onIncoming((call) => calls.push(call));
    expect(stack.deliver(request('INVITE', { body: sdp }), '10.1.1.1').responses[0]?.status).toBe(403);
    ua.reconfigure({ registrations: [registration] });
    stack.deliver(request('INVITE', { body: sdp, callId: 'c2', user: '8001' }), '10.1.1.1');
    await tick();
    expect(calls[0]?.arrival).toEqual({
      accountId: 'inbox-7',
      dialled: '8001',
      source: { transport: 'UDP', host: '10.1.1.1', port: 5062 },
    });
    ua.reconfigure({
      registrations: [],
      isTrunkSource: (host) => host === '10.9.9.9',
      answerUsers: ['4008'],
    });
    expect(
      stack.deliver(request('INVITE', { body: sdp, callId: 'c3' }), '10.9.9.9').responses[0]?.status,
    ).toBe(404);
    stack.deliver(request('INVITE', { body: sdp, callId: 'c4', user: '4008' }), '10.9.9.9');
    await tick();
    expect(calls[1]?.arrival.accountId).toBeNull();
  });
});

describe('SipUserAgent.stop', () => {
  it('does not wait past its grace time for a peer that never answers the BYE or the unregister', async () => {
    const stack = new FakeStack();
    const clock = new ManualClock();
    let unregistered = false;
    const registration: AccountRegistration = {
      account: { id: 'a', registrar: 'sip:10.1.1.1', user: 'u', password: 'p' },
      sourceHosts: () => ['10.1.1.1'],
      authenticate: () => null,
      stop: () =>
        new Promise<void>(() => {
          unregistered = true;
        }),
    };
    const ua = new SipUserAgent({
      stack,
      media: new FakeMedia(),
      clock,
      createTrace: () => new ListTrace(),
      registrations: [registration],
      isTrunkSource: () => true,
      mediaAddress: '203.0.113.7',
    });
    const calls: InboundSipCall[] = [];
    ua.onIncoming((call) => calls.push(call));
    const invite = stack.deliver(request('INVITE', { body: sdp }));
    await tick();
    const answering = calls[0]!.answer();
    stack.deliver(request('ACK', { toTag: getTo(invite.responses.at(-1)!).params.tag! }));
    await answering;
    const stopping = ua.stop({ graceMs: 1000 });
    await tick();
    expect(stack.last('BYE')).toBeDefined();
    expect((await calls[0]!.ended).cause).toBe('local-hangup');
    clock.advance(1000);
    await tick();
    expect(unregistered).toBe(true);
    clock.advance(1000);
    await stopping;
    expect(stack.closed).toBe(true);
  });
});
