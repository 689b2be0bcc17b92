// The widget's WebSocket session: reconnects with capped, jittered backoff, keeps the socket alive with
// pings, and on every (re)connect syncs from the last seen message and resends the outbox with the same
// clientMessageIds, so the server's dedupe makes resending safe. DOM-free: the socket comes from a factory.
import type { WidgetClientFrame, WidgetMessage, WidgetServerFrame } from '@zhike/contracts';
import { createClientMessageId } from './ids.ts';
import type { ChatStore } from './store.ts';

export type ConnectionStatus = 'connecting' | 'online' | 'offline';

export interface SocketHandlers {
  open(): void;
  message(data: string): void;
  close(): void;
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
}

export function browserSocket(url: string, handlers: SocketHandlers): Socket {
  const ws = new WebSocket(url);
  ws.onopen = () => handlers.open();
  ws.onmessage = (event) => {
    if (typeof event.data === 'string') handlers.message(event.data);
  };
  // Browsers fire error then close; close alone drives the reconnect.
  ws.onclose = () => handlers.close();
  return { send: (data) => ws.send(data), close: () => ws.close() };
}

type Timer = ReturnType<typeof setTimeout>;

export class WidgetConnection {
  private status: ConnectionStatus = 'offline';
  private socket: Socket | null = null;
  private ready = false;
  private stopped = true;
  private attempt = 0;
  private retryTimer: Timer | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private livenessTimer: Timer | null = null;
  private readonly ackTimers = new Map<string, Timer>();
  private readonly sendAttempts = new Map<string, number>();
  private readonly statusListeners = new Set<(status: ConnectionStatus) => void>();
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
      ...options,
    };
  }

  get currentStatus(): ConnectionStatus {
    return this.status;
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
    if (this.socket) return; // an attempt is already under way
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
      close: () => {
        if (this.socket === socket) this.onClosed();
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
      case 'history':
        if (Array.isArray(frame.messages)) this.o.store.merge(frame.messages.filter(isMessage));
        break;
      case 'error':
        if (frame.clientMessageId) {
          this.settle(frame.clientMessageId);
          this.o.store.fail(frame.clientMessageId, frame.code);
        }
        break;
      case 'pong':
        break;
    }
  }

  private onReady(): void {
    this.ready = true;
    this.attempt = 0;
    this.setStatus('online');
    this.transmit({ type: 'sync', after: this.o.store.lastMessageId() });
    for (const pending of this.o.store.unsent()) this.transmitSend(pending.clientMessageId, pending.text);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => this.ping(), this.o.pingIntervalMs);
  }

  private onClosed(): void {
    this.drop();
    if (this.stopped) return;
    this.scheduleRetry();
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
      if (!this.stopped && !this.socket) this.open();
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

function isMessage(value: unknown): value is WidgetMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return typeof m.id === 'string' && typeof m.text === 'string' && typeof m.author === 'string';
}
