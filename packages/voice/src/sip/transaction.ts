// RFC 3261 §17 transactions with the RFC 6026 "Accepted" states: INVITE and non-INVITE, client and server,
// timers A–M on an injectable clock, retransmission over UDP only, the ACK for a non-2xx final generated
// by the INVITE client transaction, and server transactions that absorb retransmitted requests and send
// the last response again. SipStack (stack.ts) creates them and routes messages to them.

import type { Unsubscribe, VoiceClock } from '../types.ts';
import { getHeader, getHeaderValues } from './headers.ts';
import { createResponse, type SipRequest, type SipResponse } from './message.ts';
import type { SipPeer } from './transport.ts';

export interface SipTimerValues {
  /** RTT estimate: first retransmission interval. */
  t1: number;
  /** Longest retransmission interval for non-INVITE requests and INVITE responses. */
  t2: number;
  /** How long a message may stay in the network. */
  t4: number;
}

export const DEFAULT_TIMER_VALUES: Readonly<SipTimerValues> = Object.freeze({ t1: 500, t2: 4000, t4: 5000 });

/** What a transaction sends through; SipTransport implements it. */
export interface TransactionWire {
  send(message: SipRequest | SipResponse, target: SipPeer): Promise<void>;
  sendResponse(response: SipResponse, source: SipPeer): Promise<void>;
}

interface TransactionContext {
  wire: TransactionWire;
  clock: VoiceClock;
  timers: SipTimerValues;
  onError(error: unknown): void;
}

type Timer = { cancel(): void };

abstract class Transaction {
  protected readonly pending = new Map<string, Timer>();
  private readonly terminatedListeners = new Set<() => void>();
  private done = false;

  constructor(protected readonly ctx: TransactionContext) {}

  get terminated(): boolean {
    return this.done;
  }

  onTerminated(listener: () => void): Unsubscribe {
    this.terminatedListeners.add(listener);
    return () => this.terminatedListeners.delete(listener);
  }

  protected start(name: string, ms: number, fire: () => void): void {
    this.stop(name);
    this.pending.set(
      name,
      this.ctx.clock.setTimeout(() => {
        this.pending.delete(name);
        if (!this.done) fire();
      }, ms),
    );
  }

  protected stop(name: string): void {
    this.pending.get(name)?.cancel();
    this.pending.delete(name);
  }

  protected terminate(): void {
    if (this.done) return;
    this.done = true;
    for (const timer of this.pending.values()) timer.cancel();
    this.pending.clear();
    for (const listener of this.terminatedListeners) listener();
  }

  /** Timer values that are zero on reliable transports (D, I, J, K). */
  protected waitFor(reliable: boolean, ms: number): number {
    return reliable ? 0 : ms;
  }
}

export type ClientTransactionState =
  | 'calling'
  | 'trying'
  | 'proceeding'
  | 'accepted'
  | 'completed'
  | 'terminated';

/**
 * A request we sent (§17.1). Every response reaches onResponse once (retransmissions absorbed), except
 * that 2xx retransmissions to an INVITE keep arriving (the dialog ACKs each). A timeout arrives as a local
 * 408 and a transport failure as a local 503 (§8.1.3.1).
 */
export class ClientTransaction extends Transaction {
  readonly method: string;
  private phase: ClientTransactionState;
  private readonly listeners = new Set<(response: SipResponse) => void>();
  private readonly backlog: SipResponse[] = [];
  private ack: SipRequest | undefined;

  constructor(
    ctx: TransactionContext,
    readonly request: SipRequest,
    readonly destination: SipPeer,
    readonly branch: string,
  ) {
    super(ctx);
    this.method = request.method;
    this.phase = this.isInvite ? 'calling' : 'trying';
  }

  private get isInvite(): boolean {
    return this.method === 'INVITE';
  }

  get state(): ClientTransactionState {
    return this.terminated ? 'terminated' : this.phase;
  }

  /** Responses that arrived before the first listener are replayed to it. */
  onResponse(listener: (response: SipResponse) => void): Unsubscribe {
    this.listeners.add(listener);
    for (const response of this.backlog.splice(0)) listener(response);
    return () => this.listeners.delete(listener);
  }

