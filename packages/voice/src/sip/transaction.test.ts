import { describe, expect, it } from 'vitest';
import type { Unsubscribe } from '../types.ts';
import { getCSeq, getHeader, getTo, getTopVia } from './headers.ts';
import {
  createRequest,
  createResponse,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from './message.ts';
import { type IncomingRequest, SipTransactionLayer, type SipWire } from './stack.ts';
import { SteppedClock } from './testClock.test-support.ts';
import type { SipPeer } from './transport.ts';
import { parseUri } from './uri.ts';

class FakeWire implements SipWire {
  readonly host = '10.0.0.1';
  readonly port = 5060;
  sent: { message: SipMessage; at: number; target: SipPeer }[] = [];
  fail = false;
  private listener: ((message: SipMessage, source: SipPeer) => void) | undefined;
  constructor(private readonly clock: SteppedClock) {}
  send(message: SipMessage, target: SipPeer): Promise<void> {
    if (this.fail) return Promise.reject(new Error('unreachable'));
    this.sent.push({ message, at: this.clock.now(), target });
    return Promise.resolve();
  }
  sendResponse(response: SipResponse, source: SipPeer): Promise<void> {
    return this.send(response, source);
  }
  onMessage(listener: (message: SipMessage, source: SipPeer) => void): Unsubscribe {
    this.listener = listener;
    return () => (this.listener = undefined);
  }
  inject(message: SipMessage, source: SipPeer = PEER): void {
    this.listener?.(message, source);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
  times(method: string): number[] {
    return this.sent
      .filter((s) => s.message.kind === 'request' && s.message.method === method)
      .map((s) => s.at);
  }
  statuses(): number[] {
    return this.sent.flatMap((s) => (s.message.kind === 'response' ? [s.message.status] : []));
  }
}

const PEER: SipPeer = { transport: 'UDP', host: '10.0.0.2', port: 5060 };
const TCP_PEER: SipPeer = { transport: 'TCP', host: '10.0.0.2', port: 5060 };
let branchSeq = 0;

function request(method: string, branch = `z9hG4bKtest${branchSeq++}`, seq = 1): SipRequest {
  return createRequest({
    method,
    uri: parseUri('sip:bob@10.0.0.2'),
    headers: [
      { name: 'Via', value: `SIP/2.0/UDP 10.0.0.1:5060;branch=${branch};rport` },
      { name: 'Route', value: '<sip:proxy.example;lr>' },
      { name: 'From', value: '<sip:alice@10.0.0.1>;tag=a1' },
      { name: 'To', value: '<sip:bob@10.0.0.2>' },
      { name: 'Call-ID', value: 'call-1' },
      { name: 'CSeq', value: `${seq} ${method}` },
      { name: 'Max-Forwards', value: '70' },
    ],
  });
}

function setup() {
  const clock = new SteppedClock();
  const wire = new FakeWire(clock);
  const errors: unknown[] = [];
  const layer = new SipTransactionLayer({
    transport: wire,
    clock,
    maxServerTransactionsPerSource: 3,
    onError: (e) => errors.push(e),
  });
  const incoming: IncomingRequest[] = [];
  layer.onRequest((r) => incoming.push(r));
  return { clock, wire, layer, incoming, errors };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('client transactions', () => {
  it('non-INVITE over UDP: Timer E doubles up to T2, Timer F ends it with a local 408', () => {
    const { clock, wire, layer } = setup();
    const responses: number[] = [];
    const tx = layer.sendRequest(request('OPTIONS'), PEER);
    tx.onResponse((r) => responses.push(r.status));
    clock.advance(40_000);
    expect(wire.times('OPTIONS')).toEqual([
      0, 500, 1500, 3500, 7500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500,
    ]);
    expect(responses).toEqual([408]);
    expect(tx.state).toBe('terminated');
    expect(layer.counts().clients).toBe(0);
  });

  it('non-INVITE: a final is delivered once, retransmissions absorbed, Timer K ends it', () => {
    const { clock, wire, layer } = setup();
    const req = request('REGISTER');
    const responses: number[] = [];
    const tx = layer.sendRequest(req, PEER);
    tx.onResponse((r) => responses.push(r.status));
    clock.advance(600);
    wire.inject(createResponse(req, 100));
    clock.advance(3000);
    // After a provisional, retransmissions continue every T2.
    expect(wire.times('REGISTER')).toEqual([0, 500, 1500]);
    clock.advance(2000);
    expect(wire.times('REGISTER')).toEqual([0, 500, 1500, 5500]);
    wire.inject(createResponse(req, 200));
    wire.inject(createResponse(req, 200));
    expect(responses).toEqual([100, 200]);
    expect(tx.state).toBe('completed');
    clock.advance(5000);
    expect(tx.state).toBe('terminated');
  });

  it('INVITE: Timer A retransmits until a provisional; a non-2xx final is ACKed by the transaction', () => {
    const { clock, wire, layer } = setup();
    const invite = request('INVITE', 'z9hG4bKinv1', 7);
    const responses: number[] = [];
    layer.sendRequest(invite, PEER).onResponse((r) => responses.push(r.status));
    clock.advance(3600);
    expect(wire.times('INVITE')).toEqual([0, 500, 1500, 3500]);
    wire.inject(createResponse(invite, 180, undefined, { toTag: 'b2' }));
    clock.advance(60_000);
    expect(wire.times('INVITE')).toHaveLength(4);
    const busy = createResponse(invite, 486, undefined, { toTag: 'b2' });
    wire.inject(busy);
    const ack = wire.sent.at(-1)!.message as SipRequest;
    expect(ack.method).toBe('ACK');
    expect(getTopVia(ack).params.branch).toBe('z9hG4bKinv1');
    expect(getTo(ack).params.tag).toBe('b2');
    expect(getCSeq(ack)).toEqual({ seq: 7, method: 'ACK' });
    expect(getHeader(ack, 'Route')).toBe('<sip:proxy.example;lr>');
    wire.inject(busy);
    expect(wire.times('ACK')).toHaveLength(2);
    expect(responses).toEqual([180, 486]);
    clock.advance(32_000);
    expect(layer.counts().clients).toBe(0);
  });

  it('INVITE: every 2xx reaches the dialog until Timer M', () => {
    const { clock, wire, layer } = setup();
    const invite = request('INVITE');
    const responses: number[] = [];
    const tx = layer.sendRequest(invite, PEER);
    tx.onResponse((r) => responses.push(r.status));
    const ok = createResponse(invite, 200, undefined, { toTag: 'x' });
    wire.inject(ok);
    wire.inject(ok);
    expect(responses).toEqual([200, 200]);
    expect(tx.state).toBe('accepted');
    expect(wire.times('ACK')).toEqual([]);
    clock.advance(32_000);
    expect(tx.state).toBe('terminated');
  });

  it('over TCP nothing is retransmitted and Timer B still answers 408', () => {
    const { clock, wire, layer } = setup();
    const responses: number[] = [];
    layer.sendRequest(request('INVITE'), TCP_PEER).onResponse((r) => responses.push(r.status));
    clock.advance(40_000);
    expect(wire.times('INVITE')).toEqual([0]);
    expect(responses).toEqual([408]);
  });

  it('a transport failure is a local 503', async () => {
    const { wire, layer, errors } = setup();
    wire.fail = true;
    const responses: number[] = [];
    layer.sendRequest(request('OPTIONS'), PEER).onResponse((r) => responses.push(r.status));
    await flush();
    expect(responses).toEqual([503]);
    expect(errors).toHaveLength(1);
  });

  it('refuses ACK and requests without an RFC 3261 branch', () => {
    const { layer } = setup();
    expect(() => layer.sendRequest(request('ACK'), PEER)).toThrow(/sendAck/);
    expect(() => layer.sendRequest(request('OPTIONS', 'old-branch'), PEER)).toThrow(/branch/);
  });
});

describe('server transactions', () => {
  it('INVITE: 100 Trying after 200 ms, retransmissions re-answered, Timer G until the ACK', () => {
    const { clock, wire, incoming } = setup();
    const invite = request('INVITE', 'z9hG4bKsrv1');
    wire.inject(invite);
    expect(incoming).toHaveLength(1);
    clock.advance(250);
    expect(wire.statuses()).toEqual([100]);
    wire.inject(invite);
    expect(incoming).toHaveLength(1);
    expect(wire.statuses()).toEqual([100, 100]);
    incoming[0]!.respond(createResponse(invite, 486, undefined, { toTag: 't' }));
    clock.advance(3600);
    expect(wire.statuses()).toEqual([100, 100, 486, 486, 486, 486]);
    wire.inject({ ...request('ACK', 'z9hG4bKsrv1'), uri: invite.uri });
    clock.advance(10_000);
    expect(wire.statuses()).toHaveLength(6);
    expect(incoming).toHaveLength(1);
  });

  it('INVITE: Timer H gives up on an ACK that never comes', () => {
    const { clock, wire, incoming, layer } = setup();
    const invite = request('INVITE');
    wire.inject(invite);
    incoming[0]!.respond(createResponse(invite, 603, undefined, { toTag: 't' }));
    clock.advance(32_000);
    expect(layer.counts().servers).toBe(0);
    const sent = wire.statuses().length;
    clock.advance(10_000);
    expect(wire.statuses()).toHaveLength(sent);
  });

  it('INVITE answered 2xx: retransmitted INVITEs absorbed, the ACK and later 2xx pass through', () => {
    const { clock, wire, incoming } = setup();
    const invite = request('INVITE', 'z9hG4bKsrv2');
    wire.inject(invite);
    const ok = createResponse(invite, 200, undefined, { toTag: 't' });
    incoming[0]!.respond(ok);
    wire.inject(invite);
    expect(wire.statuses()).toEqual([200]);
    incoming[0]!.respond(ok); // the dialog's own retransmission
    expect(wire.statuses()).toEqual([200, 200]);
    const ack = request('ACK', 'z9hG4bKack2');
    wire.inject(ack);
    expect(incoming.map((i) => i.request.method)).toEqual(['INVITE', 'ACK']);
    clock.advance(40_000);
    incoming[0]!.respond(ok);
    expect(wire.statuses()).toEqual([200, 200, 200]);
  });

  it('non-INVITE: silent until answered, then the last response again; Timer J ends it', () => {
    const { clock, wire, incoming, layer } = setup();
    const bye = request('BYE');
    wire.inject(bye);
    wire.inject(bye);
    expect(wire.statuses()).toEqual([]);
    incoming[0]!.respond(createResponse(bye, 200));
    wire.inject(bye);
    expect(wire.statuses()).toEqual([200, 200]);
    expect(incoming).toHaveLength(1);
    clock.advance(32_000);
    expect(layer.counts().servers).toBe(0);
  });

  it('a non-INVITE the TU never answers gets 408 and frees its slot', () => {
    const { clock, wire, layer } = setup();
    wire.inject(request('OPTIONS'));
    clock.advance(32_000);
    expect(wire.statuses()).toEqual([408]);
    clock.advance(32_000);
    expect(layer.counts().servers).toBe(0);
  });

  it('CANCEL is its own transaction beside the INVITE with the same branch', () => {
    const { wire, incoming } = setup();
    wire.inject(request('INVITE', 'z9hG4bKsame'));
    wire.inject(request('CANCEL', 'z9hG4bKsame'));
    expect(incoming.map((i) => i.request.method)).toEqual(['INVITE', 'CANCEL']);
  });

  it('caps open transactions per source with 503, other sources unaffected', () => {
    const { wire, incoming } = setup();
    for (let i = 0; i < 5; i++) wire.inject(request('OPTIONS'));
    expect(incoming).toHaveLength(3);
    expect(wire.statuses()).toEqual([503, 503]);
    wire.inject(request('OPTIONS'), { transport: 'UDP', host: '10.0.0.9', port: 5060 });
    expect(incoming).toHaveLength(4);
  });
});
