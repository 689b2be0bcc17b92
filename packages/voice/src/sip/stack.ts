// The transaction layer over a transport: matches requests and responses to transactions (§17.1.3,
// §17.2.3: top Via branch with the RFC 3261 magic cookie, sent-by and method), creates server
// transactions for new requests, and caps the transactions one source may hold open. It is the SipStack
// that call control (call/userAgent.ts) and registration run on.
//
// API:
//   const layer = new SipTransactionLayer({ transport, publicAddress? })
//   layer.onRequest((incoming) => incoming.respond(createResponse(incoming.request, 200)))
//   layer.sendRequest(request, { transport: 'UDP', host, port }).onResponse((response) => …)
//   layer.sendAck(ack, destination); layer.localAddress('UDP'); await layer.close()

import type { Unsubscribe, VoiceClock } from '../types.ts';
import { BRANCH_MAGIC_COOKIE, getCallId, getCSeq, getFrom, getTopVia } from './headers.ts';
import { createResponse, type SipMessage, type SipRequest, type SipResponse } from './message.ts';
import {
  ClientTransaction,
  DEFAULT_TIMER_VALUES,
  ServerTransaction,
  type SipTimerValues,
  type TransactionContext,
  type TransactionWire,
} from './transaction.ts';
import type { SipPeer, SipTransportName } from './transport.ts';
import { formatHostPort } from './uri.ts';

/** The transport as the transaction layer uses it; SipTransport implements it. */
export interface SipWire extends TransactionWire {
  readonly host: string;
  readonly port: number;
  onMessage(listener: (message: SipMessage, source: SipPeer) => void): Unsubscribe;
  close(): Promise<void>;
}

/** A request handed to the TU: answer it with respond() (an ACK's respond does nothing). */
export interface IncomingRequest {
  readonly request: SipRequest;
  readonly source: SipPeer;
  respond(response: SipResponse): void;
}

export interface SipTransactionLayerOptions {
  transport: SipWire;
  clock?: VoiceClock;
  timers?: Partial<SipTimerValues>;
  /** Address to put in Via and Contact when we sit behind NAT (port defaults to the listening port). */
  publicAddress?: { host: string; port?: number };
  /** Open server transactions one source IP may hold; more get 503 (a flood cannot fill memory). */
  maxServerTransactionsPerSource?: number;
  onError?: (error: unknown) => void;
}

/** The wall clock as a VoiceClock. */
export function systemClock(): VoiceClock {
  return {
    now: () => performance.now(),
    setTimeout(fn, ms) {
      const handle = setTimeout(fn, ms);
      handle.unref?.();
      return { cancel: () => clearTimeout(handle) };
    },
  };
}

export class SipTransactionLayer {
  private readonly clients = new Map<string, ClientTransaction>();
  private readonly servers = new Map<string, ServerTransaction>();
  private readonly openPerSource = new Map<string, number>();
  private readonly handlers = new Set<(incoming: IncomingRequest) => void>();
  private readonly ctx: TransactionContext;
  private readonly offMessages: Unsubscribe;
  private readonly maxPerSource: number;

  constructor(private readonly options: SipTransactionLayerOptions) {
    const onError = options.onError ?? (() => {});
    this.ctx = {
      wire: options.transport,
      clock: options.clock ?? systemClock(),
      timers: { ...DEFAULT_TIMER_VALUES, ...options.timers },
      onError,
    };
    this.maxPerSource = options.maxServerTransactionsPerSource ?? 256;
    this.offMessages = options.transport.onMessage((message, source) => {
      try {
        if (message.kind === 'request') this.onIncomingRequest(message, source);
        else this.onIncomingResponse(message);
      } catch (error) {
        onError(error);
      }
    });
  }

  /** How we appear in Via and Contact on a transport (the public address when configured). */
  localAddress(transport: SipTransportName): { transport: SipTransportName; host: string; port: number } {
    const pub = this.options.publicAddress;
    return {
      transport,
      host: pub?.host ?? this.options.transport.host,
      port: pub?.port ?? this.options.transport.port,
    };
  }

  /** A Via value for a new request from us, with a fresh branch and rport (RFC 3581). */
  via(transport: SipTransportName, branch: string): string {
    const local = this.localAddress(transport);
    return `SIP/2.0/${transport} ${formatHostPort(local.host, local.port)};branch=${branch};rport`;
  }

