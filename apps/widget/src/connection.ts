// The widget's WebSocket session: reconnects with capped, jittered backoff, keeps the socket alive with
// pings, and on every (re)connect syncs from the last seen message and resends the outbox with the same
// clientMessageIds, so the server's dedupe makes resending safe. DOM-free: the socket comes from a factory.
import type { WidgetMessage } from '@zhike/contracts';
import {
  WIDGET_CLOSE,
  type WidgetClientFrame,
  type WidgetServerFrame,
  widgetSocketErrors,
} from '@zhike/contracts/protocol';
import { createClientMessageId } from './ids.ts';
import type { ChatStore } from './store.ts';

/** `blocked`: the server refused this page for good (origin not allowed, unknown inbox); no more retries. */
export type ConnectionStatus = 'connecting' | 'online' | 'offline' | 'blocked';

export interface SocketHandlers {
  open(): void;
  message(data: string): void;
  /** `code` is the close code the server sent, if any (see WIDGET_CLOSE). */
  close(code?: number): void;
}
export interface Socket {
  send(data: string): void;
  close(): void;
}
export type SocketFactory = (url: string, handlers: SocketHandlers) => Socket;

export interface ConnectionOptions {
  /** Read on every attempt: the visitor token can change between attempts. */
  url: () => string;
  openSocket: SocketFactory;
  store: ChatStore;
  random?: () => number;
  newClientMessageId?: () => string;
  now?: () => Date;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  pingIntervalMs?: number;
  /** How long a ping, or the `ready` after opening, may take before the socket counts as dead. */
  livenessTimeoutMs?: number;
  ackTimeoutMs?: number;
  /** Ack timeouts (each on a fresh socket) before a message is shown as failed. */
  maxSendAttempts?: number;
  /**
   * The server no longer knows this visitor (close code 4401): start a new session so that `url()` carries
   * the new token. The outbox is kept and sent on the new socket.
   */
  renewSession?: () => Promise<void>;
}

export function browserSocket(url: string, handlers: SocketHandlers): Socket {
  const ws = new WebSocket(url);
  ws.onopen = () => handlers.open();
  ws.onmessage = (event) => {
    if (typeof event.data === 'string') handlers.message(event.data);
  };
  // Browsers fire error then close; close alone drives the reconnect.
  ws.onclose = (event) => handlers.close(event.code);
  return { send: (data) => ws.send(data), close: () => ws.close() };
}

type Timer = ReturnType<typeof setTimeout>;
export type CallServerFrame = Extract<WidgetServerFrame, { type: `call.${string}` }>;

export class WidgetConnection {
  private status: ConnectionStatus = 'offline';
  private socket: Socket | null = null;
  private ready = false;
  private stopped = true;
  private attempt = 0;
  private renewing = false;
  /** A renewal already happened since the last `ready`: the next one waits for the backoff. */
  private renewedSinceReady = false;
  private retryTimer: Timer | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private livenessTimer: Timer | null = null;
  private readonly ackTimers = new Map<string, Timer>();
  private readonly sendAttempts = new Map<string, number>();
  private readonly statusListeners = new Set<(status: ConnectionStatus) => void>();
  private readonly queueListeners = new Set<(position: number | null, waitMinutes: number | null) => void>();
  private readonly callListeners = new Set<(frame: CallServerFrame) => void>();
  private readonly o: Required<ConnectionOptions>;

  constructor(options: ConnectionOptions) {
    this.o = {
      random: Math.random,
      newClientMessageId: () => createClientMessageId(),
      now: () => new Date(),
      backoffBaseMs: 1000,
      backoffMaxMs: 30_000,
      pingIntervalMs: 25_000,
      livenessTimeoutMs: 10_000,
      ackTimeoutMs: 10_000,
      maxSendAttempts: 3,
      renewSession: () => Promise.reject(new Error('no session renewal configured')),
      ...options,
    };
  }

  get currentStatus(): ConnectionStatus {
    return this.status;
  }

  /** The visitor's place in line for a person and the estimated minutes (null position: not waiting). */
  onQueue(listener: (position: number | null, waitMinutes: number | null) => void): () => void {
    this.queueListeners.add(listener);
    return () => this.queueListeners.delete(listener);
  }

  /** The call button's frames from the server (answer, state, ended, error). */
  onCall(listener: (frame: CallServerFrame) => void): () => void {
    this.callListeners.add(listener);
    return () => this.callListeners.delete(listener);
  }

