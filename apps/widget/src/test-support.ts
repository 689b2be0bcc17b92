// Test doubles for the DOM-free modules: an in-memory socket pair and a tiny widget server that
// stores messages and dedupes by clientMessageId the way the contract says the real one does.
import type { WidgetClientFrame, WidgetMessage, WidgetServerFrame } from '@zhike/contracts';
import type { Socket, SocketFactory, SocketHandlers } from './connection.ts';

export class FakeSocket implements Socket {
  readonly sent: WidgetClientFrame[] = [];
  closed = false;
  constructor(
    readonly url: string,
    private readonly handlers: SocketHandlers,
    private readonly onFrame: (socket: FakeSocket, frame: WidgetClientFrame) => void,
  ) {}
  send(data: string): void {
    if (this.closed) throw new Error('socket closed');
    const frame = JSON.parse(data) as WidgetClientFrame;
    this.sent.push(frame);
    this.onFrame(this, frame);
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.handlers.close();
  }
  /** The transport opens; the server has not greeted the visitor yet. */
  openTransport(): void {
    this.handlers.open();
  }
  /** Delivers raw text, as a misbehaving server or proxy might. */
  pushRaw(data: string): void {
    this.handlers.message(data);
  }
  /** The server side opens the socket and greets the visitor. */
  accept(): void {
    this.handlers.open();
    this.push({ type: 'ready', visitorId: VISITOR_ID, conversationId: null });
  }
  push(frame: WidgetServerFrame): void {
    if (!this.closed) this.handlers.message(JSON.stringify(frame));
  }
  /** Replies arrive on a later tick, as they would over a network. */
  pushLater(frame: WidgetServerFrame): void {
    queueMicrotask(() => this.push(frame));
  }
  /** The network fails under the socket: no more frames either way. */
  sever(): void {
    this.close();
  }
  /** The server closes the socket with an application close code (WIDGET_CLOSE). */
  closeWith(code: number): void {
    if (this.closed) return;
    this.closed = true;
    this.handlers.close(code);
  }
}

export const VISITOR_ID = '01900000-0000-7000-8000-000000000001';
export const CONVERSATION_ID = '01900000-0000-7000-8000-0000000000c0';

let sequence = 0;
export function messageId(): string {
  sequence += 1;
  return `01900000-0000-7000-8000-${sequence.toString(16).padStart(12, '0')}`;
}

export function message(partial: Partial<WidgetMessage> & Pick<WidgetMessage, 'text'>): WidgetMessage {
  return {
    id: messageId(),
    author: 'bot',
    authorName: null,
    createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, sequence)).toISOString(),
    clientMessageId: null,
    ...partial,
  };
}

export interface FakeServerOptions {
  /** Open and greet new sockets immediately (default true). */
  autoAccept?: boolean;
  /** When false, sends are stored but the ack is swallowed, like a link that dies mid-reply. */
  ackSends?: boolean;
}

export class FakeWidgetServer {
  readonly sockets: FakeSocket[] = [];
  readonly stored: WidgetMessage[] = [];
  autoAccept: boolean;
  ackSends: boolean;
  /** When false, pings get no pong: a half-open connection. */
  answerPings = true;
  /** When true, client frames are lost on the way (the server never sees them). */
  dropIncoming = false;
  /** Most messages one history frame carries, like the real server's WIDGET_SYNC_LIMIT. */
  syncLimit = 200;

  constructor(options: FakeServerOptions = {}) {
    this.autoAccept = options.autoAccept ?? true;
    this.ackSends = options.ackSends ?? true;
  }

  readonly factory: SocketFactory = (url, handlers) => {
    const socket = new FakeSocket(url, handlers, (s, frame) => this.handle(s, frame));
    this.sockets.push(socket);
    if (this.autoAccept) queueMicrotask(() => socket.accept());
    return socket;
  };

  get last(): FakeSocket {
    const socket = this.sockets[this.sockets.length - 1];
    if (!socket) throw new Error('no socket opened yet');
    return socket;
  }

  /** A bot or agent reply pushed to the live socket (if any) and stored for later syncs. */
  reply(partial: Partial<WidgetMessage> & Pick<WidgetMessage, 'text'>): WidgetMessage {
    const m = message(partial);
    this.stored.push(m);
    const socket = this.sockets.find((s) => !s.closed);
    socket?.push({ type: 'message', conversationId: CONVERSATION_ID, message: m });
    return m;
  }

  private handle(socket: FakeSocket, frame: WidgetClientFrame): void {
    if (this.dropIncoming) return;
    if (frame.type === 'ping') {
      if (this.answerPings) socket.pushLater({ type: 'pong' });
      return;
    }
    if (frame.type === 'sync') {
      const index = frame.after === null ? -1 : this.stored.findIndex((m) => m.id === frame.after);
      const rest = this.stored.slice(index + 1);
      socket.pushLater({
        type: 'history',
        conversationId: CONVERSATION_ID,
        messages: rest.slice(0, this.syncLimit),
        hasMore: rest.length > this.syncLimit,
      });
      return;
    }
    // Call frames are answered by the call tests' own fake; the chat double ignores them.
    if (frame.type !== 'send') return;
    const existing = this.stored.find((m) => m.clientMessageId === frame.clientMessageId);
    const stored =
      existing ?? message({ text: frame.text, author: 'customer', clientMessageId: frame.clientMessageId });
    if (!existing) this.stored.push(stored);
    if (!this.ackSends) return;
    socket.pushLater({
      type: 'ack',
      clientMessageId: frame.clientMessageId,
      message: stored,
      conversationId: CONVERSATION_ID,
      duplicate: existing !== undefined,
    });
  }
}