  onRequest(handler: (incoming: IncomingRequest) => void): Unsubscribe {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /** Sends a request (not ACK) in a new client transaction keyed by its top Via branch. */
  sendRequest(request: SipRequest, destination: SipPeer): ClientTransaction {
    if (request.method === 'ACK') throw new Error('ACK is sent with sendAck, outside transactions');
    const branch = getTopVia(request).params.branch;
    if (!branch?.startsWith(BRANCH_MAGIC_COOKIE)) throw new Error('a request needs an RFC 3261 branch');
    const key = `${branch}|${request.method}`;
    if (this.clients.has(key)) throw new Error(`a transaction with branch ${branch} is already running`);
    const transaction = new ClientTransaction(this.ctx, request, destination, branch);
    this.clients.set(key, transaction);
    transaction.onTerminated(() => this.clients.delete(key));
    transaction.begin();
    return transaction;
  }

  /** Sends an ACK to a 2xx: end to end, outside any transaction (§13.2.2.4). */
  sendAck(ack: SipRequest, destination: SipPeer): void {
    this.options.transport.send(ack, destination).catch((error: unknown) => this.ctx.onError(error));
  }

  /** Open transactions, for tests and the trace. */
  counts(): { clients: number; servers: number } {
    return { clients: this.clients.size, servers: this.servers.size };
  }

  async close(): Promise<void> {
    this.offMessages();
    await this.options.transport.close();
  }

  private onIncomingResponse(response: SipResponse): void {
    const branch = getTopVia(response).params.branch;
    if (!branch) return;
    const transaction = this.clients.get(`${branch}|${getCSeq(response).method}`);
    // A response matching nothing is dropped (§18.1.2); it is not ours or its transaction is over.
    transaction?.receive(response);
  }

  private onIncomingRequest(request: SipRequest, source: SipPeer): void {
    const key = serverKey(request);
    const existing = this.servers.get(key);
    if (existing) {
      if (!existing.receive(request)) this.deliver(ackOnly(request, source));
      return;
    }
    if (request.method === 'ACK') {
      // The ACK to a 2xx is a transaction of its own with nothing to answer: straight to the dialog.
      this.deliver(ackOnly(request, source));
      return;
    }
    const open = this.openPerSource.get(source.host) ?? 0;
    if (open >= this.maxPerSource) {
      const busy = createResponse(request, 503, 'Service Unavailable', {
        headers: [{ name: 'Retry-After', value: '5' }],
      });
      this.options.transport.sendResponse(busy, source).catch((error: unknown) => this.ctx.onError(error));
      return;
    }
    const transaction = new ServerTransaction(this.ctx, request, source);
    this.servers.set(key, transaction);
    this.openPerSource.set(source.host, open + 1);
    transaction.onTerminated(() => {
      this.servers.delete(key);
      const left = (this.openPerSource.get(source.host) ?? 1) - 1;
      if (left <= 0) this.openPerSource.delete(source.host);
      else this.openPerSource.set(source.host, left);
    });
    if (request.method !== 'INVITE') {
      // A non-INVITE the TU never answers would hold its slot forever; Timer F's span bounds it.
      this.ctx.clock.setTimeout(() => {
        if (transaction.state === 'trying' || transaction.state === 'proceeding') {
          transaction.respond(createResponse(request, 408, 'Request Timeout'));
        }
      }, 64 * this.ctx.timers.t1);
    }
    this.deliver(transaction);
  }

  private deliver(incoming: IncomingRequest): void {
    for (const handler of this.handlers) {
      try {
        handler(incoming);
      } catch (error) {
        this.ctx.onError(error);
      }
    }
  }
}

/** §17.2.3 matching key; RFC 2543 peers (no magic cookie) are keyed by the dialog-ish fields instead. */
function serverKey(request: SipRequest): string {
  const via = getTopVia(request);
  const method = request.method === 'ACK' ? 'INVITE' : request.method;
  const sentBy = formatHostPort(via.host, via.port);
  const branch = via.params.branch;
  if (branch?.startsWith(BRANCH_MAGIC_COOKIE)) return `${branch}|${sentBy}|${method}`;
  const cseq = getCSeq(request).seq;
  return `2543|${getCallId(request)}|${getFrom(request).params.tag ?? ''}|${cseq}|${sentBy}|${method}`;
}

function ackOnly(request: SipRequest, source: SipPeer): IncomingRequest {
  return { request, source, respond: () => {} };
}