  /** Sends the request and starts the timers. */
  begin(): void {
    const { t1, t2 } = this.ctx.timers;
    this.transmit(this.request);
    if (this.destination.transport === 'UDP') {
      // Timer A (INVITE, doubling without cap) / E (non-INVITE, doubling up to T2).
      let interval = t1;
      const retransmit = (): void => {
        if (this.phase !== 'calling' && this.phase !== 'trying' && this.phase !== 'proceeding') return;
        this.transmit(this.request);
        // A non-INVITE in Proceeding retransmits every T2 from the next firing on (§17.1.2.2).
        interval = this.isInvite
          ? interval * 2
          : this.phase === 'proceeding'
            ? t2
            : Math.min(interval * 2, t2);
        this.start('retransmit', interval, retransmit);
      };
      this.start('retransmit', interval, retransmit);
    }
    // Timer B / F: no final response in time.
    this.start('timeout', 64 * t1, () => {
      this.deliver(createResponse(this.request, 408, 'Request Timeout'));
      this.terminate();
    });
  }

  receive(response: SipResponse): void {
    if (this.terminated) return;
    const status = response.status;
    if (status < 200) {
      if (this.phase === 'calling' || this.phase === 'trying' || this.phase === 'proceeding') {
        if (this.isInvite) {
          // An INVITE that got a provisional answer waits for the TU (CANCEL); only Timer A stops.
          this.stop('retransmit');
          this.stop('timeout');
        }
        this.phase = 'proceeding';
        this.deliver(response);
      }
      return;
    }
    if (this.isInvite && status < 300) {
      if (this.phase !== 'accepted') {
        this.phase = 'accepted';
        this.stop('retransmit');
        this.stop('timeout');
        // Timer M (RFC 6026): stay to pass 2xx retransmissions (and forked 2xx) to the dialog.
        this.start('linger', 64 * this.ctx.timers.t1, () => this.terminate());
      }
      this.deliver(response);
      return;
    }
    if (this.phase === 'completed') {
      // A retransmitted final: our ACK was lost, send it again; the TU has seen this response.
      if (this.ack) this.transmit(this.ack);
      return;
    }
    if (this.phase === 'accepted') return;
    this.phase = 'completed';
    this.stop('retransmit');
    this.stop('timeout');
    const reliable = this.destination.transport !== 'UDP';
    if (this.isInvite) {
      this.ack = buildNonSuccessAck(this.request, response);
      this.transmit(this.ack);
      this.start('linger', this.waitFor(reliable, 32_000), () => this.terminate()); // Timer D
    } else {
      this.start('linger', this.waitFor(reliable, this.ctx.timers.t4), () => this.terminate()); // Timer K
    }
    this.deliver(response);
  }

  private transmit(message: SipRequest): void {
    this.ctx.wire.send(message, this.destination).catch((error: unknown) => {
      this.ctx.onError(error);
      if (this.terminated || this.phase === 'completed' || this.phase === 'accepted') return;
      this.deliver(createResponse(this.request, 503, 'Service Unavailable'));
      this.terminate();
    });
  }

  private deliver(response: SipResponse): void {
    if (this.listeners.size === 0) {
      this.backlog.push(response);
      return;
    }
    for (const listener of this.listeners) {
      try {
        listener(response);
      } catch (error) {
        this.ctx.onError(error);
      }
    }
  }
}

/** §17.1.1.3: the ACK for a non-2xx final, sent by the transaction with the INVITE's branch. */
export function buildNonSuccessAck(invite: SipRequest, response: SipResponse): SipRequest {
  const headers = [
    { name: 'Via', value: getHeaderValues(invite, 'Via')[0] ?? '' },
    ...invite.headers.filter((h) => h.name === 'Route' || h.name === 'From' || h.name === 'Call-ID'),
    { name: 'To', value: getHeader(response, 'To') ?? getHeader(invite, 'To') ?? '' },
    { name: 'CSeq', value: `${(getHeader(invite, 'CSeq') ?? '').trim().split(/\s+/)[0]} ACK` },
    { name: 'Max-Forwards', value: '70' },
  ];
  return { kind: 'request', method: 'ACK', uri: invite.uri, headers, body: Buffer.alloc(0) };
}