  /** Sends a call frame now; false when the socket is not ready (a call is not queued for later). */
  sendCall(frame: Extract<WidgetClientFrame, { type: `call.${string}` }>): boolean {
    if (!this.ready) return false;
    this.transmit(frame);
    return true;
  }

  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    this.clearRetry();
    this.drop();
    this.setStatus('offline');
  }

  /** The network came back or the tab became visible: skip the backoff wait, or probe a quiet socket. */
  reconnectNow(): void {
    if (this.stopped) return;
    if (this.ready) {
      this.ping();
      return;
    }
    if (this.socket || this.renewing) return; // an attempt is already under way
    this.attempt = 0;
    this.clearRetry();
    this.open();
  }

  /** Queues a customer message; it is transmitted now if connected, else on the next connect. */
  send(text: string): string {
    const clientMessageId = this.o.newClientMessageId();
    this.o.store.addPending(text, clientMessageId, this.o.now());
    this.sendAttempts.delete(clientMessageId);
    if (this.ready) this.transmitSend(clientMessageId, text);
    else this.reconnectNow();
    return clientMessageId;
  }

  retry(clientMessageId: string): void {
    const pending = this.o.store.retry(clientMessageId);
    if (!pending) return;
    this.sendAttempts.delete(clientMessageId);
    if (this.ready) this.transmitSend(clientMessageId, pending.text);
    else this.reconnectNow();
  }

  private open(): void {
    this.setStatus(this.attempt === 0 ? 'connecting' : 'offline');
    const handlers: SocketHandlers = {
      // Nothing to send yet: frames sent before `ready` could race the server's authentication of the socket.
      open: () => {},
      message: (data) => {
        if (this.socket === socket) this.receive(data);
      },
      close: (code) => {
        if (this.socket === socket) this.onClosed(code);
      },
    };
    let socket: Socket | null = null;
    try {
      socket = this.o.openSocket(this.o.url(), handlers);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    // A handshake that hangs, or a socket that opens but never says `ready`, counts as dead too.
    this.armLiveness();
  }

  private receive(data: string): void {
    let frame: WidgetServerFrame;
    try {
      frame = JSON.parse(data) as WidgetServerFrame;
    } catch {
      return;
    }
    if (typeof frame !== 'object' || frame === null) return;
    // Any frame proves the socket is alive.
    this.clearLiveness();
    switch (frame.type) {
      case 'ready':
        this.onReady();
        break;
      case 'ack':
        this.settle(frame.clientMessageId);
        if (isMessage(frame.message)) this.o.store.ack(frame.clientMessageId, frame.message);
        break;
      case 'message':
        if (isMessage(frame.message)) this.o.store.merge([frame.message]);
        break;
      case 'draft':
        if (
          typeof frame.draftId === 'string' &&
          typeof frame.seq === 'number' &&
          typeof frame.text === 'string'
        )
          this.o.store.draft(frame);
        break;
      case 'history': {
        const messages = Array.isArray(frame.messages) ? frame.messages.filter(isMessage) : [];
        this.o.store.merge(messages);
        // The server caps each reply; page on from the last message until it says there is no more.
        const last = messages[messages.length - 1];
        if (frame.hasMore === true && last) this.transmit({ type: 'sync', after: last.id });
        break;
      }
      case 'error':
        // Only the failed send is settled; an error without a clientMessageId concerns no message.
        if (frame.clientMessageId) {
          this.settle(frame.clientMessageId);
          this.o.store.fail(frame.clientMessageId, frame.code, isRetryable(frame.code));
        }
        break;
      case 'queue':
        // Where the visitor stands in line for a person (position null: no longer waiting).
        for (const listener of this.queueListeners)
          listener(
            typeof frame.position === 'number' ? frame.position : null,
            typeof frame.waitMinutes === 'number' ? frame.waitMinutes : null,
          );
        break;
      case 'call.answer':
      case 'call.state':
      case 'call.ended':
      case 'call.error':
        for (const listener of this.callListeners) listener(frame);
        break;
      case 'pong':
        break;
    }
  }

  private onReady(): void {
    this.ready = true;
    this.attempt = 0;
    this.renewedSinceReady = false;
    this.setStatus('online');
    this.transmit({ type: 'sync', after: this.o.store.lastMessageId() });
    for (const pending of this.o.store.unsent()) this.transmitSend(pending.clientMessageId, pending.text);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => this.ping(), this.o.pingIntervalMs);
  }

  private onClosed(code?: number): void {
    this.drop();
    if (this.stopped) return;
    if (code === WIDGET_CLOSE.originNotAllowed || code === WIDGET_CLOSE.unknownInbox) {
      this.stopped = true;
      this.clearRetry();
      this.setStatus('blocked');
      return;
    }
    if (code === WIDGET_CLOSE.unknownVisitor) {
      this.renew();
      return;
    }
    this.scheduleRetry();
  }

  /** A new visitor session, then a new socket; a second 4401 in a row waits for the usual backoff. */
  private renew(): void {
    const immediately = !this.renewedSinceReady;
    this.renewedSinceReady = true;
    this.renewing = true;
    this.setStatus('connecting');
    const reconnect = (now: boolean) => {
      this.renewing = false;
      if (this.stopped || this.socket) return;
      if (now) this.open();
      else this.scheduleRetry();
    };
    this.o.renewSession().then(
      () => reconnect(immediately),
      () => reconnect(false),
    );
  }

  private scheduleRetry(): void {
    this.setStatus('offline');
    const ceiling = Math.min(this.o.backoffMaxMs, this.o.backoffBaseMs * 2 ** this.attempt);
    // Half fixed, half random: spreads a fleet of widgets reconnecting after a server restart.
    const delay = ceiling / 2 + this.o.random() * (ceiling / 2);
    this.attempt += 1;
    this.clearRetry();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped && !this.socket && !this.renewing) this.open();
    }, delay);
  }

  private transmitSend(clientMessageId: string, text: string): void {
    const previous = this.ackTimers.get(clientMessageId);
    if (previous) clearTimeout(previous);
    this.ackTimers.set(
      clientMessageId,
      setTimeout(() => this.onAckTimeout(clientMessageId), this.o.ackTimeoutMs),
    );
    this.transmit({ type: 'send', clientMessageId, text });
  }

  /**
   * A missing ack usually means a dead socket: replace it, and the reconnect resends. A message that
   * keeps timing out on fresh sockets is shown as failed instead of being retried for ever.
   */
  private onAckTimeout(clientMessageId: string): void {
    this.ackTimers.delete(clientMessageId);
    if (!this.o.store.isUnacked(clientMessageId)) return;
    const timeouts = (this.sendAttempts.get(clientMessageId) ?? 0) + 1;
    if (timeouts >= this.o.maxSendAttempts) {
      this.sendAttempts.delete(clientMessageId);
      this.o.store.fail(clientMessageId, null);
      return;
    }
    this.sendAttempts.set(clientMessageId, timeouts);
    this.abandon();
  }

  private settle(clientMessageId: string): void {
    const timer = this.ackTimers.get(clientMessageId);
    if (timer) clearTimeout(timer);
    this.ackTimers.delete(clientMessageId);
    this.sendAttempts.delete(clientMessageId);
  }

  private ping(): void {
    this.transmit({ type: 'ping' });
    this.armLiveness();
  }

  private armLiveness(): void {
    if (this.livenessTimer) return;
    this.livenessTimer = setTimeout(() => {
      this.livenessTimer = null;
      this.abandon();
    }, this.o.livenessTimeoutMs);
  }

  private clearLiveness(): void {
    if (this.livenessTimer) clearTimeout(this.livenessTimer);
    this.livenessTimer = null;
  }

  private transmit(frame: WidgetClientFrame): void {
    try {
      this.socket?.send(JSON.stringify(frame));
    } catch {
      // A send on a closing socket throws in some browsers; the close handler reconnects.
    }
  }

  /** Gives up on a socket without waiting for its close event, which a dead TCP link may never send. */
  private abandon(): void {
    if (this.socket) this.onClosed();
  }

  /** Forgets the current socket; its late events are ignored because they no longer match. */
  private drop(): void {
    const socket = this.socket;
    this.socket = null;
    this.ready = false;
    this.clearLiveness();
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
    for (const timer of this.ackTimers.values()) clearTimeout(timer);
    this.ackTimers.clear();
    try {
      socket?.close();
    } catch {
      // already closed
    }
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private setStatus(status: ConnectionStatus): void {
    if (this.status === status) return;
    this.status = status;
    for (const listener of this.statusListeners) listener(status);
  }
}

/** Codes this build does not know (a newer server) count as retryable: the customer can still try. */
const isRetryable = (code: string): boolean =>
  Object.hasOwn(widgetSocketErrors, code)
    ? widgetSocketErrors[code as keyof typeof widgetSocketErrors].retryable
    : true;

function isMessage(value: unknown): value is WidgetMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return typeof m.id === 'string' && typeof m.text === 'string' && typeof m.author === 'string';
}