export type ServerTransactionState =
  | 'trying'
  | 'proceeding'
  | 'accepted'
  | 'completed'
  | 'confirmed'
  | 'terminated';

/**
 * A request we received (§17.2), answered through respond(). An INVITE gets 100 Trying by itself if the
 * TU has not answered within 200 ms (§8.2.6.1); 2xx to an INVITE may be sent again after the
 * transaction ended (the dialog's own retransmissions, §13.3.1.4) and go straight to the transport.
 */
export class ServerTransaction extends Transaction {
  private phase: ServerTransactionState;
  private last: SipResponse | undefined;
  private readonly reliable: boolean;

  constructor(
    ctx: TransactionContext,
    readonly request: SipRequest,
    readonly source: SipPeer,
    /** Called once when an INVITE's non-2xx final was never ACKed (Timer H). */
    private readonly onAckTimeout: () => void = () => {},
  ) {
    super(ctx);
    this.reliable = source.transport !== 'UDP';
    this.phase = request.method === 'INVITE' ? 'proceeding' : 'trying';
    if (request.method === 'INVITE') {
      this.start('trying', 200, () => {
        if (!this.last) this.respond(createResponse(request, 100, 'Trying'));
      });
    }
  }

  get state(): ServerTransactionState {
    return this.terminated ? 'terminated' : this.phase;
  }

  respond(response: SipResponse): void {
    const isInvite = this.request.method === 'INVITE';
    if (this.terminated || this.phase === 'accepted') {
      // The dialog retransmits its 2xx itself (§13.3.1.4); anything else after the end is dropped.
      if (isInvite && response.status >= 200 && response.status < 300) this.transmit(response);
      return;
    }
    if (this.phase === 'completed' || this.phase === 'confirmed') return;
    this.stop('trying');
    this.last = response;
    this.transmit(response);
    const { t1, t2 } = this.ctx.timers;
    if (response.status < 200) {
      this.phase = 'proceeding';
      return;
    }
    if (isInvite && response.status < 300) {
      this.phase = 'accepted';
      this.start('linger', 64 * t1, () => this.terminate()); // Timer L
      return;
    }
    this.phase = 'completed';
    if (!isInvite) {
      this.start('linger', this.waitFor(this.reliable, 64 * t1), () => this.terminate()); // Timer J
      return;
    }
    if (!this.reliable) {
      let interval = t1;
      const retransmit = (): void => {
        if (this.phase !== 'completed' || !this.last) return;
        this.transmit(this.last);
        interval = Math.min(interval * 2, t2);
        this.start('retransmit', interval, retransmit); // Timer G
      };
      this.start('retransmit', interval, retransmit);
    }
    this.start('timeout', 64 * t1, () => {
      this.onAckTimeout();
      this.terminate();
    }); // Timer H
  }

  /**
   * A request that matched this transaction: a retransmission, or an ACK. Returns false for an ACK the
   * dialog must see (one that reached an INVITE already answered with 2xx, RFC 6026 §7.1).
   */
  receive(request: SipRequest): boolean {
    if (request.method === 'ACK') {
      if (this.phase === 'accepted' && !this.terminated) return false;
      if (this.phase === 'completed' && !this.terminated) {
        this.phase = 'confirmed';
        this.stop('retransmit');
        this.stop('timeout');
        this.start('linger', this.waitFor(this.reliable, this.ctx.timers.t4), () => this.terminate()); // Timer I
      }
      return true;
    }
    if (!this.terminated && (this.phase === 'proceeding' || this.phase === 'completed') && this.last) {
      this.transmit(this.last);
    }
    return true;
  }

  private transmit(response: SipResponse): void {
    this.ctx.wire.sendResponse(response, this.source).catch((error: unknown) => {
      // §17.2.4: a transport failure ends the transaction; the dialog hears nothing more from it.
      this.ctx.onError(error);
      if (this.phase !== 'accepted') this.terminate();
    });
  }
}

export type { TransactionContext };
